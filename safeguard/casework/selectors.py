"""Reads of casework for lists and headline figures."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from safeguard.accounts.models import CASE_HOLDING_ROLES, RECEIVING_TEAM_KINDS, Team, TeamKind, User
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessAction, AccessKind
from safeguard.audit.services import access_log_record_list
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import (
    Assessment,
    AssessmentOutcome,
    AssessmentSection,
    AssessmentStatus,
    ChildProtectionPlan,
    ChronologyEntry,
    CINEpisode,
    ClockKind,
    Section47Enquiry,
    StatutoryClock,
    StrategyDiscussion,
    Visit,
)
from safeguard.casework.timescales import TIMESCALES, first_review_timescale, later_review_timescale
from safeguard.core.calendar import working_days_between
from safeguard.core.codes import ReasonForClosure
from safeguard.people.access import child_read, record_get_for_user
from safeguard.people.models import Address, Person
from safeguard.people.permissions import children_for, sealed_records_open_to


def _unsealed_or_open_to(user: User) -> Q:
    """Leave out sealed children, except those ``user`` is named on or has a grant for
    (a worker named on a seal still needs the child on their list and their clocks)."""
    return Q(child__is_sealed=False) | Q(child__in=sealed_records_open_to(user))


def episodes_open_for_worker(*, worker: User) -> QuerySet[CINEpisode]:
    return (
        CINEpisode.objects.filter(worker=worker, closure_date__isnull=True)
        .filter(_unsealed_or_open_to(worker))
        .select_related("child")
        .order_by("referral_date")
    )


# A caseload weighted by complexity (workforce.md: "weighted by complexity where the LA
# chooses"): this council counts a child on a child protection plan as one and a half
# children, for the visits, core groups and conferences the plan brings; every other child
# counts as one.
CP_PLAN_WEIGHT = 1.5


@dataclass(frozen=True)
class WorkerCaseload:
    worker: User
    open_cases: int
    policy: int
    on_cp_plans: int = 0

    @property
    def weighted(self) -> float:
        return self.open_cases + (CP_PLAN_WEIGHT - 1) * self.on_cp_plans

    @property
    def capacity(self) -> float:
        """The team's policy scaled to the worker's hours."""
        return self.policy * float(self.worker.fte)

    @property
    def over_policy(self) -> bool:
        return self.weighted > self.capacity


def team_caseloads(*, teams: Iterable[Team]) -> list[tuple[Team, list[WorkerCaseload]]]:
    team_list = list(teams)
    held = Q(allocated_episodes__closure_date__isnull=True)
    on_plan = held & Q(
        allocated_episodes__cp_plans__isnull=False, allocated_episodes__cp_plans__end_date__isnull=True
    )
    workers = (
        User.objects.filter(team__in=team_list, role__in=CASE_HOLDING_ROLES, is_active=True)
        .annotate(
            open_cases=Count("allocated_episodes", filter=held, distinct=True),
            on_cp_plans=Count("allocated_episodes", filter=on_plan, distinct=True),
        )
        .order_by("last_name", "first_name")
    )
    by_team: dict[Any, list[WorkerCaseload]] = {t.pk: [] for t in team_list}
    policies = {t.pk: t.caseload_policy for t in team_list}
    for worker in workers:
        if worker.team_id is None:
            continue
        open_cases: int = worker.open_cases
        on_cp_plans: int = worker.on_cp_plans
        by_team[worker.team_id].append(
            WorkerCaseload(worker, open_cases, policies[worker.team_id], on_cp_plans)
        )
    return [(t, by_team[t.pk]) for t in team_list if by_team[t.pk]]


def clock_status(days: int) -> str:
    """A clock's state in words, from the working days left before it falls due."""
    if days < 0:
        return f"Overdue by {-days} working day{'s' if days != -1 else ''}"
    if days == 0:
        return "Due today"
    return f"Due in {days} working day{'s' if days != 1 else ''}"


def clock_colour(days: int) -> str:
    if days < 0:
        return "govuk-tag--red"
    if days <= settings.CLOCK_DUE_SOON_WORKING_DAYS:
        return "govuk-tag--yellow"
    return "govuk-tag--green"


