"""Every write to casework: acting user, transaction, audit event, side effects on commit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from safeguard.accounts.models import RECEIVING_TEAM_KINDS, Team, TeamKind, User
from safeguard.accounts.policy import FRONT_DOOR_ROLES, Action, Scope, scope_for
from safeguard.audit.services import audit_event_record, diff, snapshot
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import (
    Assessment,
    AssessmentOutcome,
    AssessmentSection,
    AssessmentStatus,
    CaseNote,
    ChildProtectionPlan,
    ChronologyEntry,
    CINEpisode,
    CINPlan,
    CINPlanReview,
    ClockKind,
    Section47Enquiry,
    Section47Outcome,
    StatutoryClock,
    StrategyAgency,
    StrategyDiscussion,
    Visit,
    VisitKind,
)
from safeguard.casework.timescales import TIMESCALES, Timescale, icpc_timescale
from safeguard.core.codes import PrimaryNeed, ReasonForClosure
from safeguard.design_system.formatting import govuk_date
from safeguard.people.models import Person
from safeguard.people.permissions import can

_EPISODE_FIELDS = ["child_id", "referral_date", "referral_source", "primary_need", "team_id", "worker_id"]


def episode_open(
    *,
    actor: User | None,
    child: Person,
    referral_date: dt.date,
    referral_source: str,
    primary_need: str = PrimaryNeed.N0,
    team: Team | None = None,
) -> CINEpisode:
    """Open a children in need episode from a referral (census CINreferralDate, ReferralSource).

    A child has at most one open episode: a new referral while one is open is recorded
    against that episode's work, not as a second episode.
    """
    if not child.is_child_record:
        raise ValidationError("Only a child's record can have a referral")
    if CINEpisode.objects.filter(child=child, closure_date__isnull=True).exists():
        raise ValidationError("This child already has an open episode: add the referral to it")
    with transaction.atomic():
        episode = CINEpisode(
            child=child,
            referral_date=referral_date,
            referral_source=referral_source,
            primary_need=primary_need,
            team=team,
            team_since=timezone.localdate() if team is not None else None,
            created_by=actor,
            modified_by=actor,
        )
        episode.full_clean()
        episode.save()
        audit_event_record(
            actor=actor,
            action="episode_open",
            instance=episode,
            changes=diff({}, snapshot(episode, _EPISODE_FIELDS)),
            child_id=child.pk,
        )
    return episode


def open_cp_plan(child: Person) -> ChildProtectionPlan | None:
    return ChildProtectionPlan.objects.filter(child=child, end_date__isnull=True).first()


# -- statutory clocks ------------------------------------------------------------------


def clock_start(
    *, actor: User | None, kind: str, episode: CINEpisode, source: models.Model, start_date: dt.date
) -> StatutoryClock:
    timescale = TIMESCALES[ClockKind(kind)]()
    clock = StatutoryClock.objects.create(
        kind=kind,
        child_id=episode.child_id,
        episode=episode,
        source_type=source._meta.label_lower,
        source_id=source.pk,
        start_date=start_date,
        working_days=timescale.working_days,
        months=timescale.months,
        due_date=timescale.due(start_date),
        created_by=actor,
        modified_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="clock_start",
        instance=clock,
        changes=diff({}, snapshot(clock, ["kind", "start_date", "due_date"])),
        child_id=episode.child_id,
    )
    return clock


def clock_stop(
    *,
    actor: User | None,
    clock: StatutoryClock,
    met_date: dt.date | None,
    late_reason: str = "",
    stopped_reason: str = "",
) -> StatutoryClock:
    """Stop a clock: met on ``met_date`` (a reason is required if late), or stopped without
    being met (``stopped_reason``, e.g. "no conference needed")."""
    if met_date is not None and met_date > clock.due_date and not late_reason.strip():
        raise ValidationError("Give the reason this was late: it was due on " + govuk_date(clock.due_date))
    before = snapshot(clock, ["met_date", "late_reason", "stopped_reason"])
    clock.met_date = met_date
    clock.late_reason = late_reason.strip()
    clock.stopped_reason = stopped_reason
    clock.modified_by = actor
    clock.save(update_fields=["met_date", "late_reason", "stopped_reason", "modified_by", "modified_at"])
    audit_event_record(
        actor=actor,
        action="clock_stop",
        instance=clock,
        changes=diff(before, snapshot(clock, ["met_date", "late_reason", "stopped_reason"])),
        child_id=clock.child_id,
    )
    return clock


def clocks_recompute(*, actor: User | None) -> int:
    """Re-time every running clock (after the bank holiday list changes). Returns how many moved."""
    moved = 0
    for clock in StatutoryClock.objects.filter(met_date__isnull=True, stopped_reason=""):
        timescale = Timescale(working_days=clock.working_days, months=clock.months)
        due = timescale.due(clock.start_date)
        if due != clock.due_date:
            before = snapshot(clock, ["due_date"])
            clock.due_date = due
            clock.save(update_fields=["due_date", "modified_at"])
            audit_event_record(
                actor=actor,
                action="clock_retime",
                instance=clock,
                changes=diff(before, snapshot(clock, ["due_date"])),
                child_id=clock.child_id,
            )
            moved += 1
    return moved


def _running_clock(
    episode: CINEpisode, kind: str, source: models.Model | None = None
) -> StatutoryClock | None:
    clocks = StatutoryClock.objects.filter(
        episode=episode, kind=kind, met_date__isnull=True, stopped_reason=""
    )
    if source is not None:
        clocks = clocks.filter(source_id=source.pk)
    return clocks.first()


# -- hand-off, allocation and transfer --------------------------------------------------

_HANDOFF_FIELDS = ["team_id", "worker_id", "team_since"]


def _locked(episode: CINEpisode) -> CINEpisode:
    """The episode's row, locked, as it is now: two people moving the same child at once
    make one move, and the second is judged against where the first left it."""
    # Only the episode's own row is locked (PostgreSQL cannot lock the nullable side of a join).
    current = CINEpisode.objects.select_for_update().get(pk=episode.pk)
    episode.team_id, episode.worker_id, episode.team_since = (
        current.team_id,
        current.worker_id,
        current.team_since,
    )
    episode.closure_date = current.closure_date
    return episode


def _move(*, actor: User, episode: CINEpisode, team: Team, action: str, reason: str) -> CINEpisode:
    before = snapshot(episode, _HANDOFF_FIELDS)
    episode.team = team
    episode.worker = None
    episode.team_since = timezone.localdate()
    episode.modified_by = actor
    # Clocks belong to the child's episode, not to a team: they run on across the move.
    episode.save(update_fields=["team", "worker", "team_since", "modified_by", "modified_at"])
    changes = diff(before, snapshot(episode, _HANDOFF_FIELDS))
    if reason.strip():
        changes["reason"] = {"before": None, "after": reason.strip()}
    audit_event_record(
        actor=actor, action=action, instance=episode, changes=changes, child_id=episode.child_id
    )
    return episode


def _check_receiving(episode: CINEpisode, team: Team) -> None:
    if team.kind not in RECEIVING_TEAM_KINDS:
        raise ValidationError("Choose a team that assesses children and holds their cases")
    if team.pk == episode.team_id:
        raise ValidationError(f"The referral is already with {team.name}")


def is_with_front_door(actor: User, episode: CINEpisode) -> bool:
    """Still the front door's to send on: no team yet, a front door team, or the actor's own."""
    team = episode.team
    return team is None or team.kind == TeamKind.FRONT_DOOR or team.pk == actor.team_id


def episode_send_to_team(*, actor: User, episode: CINEpisode, team: Team, reason: str = "") -> CINEpisode:
    """The front door hands a new referral to the team that will assess the child.

    The episode waits there, unallocated, for that team's manager; the front door no longer
    holds it. Once a team has it, only a service manager moves it (``episode_transfer``).
    """
    if actor.role not in FRONT_DOOR_ROLES:
        raise PermissionError("Only front door staff send referrals to a team")
    with transaction.atomic():
        _locked(episode)
        if not episode.is_open:
            raise ValidationError("This episode is closed")
        if episode.worker_id is not None or not is_with_front_door(actor, episode):
            held_by = episode.team.name if episode.team else "a worker"
            raise ValidationError(
                f"This referral is already with {held_by}: ask a service manager to transfer it"
            )
        _check_receiving(episode, team)
        return _move(actor=actor, episode=episode, team=team, action="episode_send_to_team", reason=reason)


def episode_transfer(*, actor: User, episode: CINEpisode, team: Team, reason: str) -> CINEpisode:
    """A service manager moves a child's case to another team, whose manager allocates it."""
    if scope_for(actor.role, Action.AUTHORISE) < Scope.SERVICE or not can(
        actor, Action.AUTHORISE, episode.child
    ):
        raise PermissionError("Only the service manager responsible for the child can transfer the case")
    if not reason.strip():
        raise ValidationError("Enter the reason for the transfer")
    with transaction.atomic():
        _locked(episode)
        if not episode.is_open:
            raise ValidationError("This episode is closed")
        _check_receiving(episode, team)
        return _move(actor=actor, episode=episode, team=team, action="episode_transfer", reason=reason)


