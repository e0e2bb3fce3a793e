"""Every write to casework: acting user, transaction, audit event, side effects on commit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from safeguard.accounts.models import RECEIVING_TEAM_KINDS, Team, TeamKind, User
from safeguard.accounts.policy import FRONT_DOOR_ROLES, Action, Scope, scope_for
from safeguard.audit.services import audit_event_record, diff, snapshot
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS, SECTION_KEYS
from safeguard.casework.models import (
    Assessment,
    AssessmentOutcome,
    AssessmentSection,
    AssessmentStatus,
    CaseNote,
    ChildProtectionPlan,
    ChildProtectionReview,
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
from safeguard.casework.timescales import TIMESCALES, Timescale, icpc_timescale, later_review_timescale
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

    The assessment clock starts here, at the point of referral (Working Together 2023 ch.3,
    "Assessment"): a referral waiting to be allocated is already counting its 45 working days.
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
        clock_start(
            actor=actor, kind=ClockKind.ASSESSMENT, episode=episode, source=episode, start_date=referral_date
        )
    return episode


def open_cp_plan(child: Person) -> ChildProtectionPlan | None:
    return ChildProtectionPlan.objects.filter(child=child, end_date__isnull=True).first()


# -- statutory clocks ------------------------------------------------------------------


class LateReasonNeeded(ValidationError):
    """Something was done after its clock's due date and nobody has said why."""


def clock_start(
    *,
    actor: User | None,
    kind: str,
    episode: CINEpisode,
    source: models.Model,
    start_date: dt.date,
    timescale: Timescale | None = None,
) -> StatutoryClock:
    """Start a clock with the timescale in force today for ``kind``, or ``timescale`` when a
    kind's interval depends on what came before (a later review conference is due 6 months
    after the previous one, the first 3 months after the plan starts)."""
    timescale = timescale or TIMESCALES[ClockKind(kind)]()
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
        raise LateReasonNeeded("Give the reason this was late: it was due on " + govuk_date(clock.due_date))
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


def _clocks_stop(*, actor: User | None, episode: CINEpisode, kinds: list[str], reason: str) -> None:
    """Stop the episode's running clocks of ``kinds`` unmet (e.g. the plan they belong to ended)."""
    for clock in StatutoryClock.objects.filter(
        episode=episode, kind__in=kinds, met_date__isnull=True, stopped_reason=""
    ):
        clock_stop(actor=actor, clock=clock, met_date=None, stopped_reason=reason)


def _clock_meet_and_restart(
    *,
    actor: User,
    episode: CINEpisode,
    kind: str,
    met_on: dt.date,
    late_reason: str,
    source: models.Model,
    timescale: Timescale | None = None,
) -> StatutoryClock:
    """A recurring clock (visits, reviews): the event meets the running clock, which asks for
    the reason when late, and starts the next one from the event's date."""
    running = _running_clock(episode, kind)
    if running is not None:
        clock_stop(actor=actor, clock=running, met_date=met_on, late_reason=late_reason)
    return clock_start(
        actor=actor, kind=kind, episode=episode, source=source, start_date=met_on, timescale=timescale
    )


def _late_reason_check(clock: StatutoryClock | None, on: dt.date, late_reason: str, what: str) -> None:
    """Refuse before anything is saved, so the page can ask for the reason in the same form."""
    if clock is not None and on > clock.due_date and not late_reason.strip():
        raise LateReasonNeeded(f"Give the reason {what} was late: it was due on {govuk_date(clock.due_date)}")


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
    """Start a child and family assessment.

    The first assessment of an episode takes over the clock that started at the referral
    (45 working days from the point of referral, WT2023 ch.3). A later assessment in the same
    episode (circumstances changed after the first was authorised) is a new piece of work: its
    clock runs from its own start, not from a referral months ago.
    """
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
        _assessment_clock_attach(actor=actor, episode=episode, assessment=assessment)
    return assessment


def _assessment_clock_attach(*, actor: User, episode: CINEpisode, assessment: Assessment) -> None:
    waiting = _running_clock(episode, ClockKind.ASSESSMENT, episode)
    if waiting is not None:
        # The referral's clock becomes this assessment's: same start, same due date.
        before = snapshot(waiting, ["source_type", "source_id"])
        waiting.source_type = assessment._meta.label_lower
        waiting.source_id = assessment.pk
        waiting.modified_by = actor
        waiting.save(update_fields=["source_type", "source_id", "modified_by", "modified_at"])
        audit_event_record(
            actor=actor,
            action="clock_attach",
            instance=waiting,
            changes=diff(before, snapshot(waiting, ["source_type", "source_id"])),
            child_id=episode.child_id,
        )
        return
    earlier = StatutoryClock.objects.filter(episode=episode, kind=ClockKind.ASSESSMENT).exists()
    clock_start(
        actor=actor,
        kind=ClockKind.ASSESSMENT,
        episode=episode,
        source=assessment,
        # An episode recorded without its referral clock (an import) still counts from the referral.
        start_date=assessment.start_date if earlier else episode.referral_date,
    )


