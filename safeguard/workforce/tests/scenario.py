"""A small council for the workforce page tests and the browser journey: two teams, a lead
and an HR officer, a newly qualified worker with reviews due, an agency worker covering a
vacancy that is being recruited to, and golden hellos (one due today, one repayable by a
leaver). Dates are relative to today."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from safeguard.accounts.models import Grade, Role, User
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.workforce import services
from safeguard.workforce.models import (
    CoverKind,
    EmploymentKind,
    GradeCriteria,
    IncentivePayment,
    RepaymentRule,
    StaffRecord,
)
from safeguard.workforce.tests.factories import AsyeCohortFactory, PostFactory, StaffRecordFactory

PASSWORD = "correct-horse-battery-staple"

# A short career path: each grade and what it asks for (the criteria split at semicolons).
CAREER_PATH = (
    (Grade.ASYE, "Registered with Social Work England; in the assessed and supported year."),
    (
        Grade.SOCIAL_WORKER,
        "Passed the ASYE; holds a caseload of children in need; reflects on practice in supervision.",
    ),
    (Grade.EXPERIENCED, "Two years' practice after the ASYE; holds child protection cases."),
    (Grade.SENIOR, "Leads on complex cases and court work; mentors newly qualified workers."),
    (Grade.TEAM_MANAGER, "Manages a team's allocation and decisions; completed the leadership programme."),
)


def career_path() -> None:
    for rank, (grade, criteria) in enumerate(CAREER_PATH):
        GradeCriteria.objects.get_or_create(grade=grade, defaults={"rank": rank, "criteria": criteria})


@dataclass
class World:
    lead: User
    hr: User
    manager: User
    worker: User
    other_manager: User
    worker_record: StaffRecord
    leaver: StaffRecord
    agency: StaffRecord
    payment: IncentivePayment


def build_world() -> World:
    today = timezone.localdate()
    career_path()
    team, other = TeamFactory(name="Hillside Assessment"), TeamFactory(name="Riverside Child Protection")
    lead = UserFactory(role=Role.WORKFORCE_LEAD, team=TeamFactory(name="Workforce"))
    hr = UserFactory(role=Role.HR_OFFICER, team=lead.team)
    manager = UserFactory(role=Role.TEAM_MANAGER, team=team)
    worker = UserFactory(role=Role.SOCIAL_WORKER, team=team, first_name="Priya", last_name="Nolan")
    other_manager = UserFactory(role=Role.TEAM_MANAGER, team=other)
    post = PostFactory(team=team, title="Social worker", funded_fte=Decimal("3"))
    cohort = AsyeCohortFactory(name="September cohort", starts_on=today - dt.timedelta(days=100))
    worker_record = services.staff_create(
        actor=lead,
        user=worker,
        first_name="Priya",
        last_name="Nolan",
        team=team,
        post=post,
        grade=Grade.ASYE,
        start_date=today - dt.timedelta(days=100),
        social_work_england_number="SW400001",
        asye_cohort=cohort,
    )
    agency = StaffRecordFactory(
        team=team,
        first_name="Dev",
        last_name="Agencyworker",
        kind=EmploymentKind.AGENCY,
        agency_weekly_cost_pence=172_500,
    )
    vacancy = services.vacancy_open(
        actor=lead, post=post, fte=Decimal("1"), opened_on=today - dt.timedelta(days=60)
    )
    services.vacancy_cover(actor=lead, vacancy=vacancy, cover=CoverKind.AGENCY, covered_by=agency)
    services.recruitment_start(actor=lead, vacancy=vacancy, advertised_on=today - dt.timedelta(days=50))
    scheme = services.incentive_scheme_create(
        actor=lead,
        name="Team manager golden hello",
        kind="golden_hello",
        grade=Grade.TEAM_MANAGER,
        amount_pence=500_000,
        clawback_months=24,
        repayment_rule=RepaymentRule.PRO_RATA,
        instalments=[(250_000, 0), (250_000, 6)],
    )
    leaver = StaffRecordFactory(
        team=other,
        first_name="Sam",
        last_name="Leaver",
        start_date=today - dt.timedelta(days=400),
        grade=Grade.TEAM_MANAGER,
    )
    award = services.incentive_award(actor=lead, staff=leaver, scheme=scheme, starts_on=leaver.start_date)
    for p in award.payments.all():
        services.incentive_payment_pay(actor=lead, payment=p, paid_on=p.due_on)
    services.staff_leave(
        actor=lead, staff=leaver, last_day=today - dt.timedelta(days=10), reason="resigned_agency"
    )
    newcomer = StaffRecordFactory(
        team=team, first_name="Ola", last_name="Newcomer", grade=Grade.SENIOR, start_date=today
    )
    payment = services.incentive_award(
        actor=lead,
        staff=newcomer,
        scheme=services.incentive_scheme_create(
            actor=lead,
            name="Senior practitioner golden hello",
            kind="golden_hello",
            grade=Grade.SENIOR,
            amount_pence=500_000,
            clawback_months=12,
            repayment_rule=RepaymentRule.FULL,
            instalments=[(500_000, 0)],
        ),
        starts_on=today,
    ).payments.get()
    return World(lead, hr, manager, worker, other_manager, worker_record, leaver, agency, payment)


def workforce_keys(*, actor: User, worker: User) -> dict[str, list[uuid.UUID]]:
    """Workforce records about ``worker`` for the URL walks (the sealed-record canary): their
    staff record in an ASYE cohort with its reviews, a golden hello instalment and a
    recruitment to their team's vacancy, by URL keyword."""
    today = timezone.localdate()
    assert worker.team is not None
    cohort = AsyeCohortFactory(starts_on=today - dt.timedelta(days=30))
    record = services.staff_create(
        actor=actor,
        user=worker,
        first_name=worker.first_name,
        last_name=worker.last_name,
        team=worker.team,
        grade=Grade.ASYE,
        start_date=today - dt.timedelta(days=30),
        asye_cohort=cohort,
    )
    post = PostFactory(team=worker.team, funded_fte=Decimal(2))
    vacancy = services.vacancy_open(actor=actor, post=post, fte=Decimal(1), opened_on=today)
    recruitment = services.recruitment_start(actor=actor, vacancy=vacancy, advertised_on=today)
    scheme = services.incentive_scheme_create(
        actor=actor,
        name=f"Golden hello for {worker.pk}",
        kind="golden_hello",
        grade=Grade.ASYE,
        amount_pence=100_000,
        clawback_months=12,
        repayment_rule=RepaymentRule.FULL,
        instalments=[(100_000, 0)],
    )
    award = services.incentive_award(actor=actor, staff=record, scheme=scheme, starts_on=today)
    career_path()
    application = services.progression_apply(
        actor=actor,
        staff=record,
        to_grade=Grade.SOCIAL_WORKER,
        submitted_on=today,
        evidence="Portfolio",
        criteria_met=["Passed the ASYE"],
    )
    return {
        "staff_id": [record.pk],
        "review_id": [r.pk for r in record.asye_reviews.all()],
        "payment_id": [p.pk for p in award.payments.all()],
        "recruitment_id": [recruitment.pk],
        "vacancy_id": [vacancy.pk],
        "application_id": [application.pk],
        "award_id": [award.pk],
    }
