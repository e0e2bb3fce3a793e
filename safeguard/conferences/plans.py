"""The child protection plan as the family reads it: its outcomes (what needs to change,
who does what, by when, how we will know), its core group meetings and how it ended.

The plan row and its clocks are casework's (``cp_plan_start``, ``cp_plan_end``,
``cin_plan_start``, ``clock_stop``); this module writes only what the plan says, and reads
a plan for a user who may see the child. The number of previous plans is casework's,
counted from the child's history when the plan starts, never typed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessKind
from safeguard.audit.services import (
    access_log_record,
    access_log_record_refused,
    audited_create,
)
from safeguard.casework.clocks import clock_stop
from safeguard.casework.models import ChildProtectionPlan, ClockKind, StatutoryClock
from safeguard.casework.services.plans import cin_plan_start, cp_plan_end
from safeguard.conferences.models import (
    Conference,
    ConferenceKind,
    ConferenceStatus,
    CoreGroupMeeting,
    PlanEnding,
    PlanOutcome,
)
from safeguard.conferences.services import conference_cancel
from safeguard.design_system.formatting import govuk_date
from safeguard.people.permissions import can

# -- reads ------------------------------------------------------------------------------


def plan_get_for_user(
    *, user: User, plan_id: uuid.UUID, action: Action = Action.VIEW, request: HttpRequest | None = None
) -> ChildProtectionPlan:
    """The plan, if ``user`` may see its child (404 otherwise, so it is not revealed) and
    may ``action`` it (403 otherwise). Each answer is written to the access log."""
    plan = (
        ChildProtectionPlan.objects.select_related("child", "episode__worker", "episode__team")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or not can(user, Action.VIEW, plan.child):
        access_log_record_refused(
            user=user,
            what=AccessKind.PLAN,
            model=ChildProtectionPlan,
            object_id=plan_id,
            reason="no such record" if plan is None else "outside the user's reach",
            child_id=plan.child_id if plan is not None else None,
            request=request,
        )
        raise Http404("No such plan")
    if action != Action.VIEW and not can(user, action, plan.child):
        access_log_record_refused(
            user=user,
            what=AccessKind.PLAN,
            model=ChildProtectionPlan,
            object_id=plan_id,
            reason=f"the user may not {action} this plan",
            child_id=plan.child_id,
            request=request,
        )
        raise PermissionDenied("You cannot change this plan")
    access_log_record(user=user, what=AccessKind.PLAN, instance=plan, child_id=plan.child_id, request=request)
    return plan


@dataclass(frozen=True)
class PlanView:
    """What the plan page and the family's copy show: nothing of the referral, no address."""

    plan: ChildProtectionPlan
    child_first_name: str
    outcomes: list[PlanOutcome]
    core_groups: list[CoreGroupMeeting]
    core_group_clock: StatutoryClock | None
    lead_worker: User | None
    next_review: Conference | None
    ending: PlanEnding | None


def plan_view(plan: ChildProtectionPlan) -> PlanView:
    """For a plan already authorised (or reached through the family's own link)."""
    started_by = (
        Conference.objects.filter(plan=plan, status=ConferenceStatus.HELD)
        .select_related("lead_worker")
        .order_by("-held_on")
        .first()
    )
    next_review = (
        Conference.objects.filter(
            plan=plan,
            kind=ConferenceKind.REVIEW,
            status__in=(ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED),
        )
        .order_by("target_date")
        .first()
    )
    return PlanView(
        plan=plan,
        child_first_name=plan.child.given_name,
        outcomes=list(plan.outcomes.all()),
        core_groups=list(plan.core_groups.all()),
        core_group_clock=StatutoryClock.objects.filter(
            episode_id=plan.episode_id, kind=ClockKind.CORE_GROUP, source_id=plan.pk
        ).first(),
        lead_worker=started_by.lead_worker if started_by is not None else plan.episode.worker,
        next_review=next_review,
        ending=PlanEnding.objects.filter(plan=plan).first(),
    )


# -- writes -----------------------------------------------------------------------------


def _open(plan: ChildProtectionPlan) -> None:
    if not plan.is_open:
        raise ValidationError("This plan has ended")