class DueInWords:
    """A clock's status and tag colour, for anything that knows its working days left."""

    working_days_left: int

    @property
    def status(self) -> str:
        return clock_status(self.working_days_left)

    @property
    def colour(self) -> str:
        return clock_colour(self.working_days_left)


# -- the hand-off from the front door ---------------------------------------------------


def receiving_teams() -> QuerySet[Team]:
    """The teams a referral can be sent to (or a case transferred to)."""
    return Team.objects.filter(kind__in=RECEIVING_TEAM_KINDS).select_related("service").order_by("name")


def postcode_district(postcode: str) -> str:
    """The outward code ("HM1" of "HM1 4AB"), however the postcode was typed."""
    compact = "".join(postcode.split()).upper()
    return compact[:-3] if len(compact) > 3 else ""


def receiving_team_for(*, child: Person | None, postcode: str = "") -> Team | None:
    """The team covering where the child lives: their current address on the record, else
    the postcode the contact gave. None when no team covers it (the front door chooses)."""
    postcodes = []
    if child is not None:
        postcodes += [
            a.postcode
            for a in Address.objects.filter(person=child, end_date__isnull=True).order_by(
                "-start_date", "-created_at"
            )
        ]
    postcodes.append(postcode)
    teams = [t for t in receiving_teams() if t.districts]
    for code in postcodes:
        district = postcode_district(code or "")
        for team in teams:
            if district and district in team.districts:
                return team
    return None


@dataclass(frozen=True)
class WaitingReferral(DueInWords):
    """A referral in a team, waiting for a worker, with its assessment clock."""

    episode: CINEpisode
    days_waiting: int
    assessment_due: dt.date
    working_days_left: int


def _assessment_due(episode: CINEpisode, clocks: dict[Any, StatutoryClock]) -> dt.date:
    """The running assessment clock's due date; before an assessment has started, when the
    clock will fall due (it runs from the referral date)."""
    clock = clocks.get(episode.pk)
    if clock is not None:
        return clock.due_date
    return TIMESCALES[ClockKind.ASSESSMENT]().due(episode.referral_date)


def _assessment_clocks(episode_ids: list[Any]) -> dict[Any, StatutoryClock]:
    running = StatutoryClock.objects.filter(
        episode_id__in=episode_ids, kind=ClockKind.ASSESSMENT, met_date__isnull=True, stopped_reason=""
    ).order_by("due_date")
    clocks: dict[Any, StatutoryClock] = {}
    for clock in running:
        clocks.setdefault(clock.episode_id, clock)
    return clocks


def referrals_to_allocate(*, user: User, today: dt.date, limit: int = 50) -> list[WaitingReferral]:
    """Open episodes in the manager's own team with no worker, longest waiting first."""
    if user.team_id is None:
        return []
    episodes = list(
        CINEpisode.objects.filter(team_id=user.team_id, worker__isnull=True, closure_date__isnull=True)
        .filter(child__in=children_for(user, Action.AUTHORISE))
        .select_related("child", "team")
        .order_by("team_since", "referral_date")[:limit]
    )
    clocks = _assessment_clocks([e.pk for e in episodes])
    waiting = []
    for episode in episodes:
        due = _assessment_due(episode, clocks)
        since = episode.team_since or episode.referral_date
        waiting.append(WaitingReferral(episode, (today - since).days, due, working_days_between(today, due)))
    waiting.sort(key=lambda w: (-w.days_waiting, w.assessment_due))
    return waiting


@dataclass(frozen=True)
class AssessmentToAuthorise(DueInWords):
    assessment: Assessment
    assessment_due: dt.date
    working_days_left: int


def assessments_to_authorise(*, user: User, today: dt.date, limit: int = 50) -> list[AssessmentToAuthorise]:
    """Submitted assessments in the manager's team, the soonest due first."""
    if user.team_id is None:
        return []
    assessments = list(
        Assessment.objects.filter(
            status=AssessmentStatus.SUBMITTED,
            episode__team_id=user.team_id,
            episode__child__in=children_for(user, Action.AUTHORISE),
        ).select_related("episode__child", "episode__worker", "submitted_by")[:limit]
    )
    clocks = _assessment_clocks([a.episode_id for a in assessments])
    rows = []
    for item in assessments:
        due = _assessment_due(item.episode, clocks)
        rows.append(AssessmentToAuthorise(item, due, working_days_between(today, due)))
    rows.sort(key=lambda r: (r.assessment_due, r.assessment.submitted_date or today))
    return rows