def episode_allocate(*, actor: User, episode: CINEpisode, worker: User) -> CINEpisode:
    """Give the episode to a case-holding worker (and their team)."""
    if not worker.is_active or not worker.is_case_holder:
        raise ValidationError("Choose a social worker or senior practitioner who holds cases")
    if not can(actor, Action.AUTHORISE, episode.child):
        raise PermissionError("Only a manager responsible for the child can allocate the case")
    with transaction.atomic():
        _locked(episode)
        if not episode.is_open:
            raise ValidationError("This episode is closed")
        moving_team = episode.team_id is not None and worker.team_id != episode.team_id
        if moving_team and scope_for(actor.role, Action.AUTHORISE) < Scope.SERVICE:
            raise ValidationError(
                "You can only allocate to workers in the child's team: "
                "ask a service manager to transfer the case"
            )
        before = snapshot(episode, _HANDOFF_FIELDS)
        if worker.team_id != episode.team_id:
            episode.team_since = timezone.localdate()
        episode.worker = worker
        episode.team = worker.team
        episode.modified_by = actor
        episode.save(update_fields=["worker", "team", "team_since", "modified_by", "modified_at"])
        audit_event_record(
            actor=actor,
            action="episode_allocate",
            instance=episode,
            changes=diff(before, snapshot(episode, _HANDOFF_FIELDS)),
            child_id=episode.child_id,
        )
    return episode


