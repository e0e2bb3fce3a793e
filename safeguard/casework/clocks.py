"""The statutory clocks: start, stop, re-time, and the helpers every service that times
something uses (a running clock, meeting and restarting a recurring one, asking for a late
reason). Public, so that other apps (conferences) time their work the same way."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from safeguard.accounts.models import User
from safeguard.audit.services import audited_create, audited_update
from safeguard.casework.models import Assessment, CINEpisode, ClockKind, StatutoryClock, VisitKind
from safeguard.casework.selectors import open_cp_plan
from safeguard.casework.timescales import TIMESCALES, Timescale
from safeguard.design_system.formatting import govuk_date

# -- statutory clocks ------------------------------------------------------------------


class LateReasonNeeded(ValidationError):
    """Something was done after its clock's due date and nobody has said why.

    The error is the ``late_reason`` field's, so a form page shows it beside the box that
    asks for the reason (at the top if the form has no such box)."""

    def __init__(self, message: str) -> None:
        super().__init__({"late_reason": [message]})


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
    return audited_create(
        StatutoryClock,
        actor=actor,
        action="clock_start",
        values={
            "kind": kind,
            "child_id": episode.child_id,
            "episode": episode,
            "source_type": source._meta.label_lower,
            "source_id": source.pk,
            "start_date": start_date,
            "working_days": timescale.working_days,
            "months": timescale.months,
            "due_date": timescale.due(start_date),
        },
        audit=["kind", "start_date", "due_date"],
        child_id=episode.child_id,
    )


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
    audited_update(
        clock,
        actor=actor,
        action="clock_stop",
        values={"met_date": met_date, "late_reason": late_reason.strip(), "stopped_reason": stopped_reason},
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
            # Re-timing is the calendar's doing, not a person's: whoever last changed the
            # clock stays its last modifier.
            audited_update(
                clock,
                actor=actor,
                action="clock_retime",
                values={"due_date": due, "modified_by": clock.modified_by},
                audit=["due_date"],
                child_id=clock.child_id,
            )
            moved += 1
    return moved


def running_clock(
    episode: CINEpisode, kind: str, source: models.Model | None = None
) -> StatutoryClock | None:
    clocks = StatutoryClock.objects.filter(
        episode=episode, kind=kind, met_date__isnull=True, stopped_reason=""
    )
    if source is not None:
        clocks = clocks.filter(source_id=source.pk)
    return clocks.first()


def clocks_stop(*, actor: User | None, episode: CINEpisode, kinds: list[str], reason: str) -> None:
    """Stop the episode's running clocks of ``kinds`` unmet (e.g. the plan they belong to ended)."""
    for clock in StatutoryClock.objects.filter(
        episode=episode, kind__in=kinds, met_date__isnull=True, stopped_reason=""
    ):
        clock_stop(actor=actor, clock=clock, met_date=None, stopped_reason=reason)


def clock_meet_and_restart(
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
    running = running_clock(episode, kind)
    if running is not None:
        clock_stop(actor=actor, clock=running, met_date=met_on, late_reason=late_reason)
    return clock_start(
        actor=actor, kind=kind, episode=episode, source=source, start_date=met_on, timescale=timescale
    )


def late_reason_check(clock: StatutoryClock | None, on: dt.date, late_reason: str, what: str) -> None:
    """Refuse before anything is saved, so the page can ask for the reason in the same form."""
    if clock is not None and on > clock.due_date and not late_reason.strip():
        raise LateReasonNeeded(f"Give the reason {what} was late: it was due on {govuk_date(clock.due_date)}")


def assessment_clock(assessment: Assessment) -> StatutoryClock | None:
    """The running clock this assessment stops when it is authorised."""
    return running_clock(assessment.episode, ClockKind.ASSESSMENT, assessment)


def visit_clock_kind(episode: CINEpisode, kind: str) -> str | None:
    """Which visit clock a visit of ``kind`` meets: CP visits while the child is on a child
    protection plan, CIN visits while the episode has an open child in need plan."""
    if kind == VisitKind.CP and open_cp_plan(episode.child) is not None:
        return ClockKind.CP_VISIT
    if kind == VisitKind.CIN and episode.cin_plans.filter(end_date__isnull=True).exists():
        return ClockKind.CIN_VISIT
    return None


def running_clock_due(episode: CINEpisode, kind: str) -> dt.date | None:
    """When the episode's running clock of ``kind`` is due (for a form's hint), if one runs."""
    clock = running_clock(episode, kind)
    return clock.due_date if clock else None


def visit_due(episode: CINEpisode, kind: str) -> StatutoryClock | None:
    """The running visit clock a visit of ``kind`` would meet (for the form's hint)."""
    clock_kind = visit_clock_kind(episode, kind)
    return running_clock(episode, clock_kind) if clock_kind else None
