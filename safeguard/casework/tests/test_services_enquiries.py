from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.models import ClockKind, Section47Enquiry, StatutoryClock
from safeguard.casework.services.enquiries import section_47_outcome_record, strategy_discussion_record
from safeguard.casework.tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


@pytest.fixture
def episode(social_worker):
    return EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 11, 2))


def test_strategy_discussion_starts_s47_and_icpc_clock_across_christmas(social_worker, episode):
    discussion = strategy_discussion_record(
        actor=social_worker,
        episode=episode,
        held_on=dt.date(2026, 11, 25),
        agencies=["csc", "police", "health"],
        information_shared="Police report",
        safety_actions="Child staying with grandmother",
        start_section_47=True,
    )
    enquiry = Section47Enquiry.objects.get()
    assert enquiry.strategy_discussion == discussion
    assert enquiry.icpc_target_date == dt.date(2026, 12, 16)
    assert StatutoryClock.objects.get(kind=ClockKind.ICPC).due_date == dt.date(2026, 12, 16)


@override_settings()
def test_icpc_due_date_in_the_worked_example(social_worker):
    """timescales.md: a strategy discussion on Wednesday 23 December 2026 has its ICPC due on
    Monday 18 January 2027, skipping 25 and 28 December 2026 and 1 January 2027."""
    from unittest import mock

    episode = EpisodeFactory(
        worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 12, 21)
    )
    with mock.patch(
        "safeguard.casework.services.enquiries.timezone.localdate", return_value=dt.date(2026, 12, 23)
    ):
        strategy_discussion_record(
            actor=social_worker,
            episode=episode,
            held_on=dt.date(2026, 12, 23),
            agencies=["csc", "police", "health"],
            information_shared="",
            safety_actions="",
            start_section_47=True,
        )
    assert StatutoryClock.objects.get(kind=ClockKind.ICPC).due_date == dt.date(2027, 1, 18)


def test_strategy_discussion_needs_police_health_and_social_care(social_worker, episode):
    with pytest.raises(ValidationError, match="add health"):
        strategy_discussion_record(
            actor=social_worker,
            episode=episode,
            held_on=dt.date(2026, 11, 25),
            agencies=["csc", "police"],
            information_shared="",
            safety_actions="",
            start_section_47=True,
        )
    assert not Section47Enquiry.objects.exists()


def test_no_conference_needed_stops_the_icpc_clock(social_worker, episode):
    strategy_discussion_record(
        actor=social_worker,
        episode=episode,
        held_on=dt.date(2026, 11, 25),
        agencies=["csc", "police", "health"],
        information_shared="",
        safety_actions="",
        start_section_47=True,
    )
    section_47_outcome_record(
        actor=social_worker, enquiry=Section47Enquiry.objects.get(), outcome="not_substantiated"
    )
    clock = StatutoryClock.objects.get(kind=ClockKind.ICPC)
    assert clock.stopped_reason == "No conference needed" and not clock.is_running
