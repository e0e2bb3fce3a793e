"""Statutory clocks for records that arrived without them: an import from a previous system,
or the demo generator's bulk load. Bulk, idempotent, and a system action (no per-row audit).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

from django.db import transaction

from safeguard.casework.models import (
    Assessment,
    AssessmentStatus,
    ClockKind,
    Section47Enquiry,
    Section47Outcome,
    StatutoryClock,
)
from safeguard.casework.timescales import assessment_timescale, icpc_timescale

BATCH = 5000
NO_CONFERENCE_OUTCOMES = frozenset({Section47Outcome.NOT_SUBSTANTIATED, Section47Outcome.ICPC_NOT_REQUIRED})


def _assessment_clocks() -> Iterator[StatutoryClock]:
    rows = Assessment.objects.values_list(
        "pk",
        "episode_id",
        "episode__child_id",
        "episode__referral_date",
        "authorised_date",
        "episode__closure_date",
    )
    timescale = assessment_timescale()
    for pk, episode_id, child_id, referral, authorised, closed in rows.iterator(chunk_size=BATCH):
        yield StatutoryClock(
            kind=ClockKind.ASSESSMENT,
            child_id=child_id,
            episode_id=episode_id,
            source_type="casework.assessment",
            source_id=pk,
            start_date=referral,
            working_days=timescale.working_days,
            due_date=timescale.due(referral),
            met_date=authorised,
            stopped_reason="" if authorised or closed is None else "Episode closed",
        )


def _icpc_clocks() -> Iterator[StatutoryClock]:
    rows = Section47Enquiry.objects.values_list(
        "pk",
        "episode_id",
        "episode__child_id",
        "start_date",
        "icpc_date",
        "icpc_not_required",
        "outcome",
        "episode__closure_date",
    )
    timescale = icpc_timescale()
    for pk, episode_id, child_id, start, icpc, not_required, outcome, closed in rows.iterator(
        chunk_size=BATCH
    ):
        stopped = ""
        if icpc is None and (not_required or outcome in NO_CONFERENCE_OUTCOMES):
            stopped = "No conference needed"
        elif icpc is None and closed is not None:
            stopped = "Episode closed"
        yield StatutoryClock(
            kind=ClockKind.ICPC,
            child_id=child_id,
            episode_id=episode_id,
            source_type="casework.section47enquiry",
            source_id=pk,
            start_date=start,
            working_days=timescale.working_days,
            due_date=timescale.due(start),
            met_date=icpc,
            stopped_reason=stopped,
        )


def _bulk(clocks: Iterator[StatutoryClock], existing: set[uuid.UUID]) -> int:
    made, batch = 0, []
    for clock in clocks:
        if clock.source_id in existing:
            continue
        batch.append(clock)
        if len(batch) >= BATCH:
            StatutoryClock.objects.bulk_create(batch)
            made, batch = made + len(batch), []
    StatutoryClock.objects.bulk_create(batch)
    return made + len(batch)


def clocks_backfill(*, today: dt.date) -> int:
    """Create the missing assessment and ICPC clocks and set assessment statuses. Returns the
    number of clocks made. Clocks are stamped with the timescale in force today."""
    with transaction.atomic():
        Assessment.objects.filter(authorised_date__isnull=False).exclude(
            status=AssessmentStatus.AUTHORISED
        ).update(status=AssessmentStatus.AUTHORISED)
        existing = set(StatutoryClock.objects.values_list("source_id", flat=True))
        return _bulk(_assessment_clocks(), existing) + _bulk(_icpc_clocks(), existing)
