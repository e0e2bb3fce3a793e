from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from safeguard.casework.models import Assessment, ClockKind, Section47Enquiry, StatutoryClock
from safeguard.casework.tests.factories import EpisodeFactory

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
