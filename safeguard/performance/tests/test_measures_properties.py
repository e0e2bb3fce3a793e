"""Properties every figure keeps, whatever the records: a numerator never exceeds its
denominator, and the teams' figures add up to the council's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from safeguard.accounts.tests.factories import TeamFactory
from safeguard.casework.models import Assessment, ChildProtectionReview, Section47Enquiry, Visit
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.people.tests.factories import ChildFactory
from safeguard.performance.measures import MEASURES, Kind, Level, Scope, Window, compute_all

pytestmark = pytest.mark.django_db

BASE = dt.date(2025, 1, 1)
days = st.integers(min_value=0, max_value=540)
episode = st.fixed_dictionaries(
    {
        "team": st.integers(0, 2),
        "child": st.integers(0, 5),
        "referral": days,
        "closed_after": st.none() | st.integers(0, 200),
        "nfa": st.booleans(),
        "assessment": st.none() | st.tuples(st.integers(0, 10), st.integers(0, 90)),
        "s47": st.none() | st.tuples(st.integers(0, 30), st.none() | st.integers(0, 30)),
        "plan": st.none() | st.tuples(st.integers(0, 60), st.none() | st.integers(1, 800), st.integers(0, 2)),
        "reviews": st.lists(st.integers(0, 300), max_size=3),
        "visit": st.none() | st.integers(0, 400),
    }
)


def _build(records: list[dict], teams: list, children: list) -> None:
    open_plan: set[int] = set()
    for r in records:
        referral = BASE + dt.timedelta(days=r["referral"])
        closed = None if r["closed_after"] is None else referral + dt.timedelta(days=r["closed_after"])
        ep = EpisodeFactory(
            child=children[r["child"]],
            team=teams[r["team"]],
            referral_date=referral,
            referral_nfa=r["nfa"],
            closure_date=closed,
            reason_for_closure="RC7" if closed else "",
        )
        if r["assessment"]:
            start = referral + dt.timedelta(days=r["assessment"][0])
            Assessment.objects.create(
                episode=ep, start_date=start, authorised_date=start + dt.timedelta(days=r["assessment"][1])
            )
        if r["s47"]:
            start = referral + dt.timedelta(days=r["s47"][0])
            icpc = None if r["s47"][1] is None else start + dt.timedelta(days=r["s47"][1])
            Section47Enquiry.objects.create(episode=ep, start_date=start, icpc_date=icpc)
        if r["plan"]:
            start = referral + dt.timedelta(days=r["plan"][0])
            end = None if r["plan"][1] is None else start + dt.timedelta(days=r["plan"][1])
            if end is None and r["child"] in open_plan:
                end = start + dt.timedelta(days=30)  # a child has one open plan at a time
            if end is None:
                open_plan.add(r["child"])
            plan = CPPlanFactory(
                episode=ep, start_date=start, end_date=end, number_of_previous_plans=r["plan"][2]
            )
            for offset in r["reviews"]:
                ChildProtectionReview.objects.create(plan=plan, held_on=start + dt.timedelta(days=offset))
            if r["visit"] is not None:
                Visit.objects.create(
                    episode=ep,
                    child=ep.child,
                    visit_date=start + dt.timedelta(days=r["visit"]),
                    kind="cp",
                    child_seen=True,
                )


ADDITIVE = {
    m.id for m in MEASURES if m.kind in (Kind.COUNT, Kind.PROPORTION, Kind.RATE) and Level.TEAM in m.scopes
}


@settings(
    max_examples=10,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    records=st.lists(episode, min_size=0, max_size=8), start=st.integers(0, 400), length=st.integers(0, 200)
)
def test_numerators_within_denominators_and_teams_add_up_to_the_council(records, start, length):
    with transaction.atomic():
        teams = [TeamFactory() for _ in range(3)]
        children = [ChildFactory() for _ in range(6)]
        _build(records, teams, children)
        period_start = BASE + dt.timedelta(days=start)
        window = Window.of(period_start, period_start + dt.timedelta(days=length), population=10_000)
        council = {f.id: f for f in compute_all(window=window)}
        per_team = [{f.id: f for f in compute_all(window=window, scope=Scope.of_team(t))} for t in teams]
        for figures in (council, *per_team):
            for f in figures.values():
                if (
                    f.numerator is not None
                    and f.denominator is not None
                    and f.measure.kind == Kind.PROPORTION
                ):
                    assert 0 <= f.numerator <= f.denominator, f.id
                if f.value is not None and f.measure.kind == Kind.PROPORTION:
                    assert 0 <= f.value <= 100, f.id
        for mid in ADDITIVE:
            assert sum(t[mid].numerator or 0 for t in per_team) == (council[mid].numerator or 0), mid
            assert sum(t[mid].denominator or 0 for t in per_team) == (council[mid].denominator or 0) * (
                3 if council[mid].measure.kind == Kind.RATE else 1
            ), mid
        transaction.set_rollback(True)
