"""Every write to conferences: acting user, one transaction, an audit event for each change.

Each service checks everything before it writes anything, so a refusal (a chair in the
case's line management, a double booking, a plan with no category) leaves nothing half-saved.
Clocks and plans belong to casework: they are started and stopped through its services
and models, never by hand here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.audit.services import audited_create, audited_update
from safeguard.casework.clocks import clock_start, clock_stop
from safeguard.casework.models import (
    ChildProtectionPlan,
    ClockKind,
    Section47Enquiry,
    Section47Outcome,
    StatutoryClock,
)
from safeguard.casework.selectors import open_cp_plan
from safeguard.casework.services.plans import cp_plan_end, cp_plan_start, cp_review_record
from safeguard.casework.timescales import first_review_timescale, later_review_timescale
from safeguard.conferences.models import (
    LIVE_STATUSES,
    AttendanceKind,
    Conference,
    ConferenceAgency,
    ConferenceAttendance,
    ConferenceKind,
    ConferenceStatus,
)
from safeguard.core.calendar import add_calendar_months, add_working_days, last_working_day_on_or_before
from safeguard.core.codes import CategoryOfAbuse
from safeguard.design_system.formatting import govuk_date

# Who may be chosen to chair: the independent chairs, and managers (some councils let a
# manager from another service chair); the line-management rule below keeps them independent.
CHAIR_ROLES = frozenset({Role.CONFERENCE_CHAIR, Role.TEAM_MANAGER, Role.SERVICE_MANAGER})

# Local policy: the outcome letter to the family and agencies within 1 working day of the
# conference, and the full record within 15 working days.
LETTER_WORKING_DAYS = 1
RECORD_WORKING_DAYS = 15

# Working Together 2023 ch.3: children's social care and at least two other agencies.
QUORUM_OTHER_AGENCIES = 2
# Neither is an agency for quoracy: the family take part, but do not make it quorate.
_NOT_AN_AGENCY = frozenset({ConferenceAgency.CSC, ConferenceAgency.FAMILY})


# -- proposing ----------------------------------------------------------------------------


def conference_propose_initial(*, actor: User, enquiry: Section47Enquiry) -> Conference:
    """Propose the initial conference the enquiry's outcome asked for, due by its ICPC
    target (15 working days from the strategy discussion, already on the enquiry)."""
    episode = enquiry.episode
    if enquiry.outcome != Section47Outcome.ICPC:
        raise ValidationError(
            "An initial conference can only be proposed when the section 47 enquiry's outcome "
            "is that a conference is needed"
        )
    if not episode.is_open:
        raise ValidationError("This episode is closed")
    if enquiry.icpc_target_date is None:
        raise ValidationError(
            "The enquiry has no conference target date: record its strategy discussion first"
        )
    with transaction.atomic():
        # Locked so that two people proposing at once make one conference, not two.
        Section47Enquiry.objects.select_for_update().filter(pk=enquiry.pk).first()
        if Conference.objects.filter(
            section_47=enquiry, kind=ConferenceKind.INITIAL, status__in=LIVE_STATUSES
        ).exists():
            raise ValidationError("This enquiry already has an initial conference: there can only be one")
        return audited_create(
            Conference,
            actor=actor,
            action="conference_propose_initial",
            values={
                "kind": ConferenceKind.INITIAL,
                "child_id": episode.child_id,
                "episode": episode,
                "section_47": enquiry,
                "target_date": enquiry.icpc_target_date,
            },
            child_id=episode.child_id,
        )


def review_target(plan: ChildProtectionPlan) -> dt.date:
    """When the plan's next review conference is due: within 3 months of the initial
    conference (the plan's start), then no more than 6 months after the last review
    (Working Together 2023 ch.3), on the last working day on or before."""
    last_review = plan.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    if last_review is None:
        months, start = first_review_timescale().months, plan.start_date
    else:
        months, start = later_review_timescale().months, last_review
    assert months is not None
    return last_working_day_on_or_before(add_calendar_months(start, months))


def review_conference_propose(*, actor: User | None, plan: ChildProtectionPlan) -> Conference:
    """Propose the plan's next review conference with its due date."""
    if not plan.is_open:
        raise ValidationError("This plan has ended: it has no more reviews")
    with transaction.atomic():
        ChildProtectionPlan.objects.select_for_update().filter(pk=plan.pk).first()
        if Conference.objects.filter(
            plan=plan,
            kind=ConferenceKind.REVIEW,
            status__in=(ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED),
        ).exists():
            raise ValidationError("The plan's next review conference is already proposed")
        return audited_create(
            Conference,
            actor=actor,
            action="review_conference_propose",
            values={
                "kind": ConferenceKind.REVIEW,
                "child_id": plan.child_id,
                "episode_id": plan.episode_id,
                "plan": plan,
                "target_date": review_target(plan),
            },
            child_id=plan.child_id,
        )


# -- scheduling ---------------------------------------------------------------------------


def chair_independence_refusal(chair: User, conference: Conference) -> str | None:
    """Why ``chair`` may not chair this conference (None if they may): nobody in the line
    management of the allocated worker, nor the worker, may chair (Working Together 2023
    ch.3: the chair is independent of the case)."""
    episode = conference.episode
    worker = episode.worker
    name = chair.display_name
    if worker is not None and chair.pk == worker.pk:
        return f"{name} is the child's allocated worker, so cannot chair the conference"
    team = episode.team if episode.team_id is not None else (worker.team if worker is not None else None)
    if team is None:
        return None
    if chair.role == Role.TEAM_MANAGER and chair.team_id == team.pk:
        return f"{name} manages the allocated worker's team, so is not independent of the case"
    if (
        chair.role == Role.SERVICE_MANAGER
        and chair.team is not None
        and chair.team.service_id == team.service_id
    ):
        return f"{name} manages the allocated worker's service, so is not independent of the case"
    return None


def _overlapping(conference: Conference, starts_at: dt.datetime, ends_at: dt.datetime) -> Q:
    # Two meetings clash when each starts before the other ends. The database has no
    # "ends_at" column, so candidates are narrowed by start and checked in Python.
    return Q(
        status__in=(ConferenceStatus.SCHEDULED,),
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - dt.timedelta(hours=12),
    ) & ~Q(pk=conference.pk)


def _clash(candidates: QuerySet[Conference], starts_at: dt.datetime) -> dt.datetime | None:
    """When the first of ``candidates`` that is still running at ``starts_at`` began."""
    for other in candidates:
        if other.starts_at is not None and other.ends_at is not None and other.ends_at > starts_at:
            return other.starts_at
    return None


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{govuk_date(local.date())} at {local:%H:%M}"


def conference_schedule(
    *,
    actor: User,
    conference: Conference,
    chair: User,
    starts_at: dt.datetime,
    duration_minutes: int = 120,
    room: str = "",
    video_link: str = "",
    late_reason: str = "",
) -> Conference:
    """Give the conference its chair, time and place (or move it). A date after the target
    needs a reason; the chair must be independent of the case; neither the chair nor the
    room may be booked twice at once."""
    room, video_link, late_reason = room.strip(), video_link.strip(), late_reason.strip()
    if conference.status not in (ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED):
        raise ValidationError("Only a proposed or scheduled conference can be scheduled")
    errors: dict[str, list[str]] = {}
    if not chair.is_active or chair.role not in CHAIR_ROLES:
        errors.setdefault("chair", []).append("Choose a conference chair")
    else:
        refusal = chair_independence_refusal(chair, conference)
        if refusal:
            errors.setdefault("chair", []).append(refusal)
    if not room and not video_link:
        errors.setdefault("room", []).append("Enter a room or a video link")
    day = timezone.localtime(starts_at).date()
    if day > conference.target_date and not late_reason:
        errors.setdefault("late_reason", []).append(
            "Give the reason the conference is after its target date, " + govuk_date(conference.target_date)
        )
    if errors:
        raise ValidationError(errors)
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    moved = conference.status == ConferenceStatus.SCHEDULED and (
        conference.starts_at != starts_at
        or conference.duration_minutes != duration_minutes
        or conference.room != room
        or conference.video_link != video_link
    )
    with transaction.atomic():
        # The chair's row is locked so that two bookings for one chair cannot both pass the
        # check below. (A room has no row of its own: two bookings of one room at the same
        # instant can still both pass, and a second look at the diary shows it.)
        User.objects.select_for_update().filter(pk=chair.pk).first()
        window = Conference.objects.filter(_overlapping(conference, starts_at, ends_at))
        chair_clash = _clash(window.filter(chair=chair), starts_at)
        if chair_clash is not None:
            raise ValidationError(
                {"chair": f"{chair.display_name} is already chairing a conference on {_when(chair_clash)}"}
            )
        room_clash = _clash(window.filter(room__iexact=room), starts_at) if room else None
        if room_clash is not None:
            raise ValidationError(
                {"room": f"{room} is already booked for a conference on {_when(room_clash)}"}
            )
        audited_update(
            conference,
            actor=actor,
            action="conference_schedule",
            values={
                "status": ConferenceStatus.SCHEDULED,
                "chair": chair,
                "starts_at": starts_at,
                "duration_minutes": duration_minutes,
                "room": room,
                "video_link": video_link,
                "late_reason": late_reason if day > conference.target_date else "",
                "calendar_sequence": conference.calendar_sequence + (1 if moved else 0),
            },
            audit=["status", "chair", "starts_at", "duration_minutes", "room", "video_link"],
            child_id=conference.child_id,
        )
        if moved:
            _invitations_retime_and_tell(actor=actor, conference=conference, change="moved")
    return conference


def _invitations_retime_and_tell(*, actor: User, conference: Conference, change: str) -> None:
    """After a move: every live link lasts until a fortnight after the new date. After a
    move or a cancellation: everyone invited with an email address is told (a job each,
    once committed); the rest are listed on the conference page for a letter."""
    # imported here: invitations and jobs import this module
    from safeguard.conferences import jobs
    from safeguard.conferences.portal import link_expiry

    live = conference.invitations.filter(revoked_at__isnull=True)
    to_tell = [str(pk) for pk in live.exclude(email="").values_list("pk", flat=True)]
    if change == "moved":
        live.filter(expires_at__isnull=False).update(
            expires_at=link_expiry(conference), modified_by=actor, modified_at=timezone.now()
        )
    else:
        # A cancelled conference takes no more reports, questions or views.
        live.update(revoked_at=timezone.now(), modified_by=actor, modified_at=timezone.now())
    for key in to_tell:
        transaction.on_commit(
            lambda key=key: jobs.conference_change_tell.enqueue(invitation_id=key, change=change)  # type: ignore[misc]
        )


def conference_cancel(*, actor: User, conference: Conference, reason: str) -> Conference:
    """Cancel a proposed or scheduled conference with the reason; the invited are told and
    their links stop working. Its statutory clock runs on: another can be proposed."""
    reason = reason.strip()
    if conference.status not in (ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED):
        raise ValidationError("Only a proposed or scheduled conference can be cancelled")
    if not reason:
        raise ValidationError({"reason": "Give the reason the conference is cancelled"})
    with transaction.atomic():
        was_scheduled = conference.status == ConferenceStatus.SCHEDULED
        audited_update(
            conference,
            actor=actor,
            action="conference_cancel",
            values={
                "status": ConferenceStatus.CANCELLED,
                "cancelled_reason": reason,
                "calendar_sequence": conference.calendar_sequence + 1,
            },
            child_id=conference.child_id,
        )
        if was_scheduled:
            _invitations_retime_and_tell(actor=actor, conference=conference, change="cancelled")
    return conference


# -- the record ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    agency: str
    role: str
    attendance: str


def quorate(rows: Sequence[AttendanceRow]) -> bool:
    """Children's social care and at least two other agencies present."""
    present = {row.agency for row in rows if row.attendance == AttendanceKind.PRESENT}
    return ConferenceAgency.CSC in present and len(present - _NOT_AN_AGENCY) >= QUORUM_OTHER_AGENCIES


def _record_problems(
    conference: Conference,
    *,
    actor: User,
    held_on: dt.date,
    rows: Sequence[AttendanceRow],
    not_quorate_reason: str,
    plan_needed: bool,
    category: str,
    lead_worker: User | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str | None, message: str) -> None:
        errors.setdefault(field or "__all__", []).append(message)

    if conference.chair_id != actor.pk:
        add(None, "Only the chair of this conference can record it")
    if held_on > timezone.localdate():
        add("held_on", "The date of the conference cannot be in the future")
    if held_on < conference.episode.referral_date:
        add("held_on", "The conference cannot be before the referral")
    if not rows:
        add("attendance", "Record who was invited and whether they came")
    for row in rows:
        if not row.name.strip():
            add("attendance", "Enter the name of everyone on the attendance list")
            break
    if rows and not quorate(rows) and not not_quorate_reason.strip():
        add(
            "not_quorate_reason",
            "The conference was not quorate (children's social care and two other agencies): "
            "say why it went ahead",
        )
    if plan_needed:
        if category not in CategoryOfAbuse.values:
            add("category", "Choose the category of abuse for the plan")
        if lead_worker is None:
            add("lead_worker", "Choose the plan's lead social worker")
        if conference.kind == ConferenceKind.INITIAL and open_cp_plan(conference.child) is not None:
            add(
                "plan_needed",
                "This child is already on a child protection plan: there can only be one open plan",
            )
        open_cin_plan = conference.episode.cin_plans.filter(end_date__isnull=True).exists()
        if conference.kind == ConferenceKind.INITIAL and open_cin_plan:
            add("plan_needed", "End the child in need plan first: a child protection plan replaces it")
    if conference.kind == ConferenceKind.REVIEW and conference.plan is not None:
        if held_on < conference.plan.start_date:
            add("held_on", "The review cannot be before the plan started")
        if not plan_needed and held_on <= conference.plan.start_date:
            add("held_on", "The plan must end after the day it started")
    return errors


def _icpc_clock(enquiry: Section47Enquiry) -> StatutoryClock | None:
    return StatutoryClock.objects.filter(
        episode_id=enquiry.episode_id,
        kind=ClockKind.ICPC,
        source_id=enquiry.pk,
        met_date__isnull=True,
        stopped_reason="",
    ).first()


def conference_record(
    *,
    actor: User,
    conference: Conference,
    held_on: dt.date,
    attendance: Sequence[AttendanceRow],
    not_quorate_reason: str = "",
    plan_needed: bool,
    category: str = "",
    lead_worker: User | None = None,
    dissent: str = "",
    late_reason: str = "",
) -> Conference:
    """Record the conference the chair held: who came, quoracy, the decision.

    An initial conference sets the enquiry's date of initial conference (census
    DateOfInitialCPC), stops the ICPC clock met (a reason if late: the one given when it
    was scheduled late, unless another is given) and, when a plan is decided, starts the
    child protection plan. A review records the review on the plan and either updates its
    category or ends it. A continuing plan gets its next review proposed.
    """
    if conference.status != ConferenceStatus.SCHEDULED:
        raise ValidationError("Only a scheduled conference can be recorded")
    errors = _record_problems(
        conference,
        actor=actor,
        held_on=held_on,
        rows=attendance,
        not_quorate_reason=not_quorate_reason,
        plan_needed=plan_needed,
        category=category,
        lead_worker=lead_worker,
    )
    clock = _icpc_clock(conference.section_47) if conference.section_47 is not None else None
    late_reason = late_reason.strip() or conference.late_reason
    if clock is not None and held_on > clock.due_date and not late_reason:
        errors.setdefault("late_reason", []).append(
            "Give the reason the conference was late: it was due on " + govuk_date(clock.due_date)
        )
    if errors:
        raise ValidationError(errors)
    child_id = conference.child_id
    with transaction.atomic():
        for row in attendance:
            audited_create(
                ConferenceAttendance,
                actor=actor,
                action="conference_attendance_record",
                values={
                    "conference": conference,
                    "name": row.name.strip(),
                    "agency": row.agency,
                    "role": row.role.strip(),
                    "attendance": row.attendance,
                },
                audit=["conference", "agency", "attendance"],
                child_id=child_id,
                validate=True,
            )
        plan = conference.plan
        if conference.kind == ConferenceKind.INITIAL:
            enquiry = conference.section_47
            assert enquiry is not None  # held by the icpc_has_section_47 constraint
            audited_update(
                enquiry,
                actor=actor,
                action="section_47_icpc_held",
                values={"icpc_date": held_on},
                child_id=child_id,
            )
            if clock is not None:
                clock_stop(
                    actor=actor,
                    clock=clock,
                    met_date=held_on,
                    late_reason=late_reason if held_on > clock.due_date else "",
                )
            if plan_needed:
                # Casework's service: counts the previous plans from history and starts the
                # visit and first review clocks.
                plan = cp_plan_start(
                    actor=actor, episode=conference.episode, start_date=held_on, category=category
                )
        else:
            assert plan is not None  # held by the review_has_plan constraint
            # Meets the review clock (a reason if late) and starts the next one.
            cp_review_record(actor=actor, plan=plan, held_on=held_on, late_reason=late_reason)
            if plan_needed:
                audited_update(
                    plan,
                    actor=actor,
                    action="cp_plan_category_review",
                    values={"latest_category": category},
                    child_id=child_id,
                )
            else:
                cp_plan_end(actor=actor, plan=plan, end_date=held_on)
        audited_update(
            conference,
            actor=actor,
            action="conference_record",
            values={
                "status": ConferenceStatus.HELD,
                "held_on": held_on,
                "not_quorate_reason": "" if quorate(attendance) else not_quorate_reason.strip(),
                "plan_needed": plan_needed,
                "category": category if plan_needed else "",
                "lead_worker": lead_worker if plan_needed else None,
                "dissent": dissent.strip(),
                "plan": plan,
                "letter_due": add_working_days(held_on, LETTER_WORKING_DAYS),
                "record_due": add_working_days(held_on, RECORD_WORKING_DAYS),
            },
            audit=["status", "held_on", "plan_needed", "category", "lead_worker", "plan", "record_due"],
            child_id=child_id,
        )
        if plan is not None and plan_needed:
            if conference.kind == ConferenceKind.INITIAL:
                # The first core group within 10 working days of the initial conference.
                clock_start(
                    actor=actor,
                    kind=ClockKind.CORE_GROUP,
                    episode=conference.episode,
                    source=plan,
                    start_date=held_on,
                )
            review_conference_propose(actor=actor, plan=plan)
    return conference


def _after_problems(actor: User, conference: Conference, on: dt.date) -> None:
    if conference.status != ConferenceStatus.HELD or conference.held_on is None:
        raise ValidationError("The conference has not been held yet")
    if conference.chair_id != actor.pk:
        raise PermissionDenied("Only the chair of this conference can do this")
    if on > timezone.localdate() or on < conference.held_on:
        raise ValidationError("The date must be between the conference and today")


def _after_step_done(
    *, actor: User, conference: Conference, field: str, on: dt.date, action: str, already: str
) -> Conference:
    """Record the date a step after the conference was done, once (the letter, the record)."""
    _after_problems(actor, conference, on)
    if getattr(conference, field) is not None:
        raise ValidationError(already)
    audited_update(conference, actor=actor, action=action, values={field: on}, child_id=conference.child_id)
    return conference


def conference_letter_sent(*, actor: User, conference: Conference, sent_on: dt.date) -> Conference:
    """The chair has sent the outcome letter to the family and agencies."""
    return _after_step_done(
        actor=actor,
        conference=conference,
        field="letter_sent_on",
        on=sent_on,
        action="conference_letter_sent",
        already="The outcome letter is already recorded as sent",
    )


def conference_record_complete(*, actor: User, conference: Conference, completed_on: dt.date) -> Conference:
    """The chair has finished the full record of the conference."""
    return _after_step_done(
        actor=actor,
        conference=conference,
        field="record_completed_on",
        on=completed_on,
        action="conference_record_complete",
        already="The record is already finished",
    )