@dataclass(frozen=True)
class ReviewDue:
    plan: ChildProtectionPlan
    due: dt.date
    days_left: int


def next_review_due(plan: ChildProtectionPlan, review_dates: list[dt.date]) -> dt.date:
    """First review within 3 months of the plan's start (the ICPC), then every 6 months.

    Working Together 2023, ch.3, "Child protection review conference"; timescales.md 6-7.
    """
    if not review_dates:
        return first_review_timescale().due(plan.start_date)
    return later_review_timescale().due(max(review_dates))


def cp_plans_with_next_review(*, today: dt.date, limit: int) -> list[ReviewDue]:
    plans = (
        ChildProtectionPlan.objects.filter(end_date__isnull=True)
        .exclude(child__is_sealed=True)
        .select_related("child")
        .prefetch_related("reviews")
    )
    due = []
    for plan in plans:
        when = next_review_due(plan, [r.held_on for r in plan.reviews.all()])
        due.append(ReviewDue(plan, when, (when - today).days))
    due.sort(key=lambda r: r.due)
    return due[:limit]


def episode_get_for_user(
    *,
    user: User,
    episode_id: uuid.UUID,
    action: Action = Action.VIEW,
    request: HttpRequest | None = None,
    what: AccessKind = AccessKind.EPISODE,
) -> CINEpisode:
    """The episode if the user may see its child (else 404), and may do ``action`` (else 403).

    Every read, and every refused attempt, is written to the access log against the child,
    as ``what``: the page a form opens for (a visit, a case note) names its own kind.
    """
    return record_get_for_user(
        user=user,
        what=what,
        scoped=CINEpisode.objects.filter(child__in=children_for(user, Action.VIEW)).select_related(
            "child", "team", "worker"
        ),
        pk=episode_id,
        child_id_of=lambda episode: episode.child_id,
        request=request,
        action=action,
    )


def assessment_get_for_user(
    *,
    user: User,
    assessment_id: uuid.UUID,
    action: Action = Action.VIEW,
    request: HttpRequest | None = None,
    access: AccessAction = AccessAction.VIEW,
) -> Assessment:
    """The assessment, on the same rule as its episode; logged as an assessment read (or,
    with ``access=DOWNLOAD``, its PDF)."""
    return record_get_for_user(
        user=user,
        what=AccessKind.ASSESSMENT,
        scoped=Assessment.objects.filter(episode__child__in=children_for(user, Action.VIEW)).select_related(
            "episode__child"
        ),
        pk=assessment_id,
        child_id_of=lambda assessment: assessment.episode.child_id,
        request=request,
        action=action,
        access=access,
    )


def section_47_get_for_user(
    *, user: User, enquiry_id: uuid.UUID, action: Action = Action.VIEW, request: HttpRequest | None = None
) -> Section47Enquiry:
    return record_get_for_user(
        user=user,
        what=AccessKind.SECTION_47,
        scoped=Section47Enquiry.objects.filter(
            episode__child__in=children_for(user, Action.VIEW)
        ).select_related("episode__child", "episode__team", "episode__worker"),
        pk=enquiry_id,
        child_id_of=lambda enquiry: enquiry.episode.child_id,
        request=request,
        action=action,
    )


def strategy_discussion_get_for_user(
    *, user: User, discussion_id: uuid.UUID, action: Action = Action.VIEW, request: HttpRequest | None = None
) -> StrategyDiscussion:
    return record_get_for_user(
        user=user,
        what=AccessKind.STRATEGY_DISCUSSION,
        scoped=StrategyDiscussion.objects.filter(
            episode__child__in=children_for(user, Action.VIEW)
        ).select_related("episode__child", "episode__team", "episode__worker"),
        pk=discussion_id,
        child_id_of=lambda discussion: discussion.episode.child_id,
        request=request,
        action=action,
    )


