"""Reads of the workforce records, each authorised in the same call.

Who sees what is ``accounts.policy.WORKFORCE_POLICY``: a team's posts, caseloads,
supervision and ASYE progress under ``VIEW_TEAM`` within the role's scope (a team manager:
their own team); pay, incentives and personal HR details (absence, agency cost, leaving)
under ``VIEW_PAY`` (the workforce lead and HR); everyone their own record. A team or a
person outside the user's reach is 404, so its existence is not revealed; a role with no
route at all is refused (403).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import F, Max, Q, QuerySet, Sum
from django.http import Http404

from safeguard.accounts.models import Grade, Team, User
from safeguard.accounts.policy import Scope, WorkforceAction, workforce_scope
from safeguard.workforce import figures
from safeguard.workforce.caseloads import WorkerLoad, asye_start_of, worker_loads
from safeguard.workforce.figures import Figure
from safeguard.workforce.models import (
    STAGE_ORDER,
    AsyeReview,
    CoverKind,
    EmploymentKind,
    GradeCriteria,
    GradeHistory,
    GradeRoute,
    IncentiveAward,
    IncentivePayment,
    PanelDecision,
    Post,
    ProgressionApplication,
    Recruitment,
    RecruitmentStage,
    StaffRecord,
    Supervision,
    Vacancy,
)
from safeguard.workforce.rules import supervision_interval_days

# A recruitment that has sat at one stage longer than this is stalling.
STALL_DAYS = 28
# ASYE reviews come onto the manager's work list this many days before they fall due.
REVIEW_NOTICE_DAYS = 14


def teams_for(user: User, action: WorkforceAction) -> QuerySet[Team]:
    scope = workforce_scope(user.role, action) if user.is_active else Scope.NONE
    if scope == Scope.ALL:
        return Team.objects.all()
    if scope == Scope.SERVICE and user.team is not None:
        return Team.objects.filter(service_id=user.team.service_id)
    if scope >= Scope.OWN and user.team_id is not None:
        return Team.objects.filter(pk=user.team_id)
    return Team.objects.none()


def may(user: User, action: WorkforceAction) -> bool:
    return user.is_active and workforce_scope(user.role, action) > Scope.NONE


def may_see_pay(user: User) -> bool:
    return user.is_active and workforce_scope(user.role, WorkforceAction.VIEW_PAY) == Scope.ALL


def current(on: dt.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


# -- Supervision and the ASYE.


@dataclass(frozen=True)
class SupervisionStatus:
    staff: StaffRecord
    last: dt.date | None
    due: dt.date

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


def supervision_statuses(staff: list[StaffRecord]) -> list[SupervisionStatus]:
    last = dict(
        Supervision.objects.filter(staff__in=staff)
        .values("staff_id")
        .annotate(last=Max("held_on"))
        .values_list("staff_id", "last")
    )
    statuses = []
    for record in staff:
        held: dt.date | None = last.get(record.pk)
        began = asye_start_of(record)
        base = held or (began if began is not None else record.start_date)
        statuses.append(
            SupervisionStatus(
                record, held, base + dt.timedelta(days=supervision_interval_days(asye_start=began, on=base))
            )
        )
    return statuses


def supervision_overdue(*, user: User, today: dt.date) -> list[SupervisionStatus]:
    staff = list(
        StaffRecord.objects.filter(current(today), team__in=teams_for(user, WorkforceAction.SUPERVISE))
        .filter(is_social_worker=True)
        .exclude(user=user)
        .select_related("asye_cohort", "team")
    )
    return [s for s in supervision_statuses(staff) if s.overdue(today)]


def asye_reviews_due(*, user: User, today: dt.date) -> QuerySet[AsyeReview]:
    return (
        AsyeReview.objects.filter(
            held_on__isnull=True,
            due_on__lte=today + dt.timedelta(days=REVIEW_NOTICE_DAYS),
            staff__team__in=teams_for(user, WorkforceAction.SUPERVISE),
        )
        .filter(Q(staff__end_date__isnull=True) | Q(staff__end_date__gte=today))
        .select_related("staff")
        .order_by("due_on")
    )


# -- The workforce lead's overview.


@dataclass
class TeamRow:
    team: Team
    funded: Decimal = Decimal(0)
    employed: Decimal = Decimal(0)
    agency: Decimal = Decimal(0)
    vacant: Decimal = Decimal(0)
    cover: Counter[str] = field(default_factory=Counter)
    pipeline: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class VacancyRow:
    vacancy: Vacancy
    recruitment: Recruitment | None
    days_in_stage: int | None

    @property
    def stalling(self) -> bool:
        return self.days_in_stage is not None and self.days_in_stage > STALL_DAYS


@dataclass(frozen=True)
class FigureRow:
    id: str
    label: str
    now: figures.Figure
    census: figures.Figure
    benchmark: Decimal


@dataclass
class Overview:
    today: dt.date
    census_on: dt.date
    teams: list[TeamRow]
    vacancies: list[VacancyRow]
    figures: list[FigureRow]
    payments_due: list[IncentivePayment]
    quarter: tuple[dt.date, dt.date]
    repayable: list[IncentiveAward]
    repayable_total: int
    outstanding_total: int
    applications: list[ProgressionApplication]
    due_total: int
    agency_weekly_pence: int
    leaving_reasons: list[tuple[str, int]]
    grown: dict[str, tuple[int, int]]
    stages: list[tuple[str, str]]
    trends: list[tuple[dt.date, list[Figure]]] = field(default_factory=list)
    trend_labels: list[str] = field(default_factory=list)


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + 3
    end = dt.date(day.year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def career_path() -> list[GradeCriteria]:
    return list(GradeCriteria.objects.order_by("rank"))


def next_step(staff: StaffRecord) -> GradeCriteria | None:
    """The next grade on the career path after the person's own, with its criteria."""
    ranks = {c.grade: c.rank for c in GradeCriteria.objects.all()}
    mine = ranks.get(staff.grade)
    if mine is None:
        return None
    return GradeCriteria.objects.filter(rank__gt=mine).order_by("rank").first()


