"""Visits, case notes and the chronology."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.audit.services import audited_create
from safeguard.casework.clocks import (
    clock_meet_and_restart,
    late_reason_check,
    running_clock,
    visit_clock_kind,
)
from safeguard.casework.models import CaseNote, ChronologyEntry, CINEpisode, Visit
from safeguard.people.models import Person

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
    clock_kind = visit_clock_kind(episode, kind) if child_seen else None
    running = running_clock(episode, clock_kind) if clock_kind else None
    if running is not None and visit_date < running.start_date:
        # A visit before the last one, recorded afterwards: it is kept but times nothing.
        clock_kind = running = None
    late_reason_check(running, visit_date, late_reason, "the visit")
    late = running is not None and visit_date > running.due_date
    with transaction.atomic():
        visit = audited_create(
            Visit,
            actor=actor,
            action="visit_record",
            values={
                "episode": episode,
                "child_id": episode.child_id,
                "visit_date": visit_date,
                "kind": kind,
                "child_seen": child_seen,
                "child_seen_alone": child_seen_alone if child_seen else None,
                "observations": observations,
                "late_reason": late_reason.strip() if late else "",
            },
            audit=["visit_date", "kind", "child_seen", "child_seen_alone", "late_reason"],
            child_id=episode.child_id,
        )
        if clock_kind is not None:
            clock_meet_and_restart(
                actor=actor,
                episode=episode,
                kind=clock_kind,
                met_on=visit_date,
                late_reason=visit.late_reason,
                source=visit,
            )
    return visit


def case_note_add(*, actor: User, episode: CINEpisode, written_on: dt.date, text: str) -> CaseNote:
    if written_on > timezone.localdate():
        raise ValidationError("The note's date cannot be in the future")
    return audited_create(
        CaseNote,
        actor=actor,
        action="case_note_add",
        values={"episode": episode, "child_id": episode.child_id, "written_on": written_on, "text": text},
        audit=["written_on", "text"],
        child_id=episode.child_id,
    )


def chronology_entry_add(
    *, actor: User, child: Person, happened_on: dt.date, event: str, source: str, analysis: str
) -> ChronologyEntry:
    if happened_on > timezone.localdate():
        raise ValidationError("The date cannot be in the future")
    return audited_create(
        ChronologyEntry,
        actor=actor,
        action="chronology_entry_add",
        values={
            "child": child,
            "happened_on": happened_on,
            "event": event,
            "source": source,
            "analysis": analysis,
        },
        audit=["happened_on", "event", "source", "analysis"],
        child_id=child.pk,
    )