@dataclass(frozen=True)
class ClockView(DueInWords):
    clock: StatutoryClock
    working_days_left: int


def _running_clocks_query(user: User, scope: str) -> QuerySet[StatutoryClock]:
    clocks = StatutoryClock.objects.filter(met_date__isnull=True, stopped_reason="")
    if scope == "mine":
        clocks = clocks.filter(episode__worker=user)
    else:
        clocks = clocks.filter(child__in=children_for(user, Action.AUTHORISE))
    return clocks.filter(_unsealed_or_open_to(user))


def running_clocks(*, user: User, today: dt.date, scope: str = "mine", limit: int = 100) -> list[ClockView]:
    """Running clocks, soonest first: the user's own children, or their team's (managers)."""
    clocks = (
        _running_clocks_query(user, scope).select_related("child", "episode__worker").order_by("due_date")
    )
    return [ClockView(c, working_days_between(today, c.due_date)) for c in clocks[:limit]]


def running_clock_counts(*, user: User, today: dt.date, scope: str = "mine") -> dict[str, int]:
    """How many clocks are running and how many of them are overdue (for the board's heading)."""
    return _running_clocks_query(user, scope).aggregate(
        running=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))
    )


def clock_board(
    *, user: User, today: dt.date, scope: str = "mine", request: HttpRequest | None = None
) -> tuple[list[ClockView], dict[str, int]]:
    """The clock board's rows and heading counts; the list is written to the access log."""
    clocks = running_clocks(user=user, today=today, scope=scope)
    counts = running_clock_counts(user=user, today=today, scope=scope)
    access_log_record_list(
        user=user,
        what=AccessKind.CLOCK_BOARD,
        model=StatutoryClock,
        detail=f"{'Team' if scope == 'team' else 'Own'} clocks: {len(clocks)} shown of {counts['running']}",
        request=request,
    )
    return clocks, counts


@dataclass(frozen=True)
class ChronologyLine:
    day: dt.date
    event: str
    source: str
    analysis: str
    curated: bool


def chronology_for(
    *,
    user: User,
    child_id: uuid.UUID,
    request: HttpRequest | None,
    access: AccessAction = AccessAction.VIEW,
) -> tuple[Any, list[ChronologyLine]]:
    """The child's chronology: significant events from the record, and the worker's own
    entries with their analysis, oldest first. Logged as a read of the child's record."""
    child = child_read(
        user=user, child_id=child_id, what=AccessKind.CHRONOLOGY, request=request, access=access
    )
    lines: list[ChronologyLine] = []
    for e in CINEpisode.objects.filter(child=child):
        lines.append(
            ChronologyLine(
                e.referral_date, f"Referral: {e.get_referral_source_display()}", "Record", "", False
            )
        )
        if e.closure_date:
            lines.append(
                ChronologyLine(
                    e.closure_date,
                    f"Episode closed: {e.get_reason_for_closure_display()}",
                    "Record",
                    "",
                    False,
                )
            )
    for a in Assessment.objects.filter(episode__child=child):
        lines.append(ChronologyLine(a.start_date, "Assessment started", "Record", "", False))
        if a.authorised_date:
            lines.append(
                ChronologyLine(
                    a.authorised_date,
                    f"Assessment authorised: {a.get_outcome_display() or 'no outcome recorded'}",
                    "Record",
                    "",
                    False,
                )
            )
    for s in Section47Enquiry.objects.filter(episode__child=child):
        lines.append(
            ChronologyLine(
                s.start_date, "Strategy discussion: section 47 enquiry started", "Record", "", False
            )
        )
        if s.icpc_date:
            lines.append(
                ChronologyLine(s.icpc_date, "Initial child protection conference", "Record", "", False)
            )
    for p in ChildProtectionPlan.objects.filter(child=child):
        lines.append(
            ChronologyLine(
                p.start_date,
                f"Child protection plan: {p.get_initial_category_display()}",
                "Record",
                "",
                False,
            )
        )
        if p.end_date:
            lines.append(ChronologyLine(p.end_date, "Child protection plan ended", "Record", "", False))
    for v in Visit.objects.filter(child=child):
        seen = "seen alone" if v.child_seen_alone else ("seen" if v.child_seen else "not seen")
        lines.append(
            ChronologyLine(v.visit_date, f"{v.get_kind_display()}: child {seen}", "Record", "", False)
        )
    for entry in ChronologyEntry.objects.filter(child=child):
        lines.append(ChronologyLine(entry.happened_on, entry.event, entry.source, entry.analysis, True))
    lines.sort(key=lambda line: (line.day, not line.curated))
    return child, lines


