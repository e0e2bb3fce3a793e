"""Child in need plans, child protection plans and their reviews."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.audit.services import audited_create, audited_update
from safeguard.casework.clocks import (
    clock_meet_and_restart,
    clock_start,
    clocks_stop,
    late_reason_check,
    running_clock,
)
from safeguard.casework.involvements import cp_plan_involvements_sync
from safeguard.casework.models import (
    ChildProtectionPlan,
    ChildProtectionReview,
    CINEpisode,
    CINPlan,
    CINPlanReview,
    ClockKind,
)
from safeguard.casework.selectors import open_cp_plan
from safeguard.casework.timescales import later_review_timescale


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
        plan = audited_create(
            CINPlan,
            actor=actor,
            action="cin_plan_start",
            values={"episode": episode, "start_date": start_date},
            audit=["start_date"],
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
    _plan_end(actor=actor, plan=plan, end_date=end_date, kinds=[ClockKind.CIN_REVIEW, ClockKind.CIN_VISIT])
    return plan


def _plan_end(
    *, actor: User, plan: CINPlan | ChildProtectionPlan, end_date: dt.date, kinds: list[str]
) -> None:
    """Save a plan's end: audited, and its visit and review clocks stop (no more are due)."""
    with transaction.atomic():
        audited_update(
            plan,
            actor=actor,
            action="cin_plan_end" if isinstance(plan, CINPlan) else "cp_plan_end",
            values={"end_date": end_date},
            child_id=plan.episode.child_id,
        )
        if isinstance(plan, ChildProtectionPlan):
            cp_plan_involvements_sync(plan)
        clocks_stop(actor=actor, episode=plan.episode, kinds=kinds, reason="Plan ended")


def cin_plan_review_record(
    *, actor: User, plan: CINPlan, held_on: dt.date, summary: str, late_reason: str = ""
) -> CINPlanReview:
    """Record a review of the plan: meets the review clock (a reason if late) and, while the
    plan is open, starts the next one from this review."""
    if held_on < plan.start_date or held_on > timezone.localdate():
        raise ValidationError("The review must be between the plan's start and today")
    if plan.end_date is not None and held_on > plan.end_date:
        raise ValidationError("The review cannot be after the plan ended")
    running = running_clock(plan.episode, ClockKind.CIN_REVIEW)
    # A review of an ended plan, or before the last one and recorded afterwards, times nothing.
    times = plan.end_date is None and not (running is not None and held_on < running.start_date)
    late_reason_check(running if times else None, held_on, late_reason, "the review")
    with transaction.atomic():
        review = audited_create(
            CINPlanReview,
            actor=actor,
            action="cin_plan_review_record",
            values={"plan": plan, "held_on": held_on, "summary": summary},
            audit=["held_on", "summary"],
            child_id=plan.episode.child_id,
        )
        if times:
            clock_meet_and_restart(
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
        previous = ChildProtectionPlan.objects.filter(child_id=episode.child_id).count()
        plan = audited_create(
            ChildProtectionPlan,
            actor=actor,
            action="cp_plan_start",
            values={
                "episode": episode,
                "child_id": episode.child_id,
                "start_date": start_date,
                "initial_category": category,
                "latest_category": category,
                "number_of_previous_plans": previous,
            },
            audit=["start_date", "initial_category"],
            child_id=episode.child_id,
        )
        cp_plan_involvements_sync(plan)
        for kind in (ClockKind.CP_VISIT, ClockKind.CP_REVIEW):
            clock_start(actor=actor, kind=kind, episode=episode, source=plan, start_date=start_date)
    return plan


def cp_plan_end(*, actor: User, plan: ChildProtectionPlan, end_date: dt.date) -> ChildProtectionPlan:
    """End the plan: its visit and review clocks stop (no more are due)."""
    if plan.end_date is not None:
        raise ValidationError("This plan has already ended")
    if end_date <= plan.start_date or end_date > timezone.localdate():
        raise ValidationError("The plan must end after its start date and not after today")
    _plan_end(actor=actor, plan=plan, end_date=end_date, kinds=[ClockKind.CP_VISIT, ClockKind.CP_REVIEW])
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
    running = running_clock(plan.episode, ClockKind.CP_REVIEW)
    # A review before the last one, recorded afterwards, is kept but times nothing.
    backdated = running is not None and held_on < running.start_date
    late_reason_check(None if backdated else running, held_on, late_reason, "the review conference")
    with transaction.atomic():
        review = audited_create(
            ChildProtectionReview,
            actor=actor,
            action="cp_review_record",
            values={"plan": plan, "held_on": held_on},
            audit=["held_on"],
            child_id=plan.child_id,
        )
        if not backdated:
            clock_meet_and_restart(
                actor=actor,
                episode=plan.episode,
                kind=ClockKind.CP_REVIEW,
                met_on=held_on,
                late_reason=late_reason.strip(),
                source=review,
                timescale=later_review_timescale(),
            )
    return review