class EditConflict(Exception):
    """Someone else (or the same user in another window) saved this section since the page
    the save came from was opened."""

    def __init__(self, section: AssessmentSection) -> None:
        super().__init__("edit conflict")
        self.section = section


_SUBMITTED = "This assessment has been sent for authorisation and can no longer be changed"


def _is_conflict(section: AssessmentSection, *, actor: User, based_on_version: int, edit: str) -> bool:
    """Whether a save from the page ``edit``, based on ``based_on_version``, would overwrite
    words its writer has not seen.

    A page's autosave and its final save can cross in flight, so the page may send a version
    its own earlier save has already replaced. Every version a page writes follows one it had
    seen, so when the current version is the same page's, everything since the page's base is
    that page's too: no one else's words are lost.
    """
    if section.version == based_on_version:
        return False
    return not (edit and section.edit == edit and section.modified_by_id == actor.pk)


def assessment_section_save(
    *,
    actor: User,
    assessment: Assessment,
    key: str,
    text: str,
    based_on_version: int,
    edit: str = "",
) -> AssessmentSection:
    """Save a section's draft text, refusing a save that would overwrite someone else's.

    ``edit`` is the editing page's token: saves from the same page never conflict with each
    other (see ``_is_conflict``).
    """
    if key not in SECTION_KEYS:
        raise ValueError(key)
    with transaction.atomic():
        # Locked so a submission cannot slip in between this check and the write.
        status = Assessment.objects.select_for_update().values_list("status", flat=True).get(pk=assessment.pk)
        if status != AssessmentStatus.IN_PROGRESS:
            raise ValidationError(_SUBMITTED)
        section, _created = AssessmentSection.objects.select_for_update().get_or_create(
            assessment=assessment, key=key, defaults={"created_by": actor, "modified_by": actor}
        )
        if _is_conflict(section, actor=actor, based_on_version=based_on_version, edit=edit):
            raise EditConflict(section)
        if section.text == text:
            return section
        before = {"text": section.text}
        section.text = text
        section.version += 1
        section.edit = edit
        section.modified_by = actor
        section.save(update_fields=["text", "version", "edit", "modified_by", "modified_at"])
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


def assessment_submit(*, actor: User, assessment: Assessment, on: dt.date) -> Assessment:
    """Send the assessment for authorisation; from now on its sections cannot change."""
    with transaction.atomic():
        # Locked, and checked under the lock, so that a section save in flight either lands
        # before the submission (and is part of what is authorised) or is refused.
        locked = Assessment.objects.select_for_update().values_list("status", flat=True).get(pk=assessment.pk)
        if locked != AssessmentStatus.IN_PROGRESS or assessment.status != AssessmentStatus.IN_PROGRESS:
            raise ValidationError("This assessment has already been submitted")
        missing = assessment_missing(assessment)
        if missing:
            raise ValidationError(missing)
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


def assessment_clock(assessment: Assessment) -> StatutoryClock | None:
    """The running clock this assessment stops when it is authorised."""
    return _running_clock(assessment.episode, ClockKind.ASSESSMENT, assessment)


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
        clock = assessment_clock(assessment)
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


