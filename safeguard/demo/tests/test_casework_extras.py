from __future__ import annotations

import datetime as dt

import pytest

from safeguard.casework.models import CaseNote, ClockKind, Section47Enquiry, StatutoryClock, Visit
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.demo.casework_extras import add_casework_extras

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)


def test_extras_add_visits_notes_settle_old_enquiries_and_build_clocks():
    episode = EpisodeFactory(referral_date=dt.date(2026, 6, 1))
    CPPlanFactory(child=episode.child, episode=episode, start_date=dt.date(2026, 7, 1))
    Section47Enquiry.objects.create(episode=episode, start_date=dt.date(2026, 6, 10))
    counts = add_casework_extras(seed=3, today=TODAY)
    visits = list(Visit.objects.order_by("visit_date"))
    assert len(visits) >= 8 and all(dt.date(2026, 7, 1) < v.visit_date <= TODAY for v in visits)
    assert all(not v.child_seen_alone or v.child_seen for v in visits)
    assert CaseNote.objects.filter(episode=episode).exists()
    enquiry = Section47Enquiry.objects.get()
    assert enquiry.icpc_not_required and enquiry.outcome
    assert StatutoryClock.objects.get(kind=ClockKind.ICPC).stopped_reason == "No conference needed"
    assert counts["casework.Visit"] == len(visits)


def test_extras_are_deterministic():
    episode = EpisodeFactory(referral_date=dt.date(2026, 6, 1))
    CPPlanFactory(child=episode.child, episode=episode, start_date=dt.date(2026, 7, 1))
    add_casework_extras(seed=3, today=TODAY)
    first = list(
        Visit.objects.order_by("visit_date").values_list("visit_date", "child_seen", "child_seen_alone")
    )
    Visit.objects.all().delete()
    CaseNote.objects.all().delete()
    add_casework_extras(seed=3, today=TODAY)
    again = list(
        Visit.objects.order_by("visit_date").values_list("visit_date", "child_seen", "child_seen_alone")
    )
    assert first == again


def test_generated_contact_references_never_repeat():
    import random
    from typing import Any, cast

    from safeguard.demo.contacts import ContactContext, _reference

    nobody = cast(Any, None)  # the references need no staff
    ctx = ContactContext(
        rng=random.Random(1), ids=random.Random(2), today=TODAY, practitioner=nobody, manager=nobody
    )
    ctx.used_references.add("AAAAAAAA")
    drawn = [_reference(ctx) for _ in range(20_000)]
    assert len(set(drawn)) == len(drawn) and "AAAAAAAA" not in drawn


def test_visits_record_seen_alone_only_when_seen_and_a_reason_when_late():
    from safeguard.casework.timescales import cp_visit_timescale

    episode = EpisodeFactory(referral_date=dt.date(2025, 6, 1))
    CPPlanFactory(child=episode.child, episode=episode, start_date=dt.date(2025, 12, 1))
    add_casework_extras(seed=3, today=TODAY)
    visits = list(Visit.objects.order_by("visit_date"))
    assert all((v.child_seen_alone is None) == (not v.child_seen) for v in visits)
    late = 0
    last_seen = max(dt.date(2025, 12, 1), TODAY - dt.timedelta(days=365))
    for visit in visits:
        due = cp_visit_timescale().due(last_seen)
        # A reason exactly for the visits where the child was seen after the clock's due date.
        assert bool(visit.late_reason) == (visit.child_seen and visit.visit_date > due), visit
        late += bool(visit.late_reason)
        if visit.child_seen:
            last_seen = visit.visit_date
    assert late, "no late visit in a year of visits"


def test_open_child_in_need_plans_are_reviewed_so_their_review_clock_is_not_long_overdue():
    from safeguard.casework.models import CINPlan, CINPlanReview

    episode = EpisodeFactory(referral_date=dt.date(2025, 9, 1))
    plan = CINPlan.objects.create(episode=episode, start_date=dt.date(2025, 10, 1))
    add_casework_extras(seed=3, today=TODAY)
    reviews = list(CINPlanReview.objects.filter(plan=plan).order_by("held_on"))
    assert len(reviews) >= 3 and all(plan.start_date < r.held_on <= TODAY for r in reviews)
    clock = StatutoryClock.objects.get(kind=ClockKind.CIN_REVIEW, met_date__isnull=True)
    assert clock.start_date == reviews[-1].held_on
    assert clock.due_date >= TODAY - dt.timedelta(days=20)
