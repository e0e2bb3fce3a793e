from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from safeguard.accounts.models import TeamKind
from safeguard.accounts.tests.factories import TeamFactory
from safeguard.casework.models import Assessment, ChildProtectionReview
from safeguard.casework.selectors import (
    assessments_to_authorise,
    cp_plans_with_next_review,
    next_review_due,
    postcode_district,
    receiving_team_for,
    referrals_to_allocate,
    team_caseloads,
)
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.people.tests.factories import AddressFactory, ChildFactory

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
    from safeguard.casework.services.assessments import assessment_start
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


def test_a_child_on_a_protection_plan_weighs_more_in_the_caseload(social_worker):
    EpisodeFactory(worker=social_worker, team=social_worker.team)
    protected = EpisodeFactory(worker=social_worker, team=social_worker.team)
    CPPlanFactory(episode=protected, child=protected.child)
    social_worker.fte = Decimal("0.5")
    social_worker.save()
    [(_team, [load])] = team_caseloads(teams=[social_worker.team])
    assert (load.open_cases, load.on_cp_plans, load.weighted) == (2, 1, 2.5)
    assert load.capacity == 9 and not load.over_policy


def test_the_receiving_team_is_the_one_covering_the_childs_postcode():
    north = TeamFactory(postcode_districts="HM1 HM2")
    south = TeamFactory(postcode_districts="hm3, HM4")
    TeamFactory(kind=TeamKind.CONFERENCE_CHAIRS, postcode_districts="HM5")
    child = ChildFactory()
    assert receiving_team_for(child=child, postcode="hm44ab") == south
    AddressFactory(person=child, postcode="HM2 1AA")
    assert receiving_team_for(child=child, postcode="HM4 4AB") == north  # the record's address first
    assert receiving_team_for(child=None, postcode="HM5 1AA") is None  # chairs hold no cases
    assert receiving_team_for(child=None, postcode="") is None
    assert postcode_district("sw1a 1aa") == "SW1A"


def test_referrals_to_allocate_are_the_managers_own_teams_with_their_clock(social_worker, make_user):
    today = dt.date(2026, 11, 30)
    manager = make_user("team_manager", team=social_worker.team)
    waiting = EpisodeFactory(
        team=social_worker.team, referral_date=dt.date(2026, 11, 2), team_since=dt.date(2026, 11, 20)
    )
    EpisodeFactory(team=social_worker.team, worker=social_worker)  # allocated already
    EpisodeFactory(team=TeamFactory())  # another team's
    [row] = referrals_to_allocate(user=manager, today=today)
    assert row.episode == waiting and row.days_waiting == 10
    # No assessment yet: the clock still falls due 45 working days from the referral.
    assert row.assessment_due == dt.date(2027, 1, 7) and row.status.startswith("Due in")


def test_assessments_to_authorise_are_the_submitted_ones_in_the_team(social_worker, make_user):
    from safeguard.casework.services.assessments import assessment_start

    manager = make_user("team_manager", team=social_worker.team)
    episode = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 6, 1))
    submitted = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 6, 2))
    Assessment.objects.filter(pk=submitted.pk).update(status="submitted", submitted_date=dt.date(2026, 8, 1))
    other = EpisodeFactory(worker=social_worker, team=social_worker.team)
    assessment_start(actor=social_worker, episode=other, start_date=other.referral_date)  # in progress
    [row] = assessments_to_authorise(user=manager, today=dt.date(2026, 9, 1))
    assert row.assessment.pk == submitted.pk
    # 45 working days from 1 June; then 20 working days late by 1 September (31 August is a bank holiday).
    assert row.assessment_due == dt.date(2026, 8, 3) and row.status == "Overdue by 20 working days"
    assert row.colour == "govuk-tag--red"
    assert assessments_to_authorise(user=make_user("team_manager"), today=dt.date(2026, 9, 1)) == []