TREND_IDS = ("vacancy_rate", "agency_rate", "turnover", "absence")


def trends(*, today: dt.date, months: int = 12) -> list[tuple[dt.date, list[Figure]]]:
    """Month-end figures for the rates over the last ``months`` months, oldest first."""
    days = figures.month_ends(today, months)
    days[-1] = min(days[-1], today)
    return [(day, [figures.FIGURES[fid](on=day) for fid in TREND_IDS]) for day in days]


def payments_due(*, until: dt.date) -> QuerySet[IncentivePayment]:
    """Unpaid instalments due by ``until`` (earlier ones still unpaid too), except those
    falling due after the person left. Callers have checked the user may see pay."""
    return (
        IncentivePayment.objects.filter(paid_on__isnull=True, due_on__lte=until)
        .filter(Q(award__staff__end_date__isnull=True) | Q(award__staff__end_date__gte=F("due_on")))
        .select_related("award__staff__team", "award__scheme")
        .order_by("due_on")
    )


def repayments_outstanding() -> QuerySet[IncentiveAward]:
    """Leavers' awards with something still to repay (``outstanding_pence`` on each, with
    the repayments and waivers already prefetched). Callers have checked the user may see pay."""
    return (
        IncentiveAward.objects.filter(repayable_pence__gt=0, repaid_on__isnull=True)
        .select_related("staff__team", "scheme")
        .prefetch_related("repayments")
        .order_by("staff__end_date")
    )


def applications_waiting() -> QuerySet[ProgressionApplication]:
    """Progression applications waiting for a panel, oldest first. Callers have checked
    the user may manage the workforce."""
    return (
        ProgressionApplication.objects.filter(decision=PanelDecision.PENDING)
        .select_related("staff__team")
        .order_by("submitted_on", "created_at")
    )


def internal_and_external(*, on: dt.date, grade: str) -> tuple[int, int]:
    """People at ``grade`` on ``on`` who reached it from inside, and who were recruited to it."""
    at_grade = StaffRecord.objects.filter(current(on), grade=grade)
    reached = GradeHistory.objects.filter(staff__in=at_grade, grade=grade)
    inside = reached.filter(route=GradeRoute.PROGRESSED).values("staff_id").distinct().count()
    outside = reached.filter(route=GradeRoute.APPOINTED).exclude(
        staff_id__in=reached.filter(route=GradeRoute.PROGRESSED).values("staff_id")
    )
    return inside, outside.values("staff_id").distinct().count()


