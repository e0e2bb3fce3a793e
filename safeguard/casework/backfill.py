"""Statutory clocks for records that arrived without them: an import from a previous system,
or the demo generator's bulk load. Bulk, idempotent, and a system action (no per-row audit).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator

from django.db import transaction

from safeguard.casework.models import (
    Assessment,
    AssessmentStatus,
    ChildProtectionPlan,
    ChildProtectionReview,
    CINEpisode,
    CINPlan,
    CINPlanReview,
    ClockKind,
    Section47Enquiry,
    Section47Outcome,
    StatutoryClock,
    Visit,
    VisitKind,
)
from safeguard.casework.timescales import (
    Timescale,
    assessment_timescale,
    cin_review_timescale,
    cin_visit_timescale,
    cp_visit_timescale,
    first_review_timescale,
    icpc_timescale,
    later_review_timescale,
)

BATCH = 5000
NO_CONFERENCE_OUTCOMES = frozenset({Section47Outcome.NOT_SUBSTANTIATED, Section47Outcome.ICPC_NOT_REQUIRED})


def _assessment_clocks() -> Iterator[StatutoryClock]:
    rows = Assessment.objects.order_by("episode_id", "start_date", "created_at").values_list(
        "pk",
        "episode_id",
        "episode__child_id",
        "episode__referral_date",
        "start_date",
        "authorised_date",
        "episode__closure_date",
    )
    timescale = assessment_timescale()
    previous_episode = None
    for pk, episode_id, child_id, referral, started, authorised, closed in rows.iterator(chunk_size=BATCH):
        # The first assessment counts from the point of referral; a later one in the same
        # episode from its own start (as assessment_start does).
        start = referral if episode_id != previous_episode else started
        previous_episode = episode_id
        yield StatutoryClock(
            kind=ClockKind.ASSESSMENT,
            child_id=child_id,
            episode_id=episode_id,
            source_type="casework.assessment",
            source_id=pk,
            start_date=start,
            working_days=timescale.working_days,
            due_date=timescale.due(start),
            met_date=authorised,
            stopped_reason="" if authorised or closed is None else "Episode closed",
        )


def _waiting_referral_clocks() -> Iterator[StatutoryClock]:
    """Open episodes with no assessment yet: the clock runs from the referral all the same
    (as episode_open starts it), so a referral waiting for allocation is counted."""
    rows = (
        CINEpisode.objects.filter(closure_date__isnull=True, referral_nfa=False, assessments__isnull=True)
        .values_list("pk", "child_id", "referral_date")
        .distinct()
    )
    timescale = assessment_timescale()
    for pk, child_id, referral in rows.iterator(chunk_size=BATCH):
        yield _running(
            ClockKind.ASSESSMENT,
            timescale,
            child_id=child_id,
            episode_id=pk,
            source=("casework.cinepisode", pk),
            start=referral,
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


def _last_by(rows: Iterable[tuple[uuid.UUID, dt.date]]) -> dict[uuid.UUID, dt.date]:
    last: dict[uuid.UUID, dt.date] = {}
    for key, day in rows:
        if key not in last or day > last[key]:
            last[key] = day
    return last


def _running(
    kind: str,
    timescale: Timescale,
    *,
    child_id: uuid.UUID,
    episode_id: uuid.UUID,
    source: tuple[str, uuid.UUID],
    start: dt.date,
) -> StatutoryClock:
    return StatutoryClock(
        kind=kind,
        child_id=child_id,
        episode_id=episode_id,
        source_type=source[0],
        source_id=source[1],
        start_date=start,
        working_days=timescale.working_days,
        months=timescale.months,
        due_date=timescale.due(start),
    )


def _plan_clocks() -> Iterator[StatutoryClock]:
    """The running visit and review clocks of open plans, from the last visit (child seen) or
    review, else the plan's start. Only running clocks: earlier ones are not rebuilt."""
    seen = Visit.objects.filter(child_seen=True)
    cp_visits = _last_by(seen.filter(kind=VisitKind.CP).values_list("episode_id", "visit_date"))
    cin_visits = _last_by(seen.filter(kind=VisitKind.CIN).values_list("episode_id", "visit_date"))
    cp_reviews = _last_by(ChildProtectionReview.objects.values_list("plan_id", "held_on"))
    cin_reviews = _last_by(CINPlanReview.objects.values_list("plan_id", "held_on"))
    for plan in ChildProtectionPlan.objects.filter(end_date__isnull=True).values(
        "pk", "episode_id", "child_id", "start_date"
    ):
        ids = {"child_id": plan["child_id"], "episode_id": plan["episode_id"]}
        source = ("casework.childprotectionplan", plan["pk"])
        visit = max(cp_visits.get(plan["episode_id"], plan["start_date"]), plan["start_date"])
        yield _running(ClockKind.CP_VISIT, cp_visit_timescale(), source=source, start=visit, **ids)
        review = cp_reviews.get(plan["pk"])
        timescale = later_review_timescale() if review else first_review_timescale()
        yield _running(
            ClockKind.CP_REVIEW, timescale, source=source, start=review or plan["start_date"], **ids
        )
    for pk, episode_id, child_id, start in CINPlan.objects.filter(end_date__isnull=True).values_list(
        "pk", "episode_id", "episode__child_id", "start_date"
    ):
        ids = {"child_id": child_id, "episode_id": episode_id}
        source = ("casework.cinplan", pk)
        visit = max(cin_visits.get(episode_id, start), start)
        yield _running(ClockKind.CIN_VISIT, cin_visit_timescale(), source=source, start=visit, **ids)
        review = cin_reviews.get(pk, start)
        yield _running(ClockKind.CIN_REVIEW, cin_review_timescale(), source=source, start=review, **ids)


def _bulk(clocks: Iterator[StatutoryClock], existing: set[tuple[str, uuid.UUID]]) -> int:
    made, batch = 0, []
    for clock in clocks:
        if (clock.kind, clock.source_id) in existing:
            continue
        batch.append(clock)
        if len(batch) >= BATCH:
            StatutoryClock.objects.bulk_create(batch)
            made, batch = made + len(batch), []
    StatutoryClock.objects.bulk_create(batch)
    return made + len(batch)


def clocks_backfill(*, today: dt.date) -> int:
    """Create the missing assessment, ICPC and plan clocks and set assessment statuses. Returns
    the number of clocks made. Clocks are stamped with the timescale in force today."""
    with transaction.atomic():
        Assessment.objects.filter(authorised_date__isnull=False).exclude(
            status=AssessmentStatus.AUTHORISED
        ).update(status=AssessmentStatus.AUTHORISED)
        existing = set(StatutoryClock.objects.values_list("kind", "source_id"))
        # A running plan clock's source moves on to the visit or review that met the last one,
        # so an episode with one running is left alone.
        running = set(
            StatutoryClock.objects.filter(met_date__isnull=True, stopped_reason="").values_list(
                "kind", "episode_id"
            )
        )
        return (
            _bulk(_assessment_clocks(), existing)
            + _bulk(_waiting_referral_clocks(), existing)
            + _bulk(_icpc_clocks(), existing)
            + _bulk((c for c in _plan_clocks() if (c.kind, c.episode_id) not in running), existing)
        )