# -- assessment -------------------------------------------------------------------------


def assessment_start(*, actor: User, episode: CINEpisode, start_date: dt.date) -> Assessment:
    """Start a child and family assessment; its 45-working-day clock runs from the referral."""
    if not episode.is_open:
        raise ValidationError("This episode is closed")
    if episode.referral_nfa:
        raise ValidationError("The referral was closed with no further action: nothing more can be recorded")
    if start_date < episode.referral_date:
        raise ValidationError("The assessment cannot start before the referral")
    with transaction.atomic():
        # Facts already known are not asked again: start from the last authorised factors.
        previous = (
            Assessment.objects.filter(episode__child_id=episode.child_id, authorised_date__isnull=False)
            .order_by("-authorised_date")
            .values_list("factors", flat=True)
            .first()
        )
        assessment = Assessment.objects.create(
            episode=episode,
            start_date=start_date,
            factors=[f for f in (previous or []) if f != "21"],
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="assessment_start",
            instance=assessment,
            changes=diff({}, snapshot(assessment, ["episode_id", "start_date"])),
            child_id=episode.child_id,
        )
        if _running_clock(episode, ClockKind.ASSESSMENT) is None:
            clock_start(
                actor=actor,
                kind=ClockKind.ASSESSMENT,
                episode=episode,
                source=assessment,
                start_date=episode.referral_date,
            )
    return assessment


class EditConflict(Exception):
    """Someone else saved this section since the user opened it."""

    def __init__(self, section: AssessmentSection) -> None:
        super().__init__("edit conflict")
        self.section = section


def assessment_section_save(
    *, actor: User, assessment: Assessment, key: str, text: str, based_on_version: int
) -> AssessmentSection:
    """Save a section's draft text, refusing a save based on an older version."""
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise ValidationError("This assessment has been submitted and can no longer be changed")
    with transaction.atomic():
        section, _created = AssessmentSection.objects.select_for_update().get_or_create(
            assessment=assessment, key=key, defaults={"created_by": actor, "modified_by": actor}
        )
        if section.version != based_on_version:
            raise EditConflict(section)
        if section.text == text:
            return section
        before = {"text": section.text}
        section.text = text
        section.version += 1
        section.modified_by = actor
        section.save(update_fields=["text", "version", "modified_by", "modified_at"])
        # Every writer is kept, not just the last: none of them may authorise (four eyes).
        section.authors.add(actor)
        audit_event_record(
            actor=actor,
            action="assessment_section_save",
            instance=section,
            changes=diff(before, {"text": text}),
            child_id=assessment.episode.child_id,
        )
    return section