def overview_for(*, user: User, today: dt.date) -> Overview:
    """The workforce lead's page: every team's establishment, vacancies and cover, the
    pipeline, the measures, and incentives due and repayable. Pay roles only."""
    if not may_see_pay(user):
        raise PermissionDenied("Only the workforce lead and HR see the whole workforce")
    rows: dict[uuid.UUID, TeamRow] = {}

    def row(team: Team) -> TeamRow:
        return rows.setdefault(team.pk, TeamRow(team))

    for post in Post.objects.select_related("team"):
        row(post.team).funded += post.funded_fte
    for record in StaffRecord.objects.filter(current(today), is_social_worker=True).select_related("team"):
        target = row(record.team)
        if record.kind == EmploymentKind.AGENCY:
            target.agency += record.fte
        else:
            target.employed += record.fte
    vacancies = list(
        figures.vacancies_open(today)
        .select_related("post__team", "covered_by")
        .order_by("post__team__name", "opened_on")
    )
    live = {
        r.vacancy_id: r
        for r in Recruitment.objects.filter(vacancy__in=vacancies)
        .exclude(stage=RecruitmentStage.WITHDRAWN)
        .order_by("created_at")
    }
    vacancy_rows = []
    for vacancy in vacancies:
        target = row(vacancy.post.team)
        target.vacant += vacancy.fte
        target.cover[vacancy.cover] += 1
        recruitment = live.get(vacancy.pk)
        if recruitment is not None:
            target.pipeline[recruitment.stage] += 1
        vacancy_rows.append(
            VacancyRow(vacancy, recruitment, (today - recruitment.stage_since).days if recruitment else None)
        )
    census_on = figures.census_date(today)
    figure_rows = [
        FigureRow(
            id=fid,
            label=figures.LABELS[fid],
            now=function(on=today),
            census=function(on=census_on),
            benchmark=figures.BENCHMARKS[fid],
        )
        for fid, function in figures.FIGURES.items()
    ]
    quarter = quarter_of(today)
    due = list(payments_due(until=quarter[1]))
    repayable = list(repayments_outstanding())
    agency_weekly = StaffRecord.objects.filter(current(today), kind=EmploymentKind.AGENCY).aggregate(
        total=Sum("agency_weekly_cost_pence")
    )["total"]
    return Overview(
        today=today,
        census_on=census_on,
        teams=sorted(rows.values(), key=lambda r: r.team.name),
        vacancies=vacancy_rows,
        figures=figure_rows,
        payments_due=due,
        quarter=quarter,
        repayable=repayable,
        repayable_total=sum(a.repayable_pence or 0 for a in repayable),
        outstanding_total=sum(a.outstanding_pence() for a in repayable),
        applications=list(applications_waiting()),
        due_total=sum(p.amount_pence for p in due),
        agency_weekly_pence=int(agency_weekly or 0),
        leaving_reasons=figures.leaving_reasons(on=today),
        grown={
            "Senior practitioners": internal_and_external(on=today, grade=Grade.SENIOR),
            "Team managers": internal_and_external(on=today, grade=Grade.TEAM_MANAGER),
        },
        stages=[(s, RecruitmentStage(s).label) for s in STAGE_ORDER if s != RecruitmentStage.STARTED],
        trends=trends(today=today),
        trend_labels=[figures.LABELS[fid] for fid in TREND_IDS],
    )


# -- A team's page.


@dataclass(frozen=True)
class AsyeRow:
    staff: StaffRecord
    reviews: list[AsyeReview]
    limit: int | None
    load: WorkerLoad | None


@dataclass
class TeamPage:
    team: Team
    posts: list[tuple[Post, list[StaffRecord]]]
    unposted: list[StaffRecord]
    vacancies: list[Vacancy]
    loads: list[WorkerLoad]
    supervision: list[SupervisionStatus]
    asye: list[AsyeRow]
    today: dt.date
    figures: list[tuple[str, figures.Figure, Decimal]]


def team_page_for(*, user: User, team_id: uuid.UUID, today: dt.date) -> TeamPage:
    """A team's posts, caseloads, supervision and ASYE progress (no pay or incentives)."""
    if not may(user, WorkforceAction.VIEW_TEAM):
        raise PermissionDenied("You cannot see teams' workforce records")
    team = teams_for(user, WorkforceAction.VIEW_TEAM).filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    staff = list(
        StaffRecord.objects.filter(current(today), team=team).select_related(
            "asye_cohort", "user__team", "post", "team"
        )
    )
    posts = [(p, [s for s in staff if s.post_id == p.pk]) for p in Post.objects.filter(team=team)]
    holders = [s.user for s in staff if s.user is not None and s.case_holding and s.is_social_worker]
    loads = worker_loads(holders, on=today)
    asye = [
        AsyeRow(
            s,
            list(s.asye_reviews.all()),
            loads[s.user_id].asye_limit if s.user_id in loads else None,
            loads.get(s.user_id) if s.user_id else None,
        )
        for s in staff
        if s.asye_cohort_id is not None
    ]
    return TeamPage(
        team=team,
        posts=posts,
        unposted=[s for s in staff if s.post_id is None],
        vacancies=list(figures.vacancies_open(today, team=team).select_related("post")),
        loads=sorted(loads.values(), key=lambda load: (load.user.last_name, load.user.first_name)),
        supervision=sorted(supervision_statuses(staff), key=lambda s: s.due),
        asye=asye,
        today=today,
        figures=[
            (figures.LABELS[fid], function(on=today, team=team), figures.BENCHMARKS[fid])
            for fid, function in figures.FIGURES.items()
        ],
    )


