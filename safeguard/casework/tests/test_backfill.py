from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from safeguard.casework.models import (
    Assessment,
    ClockKind,
    Section47Enquiry,
    StatutoryClock,
    Visit,
    VisitKind,
)
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory

pytestmark = pytest.mark.django_db


def test_backfill_builds_clocks_once_and_marks_authorised_assessments():
    episode = EpisodeFactory(referral_date=dt.date(2026, 8, 17))
    done = Assessment.objects.create(
        episode=episode, start_date=dt.date(2026, 8, 18), authorised_date=dt.date(2026, 9, 30)
    )
    Section47Enquiry.objects.create(episode=episode, start_date=dt.date(2026, 8, 20), icpc_not_required=True)
    call_command("clocks", "backfill")
    call_command("clocks", "backfill")
    assessment_clock = StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT)
    assert assessment_clock.due_date == dt.date(2026, 10, 20) and assessment_clock.met_date == dt.date(
        2026, 9, 30
    )
    icpc = StatutoryClock.objects.get(kind=ClockKind.ICPC)
    assert icpc.due_date == dt.date(2026, 9, 11) and icpc.stopped_reason == "No conference needed"
    done.refresh_from_db()
    assert done.status == "authorised"
    assert StatutoryClock.objects.count() == 2


def test_an_unsubstantiated_enquiry_needs_no_conference():
    episode = EpisodeFactory(referral_date=dt.date(2026, 8, 17))
    Section47Enquiry.objects.create(
        episode=episode, start_date=dt.date(2026, 8, 20), outcome="not_substantiated"
    )
    call_command("clocks", "backfill")
    assert StatutoryClock.objects.get(kind=ClockKind.ICPC).stopped_reason == "No conference needed"


def test_a_later_assessment_in_the_episode_counts_from_its_own_start():
    # Referral Mon 17 Aug 2026. The second assessment starts Mon 2 Nov 2026; 45 working days:
    # 3-6 Nov (4), 9 Nov-18 Dec (6 weeks: 34), 21-24 Dec (38), 25 and 28 Dec are bank holidays,
    # 29-31 Dec (41), 1 Jan is a bank holiday, 4-7 Jan (45) -> Thursday 7 January 2027.
    episode = EpisodeFactory(referral_date=dt.date(2026, 8, 17))
    Assessment.objects.create(
        episode=episode, start_date=dt.date(2026, 8, 18), authorised_date=dt.date(2026, 9, 30)
    )
    later = Assessment.objects.create(episode=episode, start_date=dt.date(2026, 11, 2))
    call_command("clocks", "backfill")
    clock = StatutoryClock.objects.get(source_id=later.pk)
    assert clock.start_date == dt.date(2026, 11, 2) and clock.due_date == dt.date(2027, 1, 7)


def test_open_plans_get_their_running_visit_and_review_clocks_once():
    # CP plan from Thu 20 Aug 2026, last CP visit (child seen) Mon 7 Sep 2026: next visit due
    # 10 working days on, Mon 21 Sep 2026. No review yet: due 3 months on, Fri 20 Nov 2026.
    plan = CPPlanFactory(start_date=dt.date(2026, 8, 20), episode__referral_date=dt.date(2026, 7, 1))
    Visit.objects.create(
        episode=plan.episode,
        child=plan.child,
        visit_date=dt.date(2026, 9, 7),
        kind=VisitKind.CP,
        child_seen=True,
        child_seen_alone=True,
    )
    call_command("clocks", "backfill")
    call_command("clocks", "backfill")
    assert StatutoryClock.objects.get(kind=ClockKind.CP_VISIT).due_date == dt.date(2026, 9, 21)
    assert StatutoryClock.objects.get(kind=ClockKind.CP_REVIEW).due_date == dt.date(2026, 11, 20)


def test_a_referral_waiting_for_an_assessment_has_its_clock():
    # Referral Mon 2 Nov 2026, no assessment yet: 45 working days -> Thursday 7 January 2027
    # (25 and 28 Dec 2026 and 1 Jan 2027 are bank holidays).
    episode = EpisodeFactory(referral_date=dt.date(2026, 11, 2))
    call_command("clocks", "backfill")
    call_command("clocks", "backfill")
    clock = StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT)
    assert clock.source_id == episode.pk and clock.due_date == dt.date(2027, 1, 7)
