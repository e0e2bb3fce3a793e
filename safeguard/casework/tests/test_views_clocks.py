"""The casework pages that meet a clock ask why it was late only when it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import ClockKind, StatutoryClock, Visit
from safeguard.casework.services.assessments import (
    assessment_authorise,
    assessment_record_details,
    assessment_section_save,
    assessment_start,
    assessment_submit,
)
from safeguard.casework.services.enquiries import strategy_discussion_record
from safeguard.casework.services.plans import cp_plan_start
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.core.codes import CategoryOfAbuse

pytestmark = pytest.mark.django_db
LATE_QUESTION = "Why was the assessment late?"


@pytest.fixture
def manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _submitted(worker, episode, start):
    assessment = assessment_start(actor=worker, episode=episode, start_date=start)
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        assessment_section_save(
            actor=worker, assessment=assessment, key=key, text="words", based_on_version=0
        )
    assessment_record_details(
        actor=worker,
        assessment=assessment,
        fields={"child_seen_date": start, "child_seen_alone": True, "factors": ["3B"], "outcome": "nfa"},
    )
    assessment_submit(actor=worker, assessment=assessment, on=start)
    return assessment


def test_a_same_day_assessment_is_authorised_without_being_asked_why_it_is_late(
    client, social_worker, manager
):
    # The referral was long ago and its first assessment authorised; the second starts today.
    today = timezone.localdate()
    episode = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2025, 1, 6))
    first = _submitted(social_worker, episode, dt.date(2025, 1, 7))
    assessment_authorise(actor=manager, assessment=first, on=dt.date(2025, 3, 31), late_reason="Family away")
    second = _submitted(social_worker, episode, today)
    client.force_login(manager)
    url = reverse("casework:assessment_authorise", args=[second.pk])
    assert LATE_QUESTION not in client.get(url).content.decode()
    response = client.post(url, _date("authorised_on", today))
    assert response.status_code == 302
    clock = StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT, source_id=second.pk)
    assert clock.met_date == today and clock.late_reason == ""


def test_an_overdue_assessment_asks_why_beside_the_box(client, social_worker, manager):
    today = timezone.localdate()
    episode = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2025, 1, 6))
    assessment = _submitted(social_worker, episode, dt.date(2025, 1, 7))
    client.force_login(manager)
    url = reverse("casework:assessment_authorise", args=[assessment.pk])
    page = client.get(url).content.decode()
    # 6 Jan 2025 + 45 working days (no bank holiday in between): 10 March 2025.
    assert LATE_QUESTION in page and "It was due on 10 March 2025" in page
    response = client.post(url, _date("authorised_on", today))
    assert response.status_code == 200
    assert 'id="id_late_reason-error"' in response.content.decode()


def test_a_late_visit_asks_for_the_workers_reason_and_keeps_what_was_typed(staff_client, social_worker):
    episode = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 7, 1))
    cp_plan_start(
        actor=social_worker,
        episode=episode,
        start_date=dt.date(2026, 8, 20),
        category=CategoryOfAbuse.NEGLECT,
    )
    url = reverse("casework:visit_new", args=[episode.pk])
    # Due Friday 4 September 2026 (10 working days, skipping the summer bank holiday 31 Aug).
    assert (
        "the next child protection visit is due by 4 September 2026" in staff_client.get(url).content.decode()
    )
    form = {
        **_date("visit_date", dt.date(2026, 9, 7)),
        "kind": "cp",
        "child_seen": "yes",
        "child_seen_alone": "no",
        "observations": "Kitchen clean",
    }
    page = staff_client.post(url, form).content.decode()
    assert 'id="id_late_reason-error"' in page and "Kitchen clean" in page
    assert not Visit.objects.exists()
    assert staff_client.post(url, {**form, "late_reason": "Family away"}).status_code == 302
    assert Visit.objects.get().late_reason == "Family away"


def test_a_seen_child_needs_the_seen_alone_answer(staff_client, social_worker):
    episode = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 7, 1))
    url = reverse("casework:visit_new", args=[episode.pk])
    form = {
        **_date("visit_date", dt.date(2026, 9, 7)),
        "kind": "other",
        "child_seen": "yes",
        "observations": "x",
    }
    page = staff_client.post(url, form).content.decode()
    assert 'id="id_child_seen_alone-error"' in page and not Visit.objects.exists()


def test_the_strategy_record_page_meets_its_clock(staff_client, social_worker):
    episode = EpisodeFactory(
        worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 3, 30)
    )
    discussion = strategy_discussion_record(
        actor=social_worker,
        episode=episode,
        held_on=dt.date(2026, 4, 2),
        agencies=["csc", "police", "health"],
        information_shared="Police report",
        safety_actions="None needed",
        start_section_47=False,
    )
    detail = staff_client.get(reverse("casework:episode_detail", args=[episode.pk])).content.decode()
    assert "Record that it was sent" in detail
    url = reverse("casework:strategy_record", args=[discussion.pk])
    # Due Tuesday 7 April 2026 (Good Friday and Easter Monday between): sent on the 7th, on time.
    assert staff_client.post(url, _date("circulated_on", dt.date(2026, 4, 7))).status_code == 302
    discussion.refresh_from_db()
    assert discussion.record_circulated_on == dt.date(2026, 4, 7)
    assert StatutoryClock.objects.get(kind=ClockKind.STRATEGY_RECORD).met_date == dt.date(2026, 4, 7)