# -- One person's record.


def _reachable_staff(user: User) -> QuerySet[StaffRecord]:
    teams = teams_for(user, WorkforceAction.VIEW_TEAM)
    return StaffRecord.objects.filter(Q(team__in=teams) | Q(user=user))


def staff_for(
    *, user: User, staff_id: uuid.UUID, action: WorkforceAction = WorkforceAction.VIEW_TEAM
) -> StaffRecord:
    """A staff record the user may see (404 if not), and may act on under ``action`` (403
    if not). Their own record they may always see."""
    record = (
        _reachable_staff(user)
        .filter(pk=staff_id)
        .select_related("team", "post", "asye_cohort", "supervisor", "user")
        .first()
    )
    if record is None or not user.is_active:
        raise Http404("No such staff record")
    if action != WorkforceAction.VIEW_TEAM:
        allowed = teams_for(user, action).filter(pk=record.team_id).exists()
        if not allowed or (action == WorkforceAction.SUPERVISE and record.user_id == user.pk):
            raise PermissionDenied("You cannot do this on this record")
    return record


def own_record(*, user: User) -> StaffRecord | None:
    return (
        StaffRecord.objects.filter(user=user)
        .select_related("team", "post", "asye_cohort", "supervisor")
        .first()
    )


def review_for(*, user: User, review_id: uuid.UUID) -> AsyeReview:
    review = (
        AsyeReview.objects.filter(pk=review_id).select_related("staff__team", "staff__asye_cohort").first()
    )
    if review is None:
        raise Http404("No such review")
    staff_for(user=user, staff_id=review.staff_id, action=WorkforceAction.SUPERVISE)
    return review


def payment_for(*, user: User, payment_id: uuid.UUID) -> IncentivePayment:
    if not may_see_pay(user):
        raise Http404("No such payment")
    payment = IncentivePayment.objects.filter(pk=payment_id).select_related("award__staff").first()
    if payment is None:
        raise Http404("No such payment")
    return payment


def recruitment_for(*, user: User, recruitment_id: uuid.UUID) -> Recruitment:
    if not may_see_pay(user):
        raise Http404("No such recruitment")
    recruitment = Recruitment.objects.filter(pk=recruitment_id).select_related("vacancy__post__team").first()
    if recruitment is None:
        raise Http404("No such recruitment")
    return recruitment


def vacancy_for(*, user: User, vacancy_id: uuid.UUID) -> Vacancy:
    """A vacancy, for the workforce lead and HR only (404 for anyone else or no such key)."""
    if not may(user, WorkforceAction.MANAGE):
        raise Http404("No such vacancy")
    vacancy = Vacancy.objects.filter(pk=vacancy_id).select_related("post__team", "covered_by").first()
    if vacancy is None:
        raise Http404("No such vacancy")
    return vacancy


def applicant_for(*, user: User, staff_id: uuid.UUID) -> StaffRecord:
    """The person a progression application is made for: the user themselves, or anyone
    whose record the user may manage (the workforce lead and HR). 404 for a record out of
    reach, 403 for one the user may only see."""
    record = staff_for(user=user, staff_id=staff_id)
    if record.user_id == user.pk:
        return record
    return staff_for(user=user, staff_id=staff_id, action=WorkforceAction.MANAGE)


def award_for(*, user: User, award_id: uuid.UUID) -> IncentiveAward:
    """An incentive award, for those who may manage its person's record (404 for a person
    out of reach, 403 for one they may only see, their own included)."""
    award = (
        IncentiveAward.objects.filter(pk=award_id)
        .select_related("scheme", "staff")
        .prefetch_related("repayments")
        .first()
    )
    if award is None:
        raise Http404("No such award")
    award.staff = staff_for(user=user, staff_id=award.staff_id, action=WorkforceAction.MANAGE)
    return award


def application_for(*, user: User, application_id: uuid.UUID) -> ProgressionApplication:
    """A progression application, for those who may manage its person's record (404 for a
    person out of reach, 403 for one they may only see)."""
    application = ProgressionApplication.objects.filter(pk=application_id).select_related("staff").first()
    if application is None:
        raise Http404("No such application")
    application.staff = staff_for(user=user, staff_id=application.staff_id, action=WorkforceAction.MANAGE)
    return application


def cover_label(kind: str) -> str:
    return str(CoverKind(kind).label)
