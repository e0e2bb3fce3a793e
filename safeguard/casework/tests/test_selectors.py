from __future__ import annotations

import datetime as dt

import pytest

from safeguard.casework.models import Assessment, ChildProtectionReview
from safeguard.casework.selectors import (
    cp_plans_with_next_review,
    headline_figures,
    next_review_due,
    reporting_year_start,
    team_caseloads,
)
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_first_review_three_months_after_start_then_six():
    plan = CPPlanFactory.build(start_date=dt.date(2026, 11, 30))
    # 30 Nov 2026 + 3 months -> 28 Feb 2027 (the shorter month's last day), a Sunday, so the
    # last working day before: Friday 26 February 2027.
    assert next_review_due(plan, []) == dt.date(2027, 2, 26)
    # 20 Feb 2027 + 6 months -> Friday 20 August 2027, a working day: unchanged.
    assert next_review_due(plan, [dt.date(2027, 2, 20)]) == dt.date(2027, 8, 20)


def test_reviews_list_puts_the_most_urgent_first():
    late = CPPlanFactory(start_date=dt.date(2026, 1, 5))
    soon = CPPlanFactory(start_date=dt.date(2026, 10, 1))
    ChildProtectionReview.objects.create(plan=late, held_on=dt.date(2026, 3, 30))
    due = cp_plans_with_next_review(today=dt.date(2026, 11, 29), limit=10)
    # The overdue review comes first.
    assert [r.plan for r in due] == [late, soon]
    # 30 Mar 2026 + 6 months -> Wednesday 30 September 2026. 1 Oct 2026 + 3 months -> Friday
    # 1 January 2027, New Year's Day, so the last working day before: Thursday 31 December 2026.
    assert due[0].due == dt.date(2026, 9, 30) and due[1].due == dt.date(2026, 12, 31)
    assert due[0].days_left < 0 < due[1].days_left


def test_reporting_year_starts_on_1_april():
    assert reporting_year_start(dt.date(2026, 11, 29)) == dt.date(2026, 4, 1)
    assert reporting_year_start(dt.date(2027, 3, 31)) == dt.date(2026, 4, 1)


def test_headlines_count_re_referrals_and_assessment_timeliness():
    child = ChildFactory()
    EpisodeFactory(
        child=child,
        referral_date=dt.date(2026, 2, 1),
        closure_date=dt.date(2026, 3, 1),
        reason_for_closure="RC7",
    )
    again = EpisodeFactory(child=child, referral_date=dt.date(2026, 9, 1))
    EpisodeFactory(referral_date=dt.date(2026, 9, 2))
    # 45 working days exactly (on time) and 46 (late).
    Assessment.objects.create(
        episode=again, start_date=dt.date(2026, 9, 1), authorised_date=dt.date(2026, 11, 3)
    )
    Assessment.objects.create(
        episode=again, start_date=dt.date(2026, 9, 1), authorised_date=dt.date(2026, 11, 4)
    )
    figures = {
        h.label: h.value for h in headline_figures(today=dt.date(2026, 11, 29), child_population=10_000)
    }
    assert figures["Referrals"] == "2"
    assert figures["Re-referrals within 12 months"] == "50.0%"
    assert figures["Assessments within 45 working days"] == "50.0%"
    assert figures["Children in need per 10,000"] == "2"


def test_caseloads_count_open_episodes_per_worker(social_worker):
    EpisodeFactory(worker=social_worker, team=social_worker.team)
    EpisodeFactory(
        worker=social_worker,
        team=social_worker.team,
        closure_date=dt.date(2026, 10, 1),
        reason_for_closure="RC7",
    )
    [(team, loads)] = team_caseloads(teams=[social_worker.team])
    assert team == social_worker.team
    assert [(c.worker, c.open_cases) for c in loads] == [(social_worker, 1)]


def test_a_worker_named_on_a_seal_keeps_the_child_on_their_list_and_clocks(make_user, social_worker):
    from safeguard.casework.selectors import episodes_open_for_worker, running_clocks
    from safeguard.casework.services import assessment_start
    from safeguard.people.models import SealedRecordAccess

    today = dt.date.today()
    outsider = make_user("social_worker", team=social_worker.team)
    named, unnamed = (ChildFactory(is_sealed=True) for _ in range(2))
    SealedRecordAccess.objects.create(person=named, user=social_worker)
    for worker, child in ((social_worker, named), (outsider, unnamed)):
        episode = EpisodeFactory(child=child, worker=worker, team=worker.team, referral_date=today)
        assessment_start(actor=worker, episode=episode, start_date=today)
    assert [e.child for e in episodes_open_for_worker(worker=social_worker)] == [named]
    assert [c.clock.child for c in running_clocks(user=social_worker, today=today)] == [named]
    # Allocated but not named on the seal: the child stays hidden, as everywhere else.
    assert not episodes_open_for_worker(worker=outsider).exists()
    assert running_clocks(user=outsider, today=today) == []