def strategy_discussion_request(*, actor: User, episode: CINEpisode, decided_on: dt.date) -> StatutoryClock:
    """The front door decided a strategy discussion is needed: measure the time to it.

    The clock (local policy, default 1 working day) is met by the next strategy discussion
    recorded on the episode. A second request while one is waiting keeps the first.
    """
    running = _running_clock(episode, ClockKind.STRATEGY_DISCUSSION)
    if running is not None:
        return running
    with transaction.atomic():
        return clock_start(
            actor=actor,
            kind=ClockKind.STRATEGY_DISCUSSION,
            episode=episode,
            source=episode,
            start_date=decided_on,
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
    late_reason: str = "",
) -> StrategyDiscussion:
    """Record a strategy discussion; starting a section 47 enquiry starts the ICPC clock.

    Working Together 2023, chapter 3: police, health and children's social care at least.
    The discussion meets the clock from the front door's decision (a reason if late) and
    starts the clock for circulating its record (local policy, default 1 working day).
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
    requested = _running_clock(episode, ClockKind.STRATEGY_DISCUSSION)
    if requested is not None and held_on < requested.start_date:
        requested = None  # an earlier discussion recorded late does not answer a later decision
    _late_reason_check(requested, held_on, late_reason, "the strategy discussion")
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
        if requested is not None:
            clock_stop(actor=actor, clock=requested, met_date=held_on, late_reason=late_reason)
        clock_start(
            actor=actor,
            kind=ClockKind.STRATEGY_RECORD,
            episode=episode,
            source=discussion,
            start_date=held_on,
        )
        if start_section_47:
            _section_47_start(actor=actor, discussion=discussion)
    return discussion


def strategy_record_circulate(
    *, actor: User, discussion: StrategyDiscussion, on: dt.date, late_reason: str = ""
) -> StrategyDiscussion:
    """The record of the discussion went to the agencies: meets its clock (a reason if late)."""
    if discussion.record_circulated_on is not None:
        raise ValidationError("The record of this discussion has already been circulated")
    if on < discussion.held_on or on > timezone.localdate():
        raise ValidationError("The record must be circulated between the discussion and today")
    clock = _running_clock(discussion.episode, ClockKind.STRATEGY_RECORD, discussion)
    _late_reason_check(clock, on, late_reason, "the record")
    with transaction.atomic():
        discussion.record_circulated_on = on
        discussion.modified_by = actor
        discussion.save(update_fields=["record_circulated_on", "modified_by", "modified_at"])
        audit_event_record(
            actor=actor,
            action="strategy_record_circulate",
            instance=discussion,
            changes={"record_circulated_on": {"before": None, "after": on.isoformat()}},
            child_id=discussion.episode.child_id,
        )
        if clock is not None:
            clock_stop(actor=actor, clock=clock, met_date=on, late_reason=late_reason)
    return discussion


def _open_section_47(episode: CINEpisode) -> Section47Enquiry | None:
    """The enquiry still under way: no outcome and no conference yet."""
    return (
        Section47Enquiry.objects.filter(episode=episode, outcome="", icpc_date__isnull=True)
        .order_by("-start_date")
        .first()
    )


def _section_47_start(*, actor: User, discussion: StrategyDiscussion) -> Section47Enquiry:
    """Start the enquiry, or, while one is under way, continue it from this discussion.

    A second strategy discussion in the same enquiry does not start a second section 47 (the
    census would count two): the enquiry keeps its start date (S47ActualStartDate) and the
    conference becomes due 15 working days after this, the last, discussion (InitialCPCtarget).
    """
    episode = discussion.episode
    for earlier in StatutoryClock.objects.filter(
        episode=episode, kind=ClockKind.ICPC, met_date__isnull=True, stopped_reason=""
    ):
        clock_stop(
            actor=actor,
            clock=earlier,
            met_date=None,
            stopped_reason="Superseded by a later strategy discussion",
        )
    enquiry = _open_section_47(episode)
    if enquiry is not None:
        before = snapshot(enquiry, ["strategy_discussion_id", "icpc_target_date"])
        enquiry.strategy_discussion = discussion
        enquiry.icpc_target_date = icpc_timescale().due(discussion.held_on)
        enquiry.modified_by = actor
        enquiry.save(update_fields=["strategy_discussion", "icpc_target_date", "modified_by", "modified_at"])
        action, changes = (
            "section_47_continue",
            diff(before, snapshot(enquiry, ["strategy_discussion_id", "icpc_target_date"])),
        )
    else:
        enquiry = Section47Enquiry.objects.create(
            episode=episode,
            strategy_discussion=discussion,
            start_date=discussion.held_on,
            icpc_target_date=icpc_timescale().due(discussion.held_on),
            created_by=actor,
            modified_by=actor,
        )
        action, changes = "section_47_start", diff({}, snapshot(enquiry, ["start_date", "icpc_target_date"]))
    audit_event_record(
        actor=actor, action=action, instance=enquiry, changes=changes, child_id=episode.child_id
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


def _visit_clock_kind(episode: CINEpisode, kind: str) -> str | None:
    """Which visit clock a visit of ``kind`` meets: CP visits while the child is on a child
    protection plan, CIN visits while the episode has an open child in need plan."""
    if kind == VisitKind.CP and open_cp_plan(episode.child) is not None:
        return ClockKind.CP_VISIT
    if kind == VisitKind.CIN and episode.cin_plans.filter(end_date__isnull=True).exists():
        return ClockKind.CIN_VISIT
    return None


def visit_record(
    *,
    actor: User,
    episode: CINEpisode,
    visit_date: dt.date,
    kind: str,
    child_seen: bool,
    child_seen_alone: bool | None,
    observations: str,
    late_reason: str = "",
) -> Visit:
    """Record a visit. A statutory visit where the child was seen meets the running visit
    clock (a late one needs the worker's reason) and starts the next one (local policy: every
    10 working days on a child protection plan, 20 on a child in need plan).

    Whether the child was seen alone is recorded for every visit where the child was seen
    (Working Together 2023 ch.3: the child seen, and seen alone where appropriate).
    """
    if visit_date > timezone.localdate():
        raise ValidationError("The visit date cannot be in the future")
    if visit_date < episode.referral_date:
        raise ValidationError("The visit cannot be before the referral")
    if not child_seen and child_seen_alone:
        raise ValidationError("A child who was not seen cannot have been seen alone")
    if child_seen and child_seen_alone is None:
        raise ValidationError("Select yes if the child was seen alone")
    clock_kind = _visit_clock_kind(episode, kind) if child_seen else None
    running = _running_clock(episode, clock_kind) if clock_kind else None
    if running is not None and visit_date < running.start_date:
        # A visit before the last one, recorded afterwards: it is kept but times nothing.
        clock_kind = running = None
    _late_reason_check(running, visit_date, late_reason, "the visit")
    late = running is not None and visit_date > running.due_date
    with transaction.atomic():
        visit = Visit.objects.create(
            episode=episode,
            child_id=episode.child_id,
            visit_date=visit_date,
            kind=kind,
            child_seen=child_seen,
            child_seen_alone=child_seen_alone if child_seen else None,
            observations=observations,
            late_reason=late_reason.strip() if late else "",
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="visit_record",
            instance=visit,
            changes=diff(
                {}, snapshot(visit, ["visit_date", "kind", "child_seen", "child_seen_alone", "late_reason"])
            ),
            child_id=episode.child_id,
        )
        if clock_kind is not None:
            _clock_meet_and_restart(
                actor=actor,
                episode=episode,
                kind=clock_kind,
                met_on=visit_date,
                late_reason=visit.late_reason,
                source=visit,
            )
    return visit


def running_clock_due(episode: CINEpisode, kind: str) -> dt.date | None:
    """When the episode's running clock of ``kind`` is due (for a form's hint), if one runs."""
    clock = _running_clock(episode, kind)
    return clock.due_date if clock else None


def visit_due(episode: CINEpisode, kind: str) -> StatutoryClock | None:
    """The running visit clock a visit of ``kind`` would meet (for the form's hint)."""
    clock_kind = _visit_clock_kind(episode, kind)
    return _running_clock(episode, clock_kind) if clock_kind else None


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
    """A child in need plan (census CINPlanDates); not alongside a child protection plan.
    Starts the plan's review and visit clocks."""
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
        # Both clocks run from the plan's start (local policy, see timescales.py).
        for kind in (ClockKind.CIN_REVIEW, ClockKind.CIN_VISIT):
            clock_start(actor=actor, kind=kind, episode=episode, source=plan, start_date=start_date)
    return plan


def cin_plan_end(*, actor: User, plan: CINPlan, end_date: dt.date) -> CINPlan:
    if plan.end_date is not None:
        raise ValidationError("This plan has already ended")
    if end_date < plan.start_date or end_date > timezone.localdate():
        raise ValidationError("The plan must end between its start date and today")
    with transaction.atomic():
        plan.end_date = end_date
        _plan_ended(actor=actor, plan=plan, kinds=[ClockKind.CIN_REVIEW, ClockKind.CIN_VISIT])
    return plan


def _plan_ended(*, actor: User, plan: CINPlan | ChildProtectionPlan, kinds: list[str]) -> None:
    """Save a plan's end: audited, and its visit and review clocks stop (no more are due)."""
    assert plan.end_date is not None
    plan.modified_by = actor
    plan.save(update_fields=["end_date", "modified_by", "modified_at"])
    audit_event_record(
        actor=actor,
        action="cin_plan_end" if isinstance(plan, CINPlan) else "cp_plan_end",
        instance=plan,
        changes={"end_date": {"before": None, "after": plan.end_date.isoformat()}},
        child_id=plan.episode.child_id,
    )
    _clocks_stop(actor=actor, episode=plan.episode, kinds=kinds, reason="Plan ended")


def cin_plan_review_record(
    *, actor: User, plan: CINPlan, held_on: dt.date, summary: str, late_reason: str = ""
) -> CINPlanReview:
    """Record a review of the plan: meets the review clock (a reason if late) and, while the
    plan is open, starts the next one from this review."""
    if held_on < plan.start_date or held_on > timezone.localdate():
        raise ValidationError("The review must be between the plan's start and today")
    if plan.end_date is not None and held_on > plan.end_date:
        raise ValidationError("The review cannot be after the plan ended")
    running = _running_clock(plan.episode, ClockKind.CIN_REVIEW)
    # A review of an ended plan, or before the last one and recorded afterwards, times nothing.
    times = plan.end_date is None and not (running is not None and held_on < running.start_date)
    _late_reason_check(running if times else None, held_on, late_reason, "the review")
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
        if times:
            _clock_meet_and_restart(
                actor=actor,
                episode=plan.episode,
                kind=ClockKind.CIN_REVIEW,
                met_on=held_on,
                late_reason=late_reason.strip(),
                source=review,
            )
    return review


# -- child protection plans -------------------------------------------------------------


def cp_plan_start(
    *, actor: User, episode: CINEpisode, start_date: dt.date, category: str
) -> ChildProtectionPlan:
    """A child protection plan from the initial conference (census ChildProtectionPlans).

    Starts the visit clock from the plan's start (local policy, every 10 working days) and
    the first review conference clock (3 months, Working Together 2023 ch.3).
    """
    if not episode.is_open:
        raise ValidationError("This episode is closed")
    if start_date > timezone.localdate() or start_date < episode.referral_date:
        raise ValidationError("The plan must start between the referral date and today")
    if open_cp_plan(episode.child) is not None:
        raise ValidationError("This child is already on a child protection plan")
    if episode.cin_plans.filter(end_date__isnull=True).exists():
        raise ValidationError("End the child in need plan first: a child protection plan replaces it")
    with transaction.atomic():
        plan = ChildProtectionPlan.objects.create(
            episode=episode,
            child_id=episode.child_id,
            start_date=start_date,
            initial_category=category,
            latest_category=category,
            number_of_previous_plans=ChildProtectionPlan.objects.filter(child_id=episode.child_id).count(),
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="cp_plan_start",
            instance=plan,
            changes=diff({}, snapshot(plan, ["start_date", "initial_category"])),
            child_id=episode.child_id,
        )
        for kind in (ClockKind.CP_VISIT, ClockKind.CP_REVIEW):
            clock_start(actor=actor, kind=kind, episode=episode, source=plan, start_date=start_date)
    return plan


def cp_plan_end(*, actor: User, plan: ChildProtectionPlan, end_date: dt.date) -> ChildProtectionPlan:
    """End the plan: its visit and review clocks stop (no more are due)."""
    if plan.end_date is not None:
        raise ValidationError("This plan has already ended")
    if end_date <= plan.start_date or end_date > timezone.localdate():
        raise ValidationError("The plan must end after its start date and not after today")
    with transaction.atomic():
        plan.end_date = end_date
        _plan_ended(actor=actor, plan=plan, kinds=[ClockKind.CP_VISIT, ClockKind.CP_REVIEW])
    return plan


def cp_review_record(
    *, actor: User, plan: ChildProtectionPlan, held_on: dt.date, late_reason: str = ""
) -> ChildProtectionReview:
    """A review conference: meets the review clock (a reason if late) and starts the next,
    due at most 6 months later (Working Together 2023 ch.3)."""
    if not plan.is_open:
        raise ValidationError("This plan has ended")
    if held_on < plan.start_date or held_on > timezone.localdate():
        raise ValidationError("The review must be between the plan's start and today")
    running = _running_clock(plan.episode, ClockKind.CP_REVIEW)
    # A review before the last one, recorded afterwards, is kept but times nothing.
    backdated = running is not None and held_on < running.start_date
    _late_reason_check(None if backdated else running, held_on, late_reason, "the review conference")
    with transaction.atomic():
        review = ChildProtectionReview.objects.create(
            plan=plan, held_on=held_on, created_by=actor, modified_by=actor
        )
        audit_event_record(
            actor=actor,
            action="cp_review_record",
            instance=review,
            changes=diff({}, snapshot(review, ["held_on"])),
            child_id=plan.child_id,
        )
        if not backdated:
            _clock_meet_and_restart(
                actor=actor,
                episode=plan.episode,
                kind=ClockKind.CP_REVIEW,
                met_on=held_on,
                late_reason=late_reason.strip(),
                source=review,
                timescale=later_review_timescale(),
            )
    return review
