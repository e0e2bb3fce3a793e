"""The generated council's workforce: England's shapes, and real work for the demo logins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from safeguard.accounts.models import Grade, Role, User
from safeguard.demo.generator import SeedOptions, SeedSummary, generate
from safeguard.demo.tests.support import wipe_demo_data
from safeguard.home.worklist import work_items_for
from safeguard.workforce import figures
from safeguard.workforce.models import (
    AsyeCohort,
    IncentiveAward,
    IncentiveRepayment,
    PanelDecision,
    ProgressionApplication,
    StaffRecord,
    Vacancy,
)
from safeguard.workforce.selectors import next_step

TODAY = dt.date(2025, 11, 14)


@pytest.fixture(scope="module")
def council(django_db_setup: Any, django_db_blocker: Any) -> Iterator[SeedSummary]:
    with django_db_blocker.unblock():
        summary = generate(SeedOptions(children=2500, years=3, seed=5, today=TODAY))
    yield summary
    with django_db_blocker.unblock():
        wipe_demo_data()


pytestmark = pytest.mark.django_db


def test_the_measures_look_like_england(council: SeedSummary) -> None:
    assert council.rows["workforce.StaffRecord"] == StaffRecord.objects.count()
    vacancy = figures.vacancy_rate(on=TODAY).value
    agency = figures.agency_rate(on=TODAY).value
    turnover = figures.turnover(on=TODAY).value
    caseload = figures.caseload(on=TODAY).value
    absence = figures.absence(on=TODAY).value
    assert vacancy is not None and Decimal(9) <= vacancy <= Decimal(20)
    assert agency is not None and Decimal(7) <= agency <= Decimal(19)
    assert turnover is not None and Decimal(8) <= turnover <= Decimal(16)
    assert caseload is not None and Decimal(12) <= caseload <= Decimal(19)
    assert absence is not None and Decimal("2.5") <= absence <= Decimal("4.5")
    assert Vacancy.objects.filter(closed_on__isnull=True, cover="agency").exists()


def test_asye_cohorts_golden_hellos_and_repayments(council: SeedSummary) -> None:
    assert AsyeCohort.objects.filter(members__isnull=False).exists()
    golden = IncentiveAward.objects.filter(scheme__kind="golden_hello")
    assert {a.staff.grade for a in golden} == {Grade.TEAM_MANAGER, Grade.SENIOR}
    assert golden.filter(payments__paid_on__isnull=False).exists()
    assert IncentiveAward.objects.filter(repayable_pence__gt=0).count() >= 3
    # One leaver has paid part of it back; what is left is still outstanding, and it is
    # after their last day.
    [repayment] = IncentiveRepayment.objects.select_related("award__staff")
    award = repayment.award
    assert award.staff.end_date is not None and repayment.on >= award.staff.end_date
    assert 0 < repayment.amount_pence < (award.repayable_pence or 0)
    assert award.outstanding_pence() == (award.repayable_pence or 0) - repayment.amount_pence
    assert award.repaid_on is None


def test_applications_wait_for_a_panel_for_the_next_grade(council: SeedSummary) -> None:
    waiting = list(
        ProgressionApplication.objects.filter(decision=PanelDecision.PENDING).select_related("staff")
    )
    assert len(waiting) >= 2
    for application in waiting:
        assert application.staff.end_date is None
        step = next_step(application.staff)
        assert step is not None and application.to_grade == step.grade
        assert application.criteria_met and set(application.criteria_met) <= set(step.items())


def test_the_demo_lead_and_team_manager_have_work_waiting(council: SeedSummary) -> None:
    for role in (Role.WORKFORCE_LEAD, Role.HR_OFFICER):
        lead = User.objects.get(is_demo_account=True, role=role)
        groups = {i.group for i in work_items_for(user=lead, today=TODAY)}
        assert {"Repayments to recover", "Progression applications waiting for a panel"} <= groups
    manager = User.objects.get(is_demo_account=True, role=Role.TEAM_MANAGER)
    groups = {i.group for i in work_items_for(user=manager, today=TODAY)}
    assert "Supervision overdue" in groups
