"""The fictional council's conferences: realistic rates, and real work for the chair."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.casework.models import ChildProtectionPlan, ChildProtectionReview, ClockKind, StatutoryClock
from safeguard.conferences.models import (
    AgencyReport,
    ChildViews,
    Conference,
    ConferenceKind,
    ConferenceStatus,
    CoreGroupMeeting,
    FamilyFeedback,
    PlanOutcome,
)
from safeguard.conferences.selectors import chairs_diary
from safeguard.conferences.worklist import work_items
from safeguard.core.calendar import add_calendar_months, working_days_between
from safeguard.demo.generator import SeedOptions, generate
from safeguard.demo.tests.support import wipe_demo_data

CHILDREN = 1500


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        generate(SeedOptions(children=CHILDREN, seed=7, today=timezone.localdate()))
        yield
        wipe_demo_data()


pytestmark = pytest.mark.django_db


def test_every_table_has_rows(seeded: None) -> None:
    for model in (Conference, AgencyReport, ChildViews, FamilyFeedback, PlanOutcome, CoreGroupMeeting):
        assert model.objects.exists(), model.__name__


def test_initial_conferences_within_15_working_days_near_englands_81_percent(seeded: None) -> None:
    held = Conference.objects.filter(
        kind=ConferenceKind.INITIAL, status=ConferenceStatus.HELD
    ).select_related("section_47")
    days = [
        working_days_between(c.section_47.start_date, c.held_on) for c in held if c.section_47 and c.held_on
    ]
    assert len(days) > 30
    share = sum(d <= 15 for d in days) / len(days)
    assert 0.7 <= share <= 0.9, share


def test_every_plan_open_three_months_has_had_a_review(seeded: None) -> None:
    today = timezone.localdate()
    old_open = ChildProtectionPlan.objects.filter(
        end_date__isnull=True, start_date__lte=add_calendar_months(today, -3)
    )
    assert old_open.exists()
    unreviewed = old_open.exclude(pk__in=ChildProtectionReview.objects.values("plan_id"))
    assert not unreviewed.exists(), list(unreviewed.values_list("start_date", flat=True))
    # And each review is a held review conference.
    assert Conference.objects.filter(kind=ConferenceKind.REVIEW, status=ConferenceStatus.HELD).count() == (
        ChildProtectionReview.objects.count()
    )


def test_reports_some_late_and_feedback_at_realistic_rates(seeded: None) -> None:
    reports = AgencyReport.objects.count()
    late = AgencyReport.objects.filter(late=True).count()
    assert 0.03 <= late / reports <= 0.25
    assert (
        FamilyFeedback.objects.filter(listened_to="yes").count()
        > FamilyFeedback.objects.filter(listened_to="no").count()
    )


def test_open_plans_have_their_core_group_clock_and_next_review(seeded: None) -> None:
    open_plans = ChildProtectionPlan.objects.filter(end_date__isnull=True)
    for plan in open_plans[:50]:
        assert StatutoryClock.objects.filter(kind=ClockKind.CORE_GROUP, source_id=plan.pk).exists()
        assert Conference.objects.filter(
            plan=plan, kind=ConferenceKind.REVIEW, status__in=("proposed", "scheduled")
        ).exists()


def test_the_demo_chair_has_real_work_waiting(seeded: None) -> None:
    chair = User.objects.get(is_demo_account=True, role=Role.CONFERENCE_CHAIR)
    today = timezone.localdate()
    diary = chairs_diary(user=chair, today=today)
    assert any(row.mine for row in diary)
    assert work_items(user=chair, today=today)
