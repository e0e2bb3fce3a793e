from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.models import Section47Enquiry
from safeguard.casework.tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(social_worker):
    return EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 11, 2))


@pytest.fixture
def manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def test_strategy_discussion_page_explains_missing_agencies_and_keeps_answers(staff_client, episode):
    # With an assessment under way, a section 47 raises no census query (2991Q) first.
    episode.assessments.create(start_date=episode.referral_date)
    html = staff_client.post(
        reverse("casework:strategy_discussion", args=[episode.pk]),
        {
            **_date("held_on", dt.date(2026, 11, 25)),
            "agencies": ["csc", "police"],
            "information_shared": "Report",
            "safety_actions": "Stays with aunt",
            "start_section_47": "yes",
        },
    ).content.decode()
    assert "add health" in html and "Stays with aunt" in html
    assert not Section47Enquiry.objects.exists()


def test_strategy_discussion_in_the_future_is_refused(staff_client, episode):
    html = staff_client.post(
        reverse("casework:strategy_discussion", args=[episode.pk]),
        {
            **_date("held_on", dt.date(2099, 1, 1)),
            "agencies": ["csc", "police", "health"],
            "information_shared": "x",
            "safety_actions": "y",
            "start_section_47": "yes",
        },
    ).content.decode()
    assert "must be today or in the past" in html