def plan_outcome_add(*, actor: User, plan: ChildProtectionPlan, values: dict[str, Any]) -> PlanOutcome:
    """Add an outcome to the plan (what needs to change, who does what, by when, how we
    will know)."""
    if not can(actor, Action.EDIT, plan.child):
        raise PermissionDenied("You cannot change this plan")
    _open(plan)
    if values["by_when"] < plan.start_date:
        raise ValidationError({"by_when": "The date must be after the plan started"})
    return audited_create(
        PlanOutcome,
        actor=actor,
        action="cp_plan_outcome_add",
        values={"plan": plan, **{k: v.strip() if isinstance(v, str) else v for k, v in values.items()}},
        audit=["plan", "by_when"],
        child_id=plan.child_id,
        validate=True,
    )


def core_group_record(
    *,
    actor: User,
    plan: ChildProtectionPlan,
    held_on: dt.date,
    attended: str = "",
    notes: str = "",
    late_reason: str = "",
) -> CoreGroupMeeting:
    """A core group meeting. The first meets the core group clock (a reason if late)."""
    if not can(actor, Action.EDIT, plan.child):
        raise PermissionDenied("You cannot change this plan")
    _open(plan)
    if held_on > timezone.localdate() or held_on < plan.start_date:
        raise ValidationError({"held_on": "The meeting must be between the plan's start and today"})
    clock = StatutoryClock.objects.filter(
        episode_id=plan.episode_id,
        kind=ClockKind.CORE_GROUP,
        source_id=plan.pk,
        met_date__isnull=True,
        stopped_reason="",
    ).first()
    if clock is not None and held_on > clock.due_date and not late_reason.strip():
        raise ValidationError(
            {
                "late_reason": "Give the reason the first core group was late: it was due on "
                + govuk_date(clock.due_date)
            }
        )
    with transaction.atomic():
        meeting = audited_create(
            CoreGroupMeeting,
            actor=actor,
            action="core_group_record",
            values={"plan": plan, "held_on": held_on, "attended": attended.strip(), "notes": notes.strip()},
            audit=["plan", "held_on"],
            child_id=plan.child_id,
        )
        if clock is not None:
            clock_stop(
                actor=actor,
                clock=clock,
                met_date=held_on,
                late_reason=late_reason if held_on > clock.due_date else "",
            )
    return meeting


def cp_plan_close(
    *,
    actor: User,
    plan: ChildProtectionPlan,
    end_date: dt.date,
    reason: str,
    detail: str = "",
    step_down: bool = False,
) -> PlanEnding:
    """End the plan with its reason and, when the child still needs help, start a child
    in need plan the same day: all in one transaction, so neither is half done. The plan's
    clocks stop (casework's ``cp_plan_end``, and the core group's here) and a review still
    to come is cancelled."""
    if not can(actor, Action.EDIT, plan.child):
        raise PermissionDenied("You cannot end this plan")
    if not plan.is_open:
        raise ValidationError("This plan has already ended")
    if end_date <= plan.start_date:
        raise ValidationError({"end_date": "The plan must end after the day it started"})
    if end_date > timezone.localdate():
        raise ValidationError({"end_date": "The end date cannot be in the future"})
    with transaction.atomic():
        cp_plan_end(actor=actor, plan=plan, end_date=end_date)
        for clock in StatutoryClock.objects.filter(
            episode_id=plan.episode_id, kind=ClockKind.CORE_GROUP, met_date__isnull=True, stopped_reason=""
        ):
            clock_stop(actor=actor, clock=clock, met_date=None, stopped_reason="Plan ended")
        for review in Conference.objects.filter(
            plan=plan, status__in=(ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED)
        ):
            conference_cancel(actor=actor, conference=review, reason="The plan ended")
        ending = audited_create(
            PlanEnding,
            actor=actor,
            action="cp_plan_close",
            values={
                "plan": plan,
                "reason": reason,
                "detail": detail.strip(),
                "stepped_down_to_cin": step_down,
            },
            audit=["plan", "reason", "stepped_down_to_cin"],
            child_id=plan.child_id,
            validate=True,
        )
        if step_down:
            cin_plan_start(actor=actor, episode=plan.episode, start_date=end_date)
    return ending