def assessment_record_details(
    *, actor: User, assessment: Assessment, fields: dict[str, object]
) -> Assessment:
    """The structured parts: dates seen, factors, outcome. Saved even if incomplete."""
    allowed = {"child_seen_date", "child_seen_alone", "factors", "outcome"}
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        # What the manager authorises must be what was submitted.
        raise ValidationError("This assessment has been submitted and can no longer be changed")
    with transaction.atomic():
        before = snapshot(assessment, sorted(fields))
        for name, value in fields.items():
            if name not in allowed:
                raise ValueError(name)
            setattr(assessment, name, value)
        assessment.modified_by = actor
        assessment.save()
        changes = diff(before, snapshot(assessment, sorted(fields)))
        if changes:
            assessment.details_recorded_by.add(actor)
        audit_event_record(
            actor=actor,
            action="assessment_record_details",
            instance=assessment,
            changes=changes,
            child_id=assessment.episode.child_id,
        )
    return assessment


def assessment_missing(assessment: Assessment) -> list[str]:
    """What must be done before the assessment can be submitted (empty when complete)."""
    missing = [
        f"Write the {title.lower()} section"
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


def assessment_submit(*, actor: User, assessment: Assessment, on: dt.date) -> Assessment:
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise ValidationError("This assessment has already been submitted")
    missing = assessment_missing(assessment)
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_date = on
        assessment.submitted_by = actor
        assessment.modified_by = actor
        assessment.save(
            update_fields=["status", "submitted_date", "submitted_by", "modified_by", "modified_at"]
        )
        audit_event_record(
            actor=actor,
            action="assessment_submit",
            instance=assessment,
            changes={
                "status": {"before": "in_progress", "after": "submitted"},
                "submitted_by_id": {"before": None, "after": str(actor.pk)},
            },
            child_id=assessment.episode.child_id,
        )
    return assessment


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


def assessment_authorise(
    *, actor: User, assessment: Assessment, on: dt.date, late_reason: str = ""
) -> Assessment:
    """A manager signs the assessment off (census AssessmentAuthorisationDate)."""
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be authorised")
    if on < assessment.start_date:
        raise ValidationError("The assessment cannot be authorised before it started")
    if on > timezone.localdate():
        raise ValidationError("The authorisation date cannot be in the future")
    refusal = assessment_authorise_refusal(actor=actor, assessment=assessment)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        clock = _running_clock(assessment.episode, ClockKind.ASSESSMENT)
        if clock is not None:
            clock_stop(actor=actor, clock=clock, met_date=on, late_reason=late_reason)
        assessment.status = AssessmentStatus.AUTHORISED
        assessment.authorised_date = on
        assessment.authorised_by = actor
        assessment.modified_by = actor
        assessment.save(
            update_fields=["status", "authorised_date", "authorised_by", "modified_by", "modified_at"]
        )
        audit_event_record(
            actor=actor,
            action="assessment_authorise",
            instance=assessment,
            changes={"authorised_date": {"before": None, "after": on.isoformat()}},
            child_id=assessment.episode.child_id,
        )
    return assessment


# -- strategy discussion and section 47 -------------------------------------------------

REQUIRED_STRATEGY_AGENCIES: frozenset[str] = frozenset(
    {StrategyAgency.CSC, StrategyAgency.POLICE, StrategyAgency.HEALTH}
)


def strategy_discussion_record(
    *,
    actor: User,
    episode: CINEpisode,
    held_on: dt.date,
    agencies: list[str],
    information_shared: str,
    safety_actions: str,
    start_section_47: bool,
) -> StrategyDiscussion:
    """Record a strategy discussion; starting a section 47 enquiry starts the ICPC clock.

    Working Together 2023, chapter 3: police, health and children's social care at least.
    """
    if not episode.is_open:
        raise ValidationError("This episode is closed")
    if episode.referral_nfa:
        raise ValidationError("The referral was closed with no further action: nothing more can be recorded")
    if held_on > timezone.localdate():
        raise ValidationError("The strategy discussion cannot be in the future")
    if held_on < episode.referral_date:
        raise ValidationError("The strategy discussion cannot be before the referral")
    missing = REQUIRED_STRATEGY_AGENCIES - set(agencies)
    if missing:
        names = ", ".join(sorted(StrategyAgency(m).label.lower() for m in missing))
        raise ValidationError(
            f"A strategy discussion needs police, health and children's social care: add {names}"
        )
    with transaction.atomic():
        discussion = StrategyDiscussion.objects.create(
            episode=episode,
            held_on=held_on,
            agencies=sorted(agencies),
            information_shared=information_shared,
            safety_actions=safety_actions,
            section_47_started=start_section_47,
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="strategy_discussion_record",
            instance=discussion,
            changes=diff({}, snapshot(discussion, ["held_on", "agencies", "section_47_started"])),
            child_id=episode.child_id,
        )
        if start_section_47:
            _section_47_start(actor=actor, discussion=discussion)
    return discussion


def _section_47_start(*, actor: User, discussion: StrategyDiscussion) -> Section47Enquiry:
    episode = discussion.episode
    for earlier in StatutoryClock.objects.filter(
        episode=episode, kind=ClockKind.ICPC, met_date__isnull=True, stopped_reason=""
    ):
        # The ICPC is due 15 working days after the LAST strategy discussion that started a s47.
        clock_stop(
            actor=actor,
            clock=earlier,
            met_date=None,
            stopped_reason="Superseded by a later strategy discussion",
        )
    enquiry = Section47Enquiry.objects.create(
        episode=episode,
        strategy_discussion=discussion,
        start_date=discussion.held_on,
        icpc_target_date=icpc_timescale().due(discussion.held_on),
        created_by=actor,
        modified_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="section_47_start",
        instance=enquiry,
        changes=diff({}, snapshot(enquiry, ["start_date", "icpc_target_date"])),
        child_id=episode.child_id,
    )
    clock_start(
        actor=actor, kind=ClockKind.ICPC, episode=episode, source=enquiry, start_date=discussion.held_on
    )
    return enquiry


def section_47_outcome_record(*, actor: User, enquiry: Section47Enquiry, outcome: str) -> Section47Enquiry:
    """Record the enquiry's outcome; without a conference the ICPC clock stops unmet."""
    with transaction.atomic():
        before = snapshot(enquiry, ["outcome", "icpc_not_required"])
        enquiry.outcome = outcome
        enquiry.icpc_not_required = outcome != Section47Outcome.ICPC
        enquiry.modified_by = actor
        enquiry.save(update_fields=["outcome", "icpc_not_required", "modified_by", "modified_at"])
        audit_event_record(
            actor=actor,
            action="section_47_outcome_record",
            instance=enquiry,
            changes=diff(before, snapshot(enquiry, ["outcome", "icpc_not_required"])),
            child_id=enquiry.episode.child_id,
        )
        clock = _running_clock(enquiry.episode, ClockKind.ICPC, enquiry)
        if clock is not None and enquiry.icpc_not_required:
            clock_stop(actor=actor, clock=clock, met_date=None, stopped_reason="No conference needed")
    return enquiry


# -- closure ----------------------------------------------------------------------------


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


def episode_close(*, actor: User, episode: CINEpisode, closure_date: dt.date, reason: str) -> CINEpisode:
    if not episode.is_open:
        raise ValidationError("This episode is already closed")
    problems = episode_close_problems(episode, closure_date, reason)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        before = snapshot(episode, ["closure_date", "reason_for_closure"])
        episode.closure_date = closure_date
        episode.reason_for_closure = reason
        episode.modified_by = actor
        episode.save(update_fields=["closure_date", "reason_for_closure", "modified_by", "modified_at"])
        for clock in StatutoryClock.objects.filter(episode=episode, met_date__isnull=True, stopped_reason=""):
            clock_stop(actor=actor, clock=clock, met_date=None, stopped_reason="Episode closed")
        audit_event_record(
            actor=actor,
            action="episode_close",
            instance=episode,
            changes=diff(before, snapshot(episode, ["closure_date", "reason_for_closure"])),
            child_id=episode.child_id,
        )
    return episode


# -- visits, notes and the chronology ---------------------------------------------------


def visit_record(
    *,
    actor: User,
    episode: CINEpisode,
    visit_date: dt.date,
    kind: str,
    child_seen: bool,
    child_seen_alone: bool | None,
    observations: str,
) -> Visit:
    """Record a visit. A child protection visit where the child was seen meets the running
    visit clock and starts the next one (local policy: every 10 working days)."""
    if visit_date > timezone.localdate():
        raise ValidationError("The visit date cannot be in the future")
    if visit_date < episode.referral_date:
        raise ValidationError("The visit cannot be before the referral")
    if not child_seen and child_seen_alone:
        raise ValidationError("A child who was not seen cannot have been seen alone")
    with transaction.atomic():
        visit = Visit.objects.create(
            episode=episode,
            child_id=episode.child_id,
            visit_date=visit_date,
            kind=kind,
            child_seen=child_seen,
            child_seen_alone=child_seen_alone,
            observations=observations,
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="visit_record",
            instance=visit,
            changes=diff({}, snapshot(visit, ["visit_date", "kind", "child_seen", "child_seen_alone"])),
            child_id=episode.child_id,
        )
        if kind == VisitKind.CP and child_seen and open_cp_plan(episode.child) is not None:
            running = _running_clock(episode, ClockKind.CP_VISIT)
            if running is not None:
                clock_stop(
                    actor=actor,
                    clock=running,
                    met_date=visit_date,
                    late_reason="" if visit_date <= running.due_date else "Recorded as a late visit",
                )
            clock_start(
                actor=actor, kind=ClockKind.CP_VISIT, episode=episode, source=visit, start_date=visit_date
            )
    return visit


def case_note_add(*, actor: User, episode: CINEpisode, written_on: dt.date, text: str) -> CaseNote:
    if written_on > timezone.localdate():
        raise ValidationError("The note's date cannot be in the future")
    with transaction.atomic():
        note = CaseNote.objects.create(
            episode=episode,
            child_id=episode.child_id,
            written_on=written_on,
            text=text,
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="case_note_add",
            instance=note,
            changes=diff({}, snapshot(note, ["written_on", "text"])),
            child_id=episode.child_id,
        )
    return note


def chronology_entry_add(
    *, actor: User, child: Person, happened_on: dt.date, event: str, source: str, analysis: str
) -> ChronologyEntry:
    if happened_on > timezone.localdate():
        raise ValidationError("The date cannot be in the future")
    with transaction.atomic():
        entry = ChronologyEntry.objects.create(
            child=child,
            happened_on=happened_on,
            event=event,
            source=source,
            analysis=analysis,
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="chronology_entry_add",
            instance=entry,
            changes=diff({}, snapshot(entry, ["happened_on", "event", "source", "analysis"])),
            child_id=child.pk,
        )
    return entry


def cin_plan_start(*, actor: User, episode: CINEpisode, start_date: dt.date) -> CINPlan:
    """A child in need plan (census CINPlanDates); not alongside a child protection plan."""
    if not episode.is_open:
        raise ValidationError("This episode is closed")
    if start_date > timezone.localdate() or start_date < episode.referral_date:
        raise ValidationError("The plan must start between the referral date and today")
    if episode.cin_plans.filter(end_date__isnull=True).exists():
        raise ValidationError("This child already has an open child in need plan")
    if open_cp_plan(episode.child) is not None:
        raise ValidationError("The child is on a child protection plan, which replaces a child in need plan")
    with transaction.atomic():
        plan = CINPlan.objects.create(
            episode=episode, start_date=start_date, created_by=actor, modified_by=actor
        )
        audit_event_record(
            actor=actor,
            action="cin_plan_start",
            instance=plan,
            changes=diff({}, snapshot(plan, ["start_date"])),
            child_id=episode.child_id,
        )
    return plan


def cin_plan_end(*, actor: User, plan: CINPlan, end_date: dt.date) -> CINPlan:
    if plan.end_date is not None:
        raise ValidationError("This plan has already ended")
    if end_date < plan.start_date or end_date > timezone.localdate():
        raise ValidationError("The plan must end between its start date and today")
    with transaction.atomic():
        plan.end_date = end_date
        plan.modified_by = actor
        plan.save(update_fields=["end_date", "modified_by", "modified_at"])
        audit_event_record(
            actor=actor,
            action="cin_plan_end",
            instance=plan,
            changes={"end_date": {"before": None, "after": end_date.isoformat()}},
            child_id=plan.episode.child_id,
        )
    return plan


def cin_plan_review_record(*, actor: User, plan: CINPlan, held_on: dt.date, summary: str) -> CINPlanReview:
    if held_on < plan.start_date or held_on > timezone.localdate():
        raise ValidationError("The review must be between the plan's start and today")
    if plan.end_date is not None and held_on > plan.end_date:
        raise ValidationError("The review cannot be after the plan ended")
    with transaction.atomic():
        review = CINPlanReview.objects.create(
            plan=plan, held_on=held_on, summary=summary, created_by=actor, modified_by=actor
        )
        audit_event_record(
            actor=actor,
            action="cin_plan_review_record",
            instance=review,
            changes=diff({}, snapshot(review, ["held_on", "summary"])),
            child_id=plan.episode.child_id,
        )
    return review
