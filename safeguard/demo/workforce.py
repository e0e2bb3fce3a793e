"""The fictional council's workforce records, from the staff the organisation made.

Shapes (workforce.md, England at 30 September 2025): about 14% of social worker posts vacant,
most of them covered by agency workers (the organisation already made about 13% of case
holders agency workers); about 12% turnover, with leavers' reasons; sickness absence about
3.5%; ASYE cohorts for the newly qualified with their reviews; GBP 5,000 golden hellos paid
to team managers and senior practitioners, a few of whom left inside the clawback period
and now owe some back; supervision mostly on time. The demo team manager's team has
supervision overdue and an ASYE review due, and the workforce lead has instalments due
this quarter and repayments to recover.

Runs after the casework, on the accounts and teams already made, deterministically from the
seed. Bulk inserts only; a system import, so no audit rows (as for the rest of the demo).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from typing import TypeVar

from django.db import models

from safeguard.accounts.models import CASE_HOLDING_ROLES, Grade, Role, Team, TeamKind, User
from safeguard.core.calendar import add_calendar_months
from safeguard.demo import names
from safeguard.workforce.models import (
    Absence,
    AsyeCohort,
    AsyeOutcome,
    AsyeReview,
    AsyeReviewKind,
    CensusRole,
    CoverKind,
    EmploymentKind,
    EntryRoute,
    GradeCriteria,
    GradeHistory,
    GradeRoute,
    IncentiveAward,
    IncentiveKind,
    IncentivePayment,
    IncentiveRepayment,
    IncentiveScheme,
    LeavingReason,
    Origin,
    PanelDecision,
    Post,
    ProgressionApplication,
    Recruitment,
    RecruitmentStage,
    RecruitmentStep,
    RepaymentKind,
    RepaymentRule,
    SchemeInstalment,
    StaffRecord,
    Supervision,
    SupervisionKind,
    Vacancy,
)
from safeguard.workforce.rules import months_served, repayable_pence

M = TypeVar("M", bound=models.Model)

TABLES: tuple[type[models.Model], ...] = (
    GradeCriteria,
    AsyeCohort,
    Post,
    StaffRecord,
    Vacancy,
    Recruitment,
    RecruitmentStep,
    IncentiveScheme,
    SchemeInstalment,
    IncentiveAward,
    IncentivePayment,
    IncentiveRepayment,
    AsyeReview,
    GradeHistory,
    ProgressionApplication,
    Supervision,
    Absence,
)
CASE_TEAM_KINDS = (
    TeamKind.ASSESSMENT,
    TeamKind.CHILD_PROTECTION,
    TeamKind.CHILDREN_IN_NEED,
    TeamKind.FRONT_DOOR,
)
# Vacancies beyond those agency workers cover, as a share of employed FTE, so the vacancy
# rate comes to about 14% with agency cover about three quarters of it.
UNCOVERED_VACANCY_SHARE = 0.045
AGENCY_COVERS_A_VACANCY = 0.85
TURNOVER = 0.12
ABSENCE_RATE = 0.035
WORKING_DAYS = 253
SUPERVISION_OVERDUE_SHARE = 0.12
AGENCY_WEEKLY_PENCE = (145_000, 195_000)
LEAVING_REASONS = (
    (LeavingReason.RESIGNED_OTHER_LA, 30),
    (LeavingReason.RESIGNED_AGENCY, 22),
    (LeavingReason.RESIGNED_LEFT_PROFESSION, 14),
    (LeavingReason.RETIRED, 10),
    (LeavingReason.END_OF_CONTRACT, 8),
    (LeavingReason.CAREER_BREAK, 6),
    (LeavingReason.DISMISSED, 2),
    (LeavingReason.OTHER, 8),
)
ORIGINS = (
    (Origin.OTHER_LA, 40),
    (Origin.NEWLY_QUALIFIED, 25),
    (Origin.AGENCY, 15),
    (Origin.OTHER_SECTOR, 10),
    (Origin.OTHER, 10),
)
ROUTES = (
    (EntryRoute.UNIVERSITY, 70),
    (EntryRoute.STEP_UP, 10),
    (EntryRoute.FRONTLINE, 12),
    (EntryRoute.APPRENTICESHIP, 5),
    (EntryRoute.OTHER, 3),
)
CENSUS_ROLE: dict[str, str] = {
    Grade.SENIOR: CensusRole.SENIOR_PRACTITIONER,
    Grade.PRACTICE_SUPERVISOR: CensusRole.SENIOR_PRACTITIONER,
    Grade.TEAM_MANAGER: CensusRole.FIRST_LINE_MANAGER,
    Grade.SERVICE_MANAGER: CensusRole.MIDDLE_MANAGER,
    Grade.HEAD_OF_SERVICE: CensusRole.SENIOR_MANAGER,
}
GOLDEN_HELLO_GRADES = (Grade.TEAM_MANAGER, Grade.SENIOR)
# Schemes: (name, kind, grade, amount, clawback months, rule, ((amount, months), ...), conditions)
SCHEMES = (
    (
        "Team manager golden hello",
        IncentiveKind.GOLDEN_HELLO,
        Grade.TEAM_MANAGER,
        500_000,
        24,
        RepaymentRule.FULL,
        ((250_000, 0), (250_000, 6)),
        "New team managers from outside the council. Half on starting, half after probation at 6 months.",
    ),
    (
        "Senior practitioner golden hello",
        IncentiveKind.GOLDEN_HELLO,
        Grade.SENIOR,
        500_000,
        18,
        RepaymentRule.PRO_RATA,
        ((250_000, 0), (150_000, 6), (100_000, 12)),
        "New senior practitioners in case-holding teams; repayable pro rata if they leave within 18 months.",
    ),
    (
        "Experienced social worker retention payment",
        IncentiveKind.RETENTION,
        Grade.EXPERIENCED,
        300_000,
        12,
        RepaymentRule.PRO_RATA,
        ((150_000, 12), (150_000, 24)),
        "Experienced social workers in child protection teams, paid after one and two years' service.",
    ),
)


# The career path (workforce.md) and what each step asks for.
CAREER_PATH = (
    (Grade.ASYE, "Newly qualified: registered with Social Work England; the assessed and supported year."),
    (Grade.SOCIAL_WORKER, "Passed the ASYE against the post-qualifying standards."),
    (
        Grade.EXPERIENCED,
        "Two years' practice after the ASYE; holds complex cases, including child protection, "
        "with a portfolio of reflective practice.",
    ),
    (
        Grade.SENIOR,
        "Leads on the most complex cases and court work, supervises students and mentors newly "
        "qualified workers; a panel reviews the portfolio and observations.",
    ),
    (
        Grade.PRACTICE_SUPERVISOR,
        "Supervises practitioners' case work; has completed the practice supervisor development programme.",
    ),
    (
        Grade.TEAM_MANAGER,
        "Manages a team's allocation, decisions and performance; leadership programme and panel interview.",
    ),
    (Grade.SERVICE_MANAGER, "Manages several teams and their managers; a service plan and budget."),
)

CRITERIA: dict[str, str] = {grade: criteria for grade, criteria in CAREER_PATH}


class _Builder:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(f"{seed}-workforce")
        self.today = today
        self.rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.numbers: set[str] = set(
            User.objects.exclude(social_work_england_number="").values_list(
                "social_work_england_number", flat=True
            )
        )

    def id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, row: M) -> M:
        row.pk = self.id()
        self.rows[type(row)].append(row)
        return row

    def pick(self, weighted: tuple[tuple[str, int], ...]) -> str:
        return self.rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def swe_number(self) -> str:
        while True:
            number = f"SW{self.rng.randrange(10**6, 10**7)}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def name(self) -> tuple[str, str]:
        pool = self.rng.choice(names.ALL_POOLS)
        first = self.rng.choice(pool.women if self.rng.random() < 0.8 else pool.men)
        return first, self.rng.choice(pool.surnames)

    # --- People.

    def build(self) -> Counter[str]:
        users = list(
            User.objects.filter(
                is_active=True,
                team__kind__in=[*CASE_TEAM_KINDS, TeamKind.LEADERSHIP, TeamKind.CONFERENCE_CHAIRS],
            )
            .exclude(social_work_england_number="")
            .select_related("team")
            .order_by("username")
        )
        managers = {u.team_id: u for u in users if u.role in (Role.TEAM_MANAGER, Role.FRONT_DOOR_MANAGER)}
        for rank, (grade, criteria) in enumerate(CAREER_PATH):
            self.add(GradeCriteria(grade=grade, rank=rank, criteria=criteria))
        self.demo_manager = next(
            (u for u in users if u.is_demo_account and u.role == Role.TEAM_MANAGER), None
        )
        self.cohorts: dict[dt.date, AsyeCohort] = {}
        staff: list[StaffRecord] = []
        for user in users:
            staff.append(self.staff_for(user, managers.get(user.team_id)))
        self.posts_and_vacancies([s for s in staff if s.team.kind in CASE_TEAM_KINDS])
        self.schemes()
        self.leavers([s.team for s in staff if s.team.kind in CASE_TEAM_KINDS[:3]], staff)
        self.awards([s for s in staff if s.end_date is None])
        for record in staff:
            self.history(record)
        self.supervision(staff, managers)
        self.absence([s for s in self.rows[StaffRecord] if isinstance(s, StaffRecord)])
        # Last, so the draws above (and so the council's shapes) are as they were before.
        self.open_applications([s for s in staff if s.end_date is None])
        self.repayment_received()
        return self.insert()

    def staff_for(self, user: User, manager: User | None) -> StaffRecord:
        start = user.date_joined.date()
        kind = EmploymentKind.AGENCY if user.is_agency else EmploymentKind.EMPLOYED
        if kind == EmploymentKind.EMPLOYED and not user.is_demo_account:
            draw = self.rng.random()
            kind = (
                EmploymentKind.FIXED_TERM if draw < 0.04 else EmploymentKind.SECONDED if draw < 0.05 else kind
            )
        record = StaffRecord(
            user=user,
            first_name=user.first_name,
            last_name=user.last_name,
            team=user.team,
            kind=kind,
            agency_name=self.rng.choice(
                ("Northgate Social Care Recruitment", "Brightwell Locums", "Harbour Social Work Agency")
            )
            if user.is_agency
            else "",
            fte=user.fte,
            grade=user.grade,
            census_role=CENSUS_ROLE.get(
                user.grade, CensusRole.CASE_HOLDER if user.role in CASE_HOLDING_ROLES else CensusRole.OTHER
            ),
            is_social_worker=True,
            case_holding=user.role in CASE_HOLDING_ROLES,
            social_work_england_number=user.social_work_england_number,
            start_date=start,
            origin=Origin.NEWLY_QUALIFIED
            if user.grade == Grade.ASYE
            else Origin.AGENCY
            if user.is_agency
            else self.pick(ORIGINS),
            entry_route=self.pick(ROUTES),
            supervisor=manager if manager is not None and manager.pk != user.pk else None,
            agency_weekly_cost_pence=self.rng.randrange(*AGENCY_WEEKLY_PENCE, 500)
            if user.is_agency
            else None,
        )
        if user.grade == Grade.ASYE:
            record.asye_cohort = self.cohort(start)
        self.add(record)
        return record

    def cohort(self, start: dt.date) -> AsyeCohort:
        # Two intakes a year: March and September.
        month = 3 if 3 <= start.month < 9 else 9
        year = start.year if start.month >= 3 else start.year - 1
        begins = dt.date(year, month, 1)
        if begins not in self.cohorts:
            self.cohorts[begins] = self.add(AsyeCohort(name=f"{begins:%B %Y} cohort", starts_on=begins))
        return self.cohorts[begins]

    # --- Posts, vacancies and recruitment.

    def posts_and_vacancies(self, staff: list[StaffRecord]) -> None:
        groups: dict[tuple[object, str], list[StaffRecord]] = defaultdict(list)
        for record in staff:
            groups[(record.team.pk, record.grade)].append(record)
        for (_team_id, grade), people in sorted(groups.items(), key=lambda g: (g[1][0].team.name, g[0][1])):
            team = people[0].team
            employed = [p for p in people if p.kind != EmploymentKind.AGENCY]
            agency = [p for p in people if p.kind == EmploymentKind.AGENCY]
            employed_fte = sum((p.fte for p in employed), Decimal(0))
            vacancies: list[tuple[Decimal, str, StaffRecord | None]] = []
            for worker in agency:
                if self.rng.random() < AGENCY_COVERS_A_VACANCY:
                    vacancies.append((worker.fte, CoverKind.AGENCY, worker))
            if self.rng.random() < float(employed_fte) * UNCOVERED_VACANCY_SHARE:
                cover = self.pick(
                    ((CoverKind.UNFILLED, 45), (CoverKind.OVERTIME, 30), (CoverKind.ACTING_UP, 25))
                )
                vacancies.append((Decimal("1.00"), cover, None))
            funded = employed_fte + sum((v[0] for v in vacancies), Decimal(0))
            if funded <= 0:
                continue
            label = Grade(grade).label
            post = self.add(
                Post(
                    team=team,
                    title=label,
                    grade=grade,
                    funded_fte=funded,
                    case_holding=grade not in (Grade.TEAM_MANAGER, Grade.SERVICE_MANAGER),
                    hard_to_fill=grade in GOLDEN_HELLO_GRADES,
                )
            )
            for person in employed:
                person.post = post
            for fte, cover, cover_by in vacancies:
                opened = cover_by.start_date if cover_by is not None else self.days_ago(20, 240)
                vacancy = self.add(
                    Vacancy(post=post, fte=fte, opened_on=opened, cover=cover, covered_by=cover_by)
                )
                if self.rng.random() < 0.7:
                    self.recruitment(vacancy)
            for person in employed:
                if person.start_date > add_calendar_months(self.today, -12):
                    self.hired(post, person)

    def recruitment(self, vacancy: Vacancy) -> None:
        stages = [
            RecruitmentStage.ADVERTISED,
            RecruitmentStage.APPLICATIONS,
            RecruitmentStage.SHORTLISTED,
            RecruitmentStage.INTERVIEWED,
            RecruitmentStage.OFFERED,
            RecruitmentStage.CHECKS,
        ]
        reached = self.rng.randint(0, len(stages) - 1)
        advertised = max(vacancy.opened_on, self.days_ago(20, 150))
        day = advertised
        steps = [(stages[0], day)]
        for stage in stages[1 : reached + 1]:
            day = min(self.today, day + dt.timedelta(days=self.rng.randint(7, 25)))
            steps.append((stage, day))
        stage, since = steps[-1]
        checks = stage == RecruitmentStage.CHECKS
        recruitment = self.add(
            Recruitment(
                vacancy=vacancy,
                stage=stage,
                stage_since=since,
                advertised_on=advertised,
                applications=self.rng.randint(0, 9) if reached >= 1 else 0,
                candidate=" ".join(self.name()) if reached >= 4 else "",
                dbs_checked_on=since if checks and self.rng.random() < 0.5 else None,
                registration_checked_on=since if checks else None,
                references_received_on=since if checks and self.rng.random() < 0.6 else None,
                right_to_work_checked_on=since if checks else None,
            )
        )
        for stage_reached, on in steps:
            self.add(RecruitmentStep(recruitment=recruitment, stage=stage_reached, on=on))

    def hired(self, post: Post, person: StaffRecord) -> None:
        """A starter in the last year came through a recruitment that filled a vacancy."""
        advertised = person.start_date - dt.timedelta(days=self.rng.randint(55, 140))
        vacancy = self.add(
            Vacancy(
                post=post,
                fte=person.fte,
                opened_on=advertised - dt.timedelta(days=self.rng.randint(0, 30)),
                closed_on=person.start_date,
            )
        )
        recruitment = self.add(
            Recruitment(
                vacancy=vacancy,
                stage=RecruitmentStage.STARTED,
                stage_since=person.start_date,
                advertised_on=advertised,
                applications=self.rng.randint(2, 12),
                candidate=person.name,
                dbs_checked_on=person.start_date - dt.timedelta(days=10),
                registration_checked_on=person.start_date - dt.timedelta(days=30),
                references_received_on=person.start_date - dt.timedelta(days=14),
                right_to_work_checked_on=person.start_date - dt.timedelta(days=30),
                started_on=person.start_date,
            )
        )
        for stage, on in (
            (RecruitmentStage.ADVERTISED, advertised),
            (RecruitmentStage.OFFERED, person.start_date - dt.timedelta(days=40)),
            (RecruitmentStage.STARTED, person.start_date),
        ):
            self.add(RecruitmentStep(recruitment=recruitment, stage=stage, on=max(on, advertised)))

    # --- Leavers and incentives.

    def schemes(self) -> None:
        self.scheme_by_grade: dict[str, tuple[IncentiveScheme, list[SchemeInstalment]]] = {}
        for name, kind, grade, amount, months, rule, instalments, conditions in SCHEMES:
            scheme = self.add(
                IncentiveScheme(
                    name=name,
                    kind=kind,
                    grade=grade,
                    amount_pence=amount,
                    clawback_months=months,
                    repayment_rule=rule,
                    conditions=conditions,
                )
            )
            parts = [
                self.add(SchemeInstalment(scheme=scheme, number=n, amount_pence=a, due_after_months=m))
                for n, (a, m) in enumerate(instalments, start=1)
            ]
            self.scheme_by_grade[grade] = (scheme, parts)

    def leaving_span_days(self) -> int:
        """How far back leavers go: over both the year to today and the year to the last
        30 September, which the workforce census and its measures read, so that turnover is
        the same rate in each."""
        census_day = dt.date(self.today.year, 9, 30)
        if census_day > self.today:
            census_day = dt.date(self.today.year - 1, 9, 30)
        return (self.today - census_day).days + 365

    def leavers(self, teams: list[Team], staff: list[StaffRecord]) -> None:
        if not teams:
            return
        employed = sum(
            (s.fte for s in staff if s.kind != EmploymentKind.AGENCY and s.team.kind in CASE_TEAM_KINDS),
            Decimal(0),
        )
        span = self.leaving_span_days()
        target = employed * Decimal(str(TURNOVER)) * span / 365
        left = Decimal(0)
        forced = 3  # golden hello holders who left inside the clawback period: repayable
        while left < target or forced > 0:
            grade = (
                Grade.TEAM_MANAGER
                if forced == 3
                else Grade.SENIOR
                if forced > 0
                else self.rng.choice(
                    (Grade.SOCIAL_WORKER, Grade.EXPERIENCED, Grade.EXPERIENCED, Grade.SENIOR, Grade.ASYE)
                )
            )
            first, last = self.name()
            last_day = self.days_ago(5, span)
            if forced > 0:
                start = last_day - dt.timedelta(days=self.rng.randint(120, 400))
            else:
                start = last_day - dt.timedelta(days=self.rng.randint(200, 3000))
            fte = Decimal("1.00") if self.rng.random() < 0.8 else Decimal("0.80")
            record = self.add(
                StaffRecord(
                    first_name=first,
                    last_name=last,
                    team=self.rng.choice(teams),
                    kind=EmploymentKind.EMPLOYED,
                    fte=fte,
                    grade=grade,
                    census_role=CENSUS_ROLE.get(grade, CensusRole.CASE_HOLDER),
                    case_holding=grade != Grade.TEAM_MANAGER,
                    social_work_england_number=self.swe_number(),
                    start_date=start,
                    end_date=last_day,
                    leaving_reason=self.pick(LEAVING_REASONS),
                    destination=self.rng.choice(("", "Another council", "An agency", "Health", "Not known")),
                    origin=self.pick(ORIGINS),
                    entry_route=self.pick(ROUTES),
                )
            )
            assert isinstance(record, StaffRecord)
            if forced > 0:
                self.award(record, start)
                forced -= 1
            left += fte

    def awards(self, staff: list[StaffRecord]) -> None:
        for record in staff:
            if record.kind == EmploymentKind.AGENCY or record.grade not in self.scheme_by_grade:
                continue
            scheme, _parts = self.scheme_by_grade[record.grade]
            window = add_calendar_months(self.today, -(scheme.clawback_months + 6))
            golden = record.grade in GOLDEN_HELLO_GRADES
            if golden and record.start_date >= window:
                self.award(record, record.start_date)
            elif not golden and record.team.kind == TeamKind.CHILD_PROTECTION and self.rng.random() < 0.4:
                self.award(record, add_calendar_months(self.today, -self.rng.randint(3, 20)))

    def award(self, record: StaffRecord, starts_on: dt.date) -> None:
        scheme, parts = self.scheme_by_grade[record.grade]
        award = self.add(IncentiveAward(staff=record, scheme=scheme, starts_on=starts_on))
        paid = 0
        for part in parts:
            due = add_calendar_months(starts_on, part.due_after_months)
            if record.end_date is not None and due > record.end_date:
                continue
            # Payroll pays an instalment in the month after it falls due.
            settled = due <= self.today - dt.timedelta(days=30)
            self.add(
                IncentivePayment(
                    award=award,
                    number=part.number,
                    amount_pence=part.amount_pence,
                    due_on=due,
                    paid_on=due + dt.timedelta(days=self.rng.randint(5, 28)) if settled else None,
                )
            )
            paid += part.amount_pence if settled else 0
        if record.end_date is not None:
            assert isinstance(award, IncentiveAward)
            award.repayable_pence = repayable_pence(
                paid_pence=paid,
                start=starts_on,
                last_day=record.end_date,
                clawback_months=scheme.clawback_months,
                rule=scheme.repayment_rule,
            )

    # --- Career, the ASYE, supervision and absence.

    def history(self, record: StaffRecord) -> None:
        if (
            record.grade in (Grade.SENIOR, Grade.TEAM_MANAGER, Grade.PRACTICE_SUPERVISOR)
            and months_served(record.start_date, self.today) > 30
            and self.rng.random() < 0.55
        ):
            earlier = Grade.SOCIAL_WORKER if record.grade != Grade.TEAM_MANAGER else Grade.SENIOR
            since = add_calendar_months(
                record.start_date,
                self.rng.randint(18, max(18, months_served(record.start_date, self.today) - 3)),
            )
            self.add(
                GradeHistory(staff=record, grade=earlier, since=record.start_date, route=GradeRoute.APPOINTED)
            )
            self.add(GradeHistory(staff=record, grade=record.grade, since=since, route=GradeRoute.PROGRESSED))
            self.add(
                ProgressionApplication(
                    staff=record,
                    to_grade=record.grade,
                    submitted_on=since - dt.timedelta(days=40),
                    evidence="Portfolio of practice, observations and a reflective account.",
                    decision=PanelDecision.APPROVED,
                    decided_on=since,
                    panel="Head of service; principal social worker; HR business partner",
                )
            )
        else:
            self.add(
                GradeHistory(
                    staff=record, grade=record.grade, since=record.start_date, route=GradeRoute.APPOINTED
                )
            )
        if record.grade == Grade.EXPERIENCED and record.end_date is None and self.rng.random() < 0.06:
            self.add(self.application(record, Grade.SENIOR, self.days_ago(3, 40)))
        if record.asye_cohort is not None:
            self.asye_reviews(record)

    def application(
        self, record: StaffRecord, to_grade: str, submitted_on: dt.date
    ) -> ProgressionApplication:
        """An application waiting for the panel, meeting the first criteria of the grade."""
        criteria = GradeCriteria(grade=to_grade, rank=0, criteria=CRITERIA[to_grade]).items()
        return ProgressionApplication(
            staff=record,
            to_grade=to_grade,
            submitted_on=submitted_on,
            evidence="Portfolio of practice, two observations and a manager's statement.",
            criteria_met=criteria[: max(1, len(criteria) - 1)],
        )

    def open_applications(self, staff: list[StaffRecord]) -> None:
        """At least two applications waiting for a panel (from social workers and experienced
        social workers going up one step), so the workforce lead has one to put to it."""
        waiting = {
            a.staff.pk
            for a in self.rows[ProgressionApplication]
            if isinstance(a, ProgressionApplication) and a.decision == PanelDecision.PENDING
        }
        step: dict[str, str] = {Grade.SOCIAL_WORKER: Grade.EXPERIENCED, Grade.EXPERIENCED: Grade.SENIOR}
        candidates = sorted(
            (
                s
                for s in staff
                if s.grade in step
                and s.kind != EmploymentKind.AGENCY
                and s.pk not in waiting
                and not (s.user is not None and s.user.is_demo_account)
            ),
            key=lambda s: (s.last_name, s.first_name, str(s.pk)),
        )
        for record in candidates[: max(0, 2 - len(waiting))]:
            self.add(self.application(record, step[record.grade], self.today - dt.timedelta(days=9)))

    def repayment_received(self) -> None:
        """The first leaver who owes a golden hello has paid a quarter of it back so far."""
        owing = sorted(
            (
                a
                for a in self.rows[IncentiveAward]
                if isinstance(a, IncentiveAward) and (a.repayable_pence or 0) >= 400
            ),
            key=lambda a: (a.staff.end_date or self.today, str(a.pk)),
        )
        if not owing:
            return
        award = owing[0]
        assert award.staff.end_date is not None and award.repayable_pence is not None
        self.add(
            IncentiveRepayment(
                award=award,
                kind=RepaymentKind.RECEIVED,
                amount_pence=award.repayable_pence // 400 * 100,
                on=min(self.today, award.staff.end_date + dt.timedelta(days=28)),
            )
        )

    def asye_reviews(self, record: StaffRecord) -> None:
        assert record.asye_cohort is not None
        began = max(record.start_date, record.asye_cohort.starts_on)
        in_demo_team = self.demo_manager is not None and record.team_id == self.demo_manager.team_id
        for kind, months in (
            (AsyeReviewKind.THREE_MONTH, 3),
            (AsyeReviewKind.SIX_MONTH, 6),
            (AsyeReviewKind.FINAL, 12),
        ):
            due = add_calendar_months(began, months)
            held = None
            if due < self.today - dt.timedelta(days=7) and not (in_demo_team and self.rng.random() < 0.5):
                held = due + dt.timedelta(days=self.rng.randint(-5, 5))
            final = kind == AsyeReviewKind.FINAL
            outcome = ""
            if held is not None:
                outcome = (
                    AsyeOutcome.PASSED
                    if final
                    else self.pick(((AsyeOutcome.ON_TRACK, 88), (AsyeOutcome.CONCERNS, 12)))
                )
            self.add(
                AsyeReview(
                    staff=record,
                    kind=kind,
                    due_on=due,
                    held_on=min(held, self.today) if held else None,
                    outcome=outcome,
                )
            )

    def supervision(self, staff: list[StaffRecord], managers: dict[uuid.UUID | None, User]) -> None:
        for record in staff:
            supervisor = record.supervisor or managers.get(record.team_id)
            if supervisor is None or record.end_date is not None or supervisor.pk == record.user_id:
                continue
            asye = record.asye_cohort is not None
            every = 14 if asye else 28
            in_demo_team = self.demo_manager is not None and record.team_id == self.demo_manager.team_id
            late = self.rng.random() < (0.35 if in_demo_team else SUPERVISION_OVERDUE_SHARE)
            last = self.today - dt.timedelta(
                days=(every + self.rng.randint(3, 20)) if late else self.rng.randint(1, every - 1)
            )
            day = last
            for _ in range(4):
                if day < record.start_date:
                    break
                self.add(
                    Supervision(
                        staff=record,
                        supervisor=supervisor,
                        held_on=day,
                        kind=SupervisionKind.ASYE
                        if asye
                        else self.pick(
                            (
                                (SupervisionKind.CASE, 80),
                                (SupervisionKind.REFLECTIVE, 15),
                                (SupervisionKind.GROUP, 5),
                            )
                        ),
                        case_decisions_recorded=self.rng.random() < 0.9,
                    )
                )
                day -= dt.timedelta(days=every + self.rng.randint(-2, 3))

    def absence(self, staff: list[StaffRecord]) -> None:
        employed = [
            s
            for s in staff
            if s.kind != EmploymentKind.AGENCY and s.end_date is None and s.user_id is not None
        ]
        if not employed:
            return
        target = Decimal(str(ABSENCE_RATE)) * WORKING_DAYS * sum((s.fte for s in employed), Decimal(0))
        lost = Decimal(0)
        demo_users = {s.user_id for s in employed if s.user is not None and s.user.is_demo_account}
        off_now = [s for s in employed if s.user_id not in demo_users and s.case_holding]
        current = self.rng.sample(off_now, min(2, len(off_now)))
        for record in current:
            self.add(
                Absence(
                    staff=record,
                    starts_on=self.days_ago(2, 12),
                    ends_on=None,
                    working_days_lost=Decimal(self.rng.randint(2, 8)),
                )
            )
        while lost < target:
            record = self.rng.choice(employed)
            days = Decimal(self.rng.choice((1, 1, 2, 3, 5, 10, 20, 35)))
            starts = self.days_ago(20, 360)
            self.add(
                Absence(
                    staff=record,
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=int(days * 7 / 5)),
                    working_days_lost=days,
                )
            )
            lost += days

    def insert(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for model in TABLES:
            rows = self.rows.get(model, [])
            model.objects.bulk_create(rows, batch_size=2000)  # type: ignore[attr-defined]
            counts[model._meta.label] = len(rows)
        return counts


def add_workforce(*, seed: int, today: dt.date) -> Counter[str]:
    """The workforce records for the council the generator made (see the module docstring)."""
    return _Builder(seed, today).build()