# -- checks that write nothing, used by the services and their pages ---------------------


def open_cp_plan(child: Person) -> ChildProtectionPlan | None:
    return ChildProtectionPlan.objects.filter(child=child, end_date__isnull=True).first()


def is_with_front_door(actor: User, episode: CINEpisode) -> bool:
    """Still the front door's to send on: no team yet, a front door team, or the actor's own."""
    team = episode.team
    return team is None or team.kind == TeamKind.FRONT_DOOR or team.pk == actor.team_id


def assessment_missing(assessment: Assessment) -> list[str]:
    """What must be done before the assessment can be submitted (empty when complete)."""
    missing = [
        # "The child's views" already starts with "the": not "Write the the child's views".
        f"Write the {title.lower().removeprefix('the ')} section"
        for key, title, _hint in ASSESSMENT_SECTIONS
        if not assessment.sections.filter(key=key).exclude(text="").exists()
    ]
    if assessment.child_seen_date is None:
        missing.append("Record the date the child was seen")
    if not assessment.factors:
        missing.append("Record the factors identified")
    if not assessment.outcome:
        missing.append("Record the outcome")
    if "21" in assessment.factors and assessment.outcome != AssessmentOutcome.NFA:
        missing.append("'No factors identified' can only be used when the outcome is no further action")
    return missing


_SOMEONE_ELSE = "A manager other than the assessing worker must authorise it"


def assessment_authorise_refusal(*, actor: User, assessment: Assessment) -> str | None:
    """Why ``actor`` may not authorise this assessment, or None when they may (four eyes).

    The sign-off must come from someone who did none of the work: not whoever started it,
    wrote any part of it or sent it for authorisation, so a manager cannot write an
    assessment and sign it off alone.
    """
    if actor.pk == assessment.created_by_id:
        return f"You started this assessment. {_SOMEONE_ELSE}"
    if actor.pk == assessment.submitted_by_id:
        return f"You sent this assessment for authorisation. {_SOMEONE_ELSE}"
    written = set(
        AssessmentSection.objects.filter(assessment=assessment, authors=actor).values_list("key", flat=True)
    )
    titles = [title for key, title, _hint in ASSESSMENT_SECTIONS if key in written]
    if titles:
        return f"You wrote part of this assessment ({titles[0]}). {_SOMEONE_ELSE}"
    if assessment.details_recorded_by.filter(pk=actor.pk).exists():
        return f"You recorded the dates seen, factors or outcome of this assessment. {_SOMEONE_ELSE}"
    return None


def episode_close_problems(episode: CINEpisode, closure_date: dt.date, reason: str) -> list[str]:
    """The DfE census rules that a closure must meet (prevented here, not found at census time)."""
    problems = []
    if closure_date < episode.referral_date:
        problems.append("The closure date must be on or after the referral date")
    if closure_date > timezone.localdate():
        problems.append("The closure date cannot be in the future")
    if reason in (ReasonForClosure.RC8, ReasonForClosure.RC9) and not episode.assessments.exists():
        problems.append("Closure after assessment (RC8 or RC9) needs an assessment on this episode")
    if episode.cp_plans.filter(end_date__isnull=True).exists():
        problems.append("End the child protection plan before closing the episode")
    if episode.cin_plans.filter(end_date__isnull=True).exists():
        problems.append("End the child in need plan before closing the episode")
    if episode.assessments.exclude(status=AssessmentStatus.AUTHORISED).exists():
        problems.append("An assessment is not yet authorised: finish or authorise it first")
    return problems
