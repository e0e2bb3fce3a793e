"""The generated council's day-to-day casework: visits, case notes, chronology entries, and
settled section 47 outcomes, then the statutory clocks for everything.

Runs after the main generator, on the rows it made, deterministically from the seed. Bulk
inserts only; a system import, so no audit row per record (as for the rest of the demo).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction

from safeguard.casework.backfill import clocks_backfill
from safeguard.casework.models import (
    CaseNote,
    ChildProtectionPlan,
    ChronologyEntry,
    CINEpisode,
    CINPlan,
    CINPlanReview,
    Section47Enquiry,
    Section47Outcome,
    StatutoryClock,
    Visit,
    VisitKind,
)
from safeguard.casework.timescales import (
    Timescale,
    cin_review_timescale,
    cin_visit_timescale,
    cp_visit_timescale,
)
from safeguard.core.calendar import add_calendar_months, add_working_days, working_days_between
from safeguard.people.models import Involvement

BATCH = 5000
# The tables this module fills, in insertion order (after the generator's own TABLES).
# The tables made after the generator's own, in order (the involvements last, by ``generate``).
EXTRA_TABLES = (Visit, CaseNote, ChronologyEntry, CINPlanReview, StatutoryClock, Involvement)
# A section 47 still open this long after it started has, in life, long since concluded.
SETTLED_AFTER_WORKING_DAYS = 30

OBSERVATIONS = (
    "Seen in the living room; played with a younger sibling and talked about school.",
    "Seen at school with the designated safeguarding lead; said things at home are calmer.",
    "Home warm and tidy; food in the cupboards; child showed me their bedroom.",
    "Child quiet at first, then chatty about football; no new marks or injuries seen.",
    "Mother tired but engaged; agreed the plan for the health visitor to call next week.",
    "Child said they worry when the shouting starts; we talked about who they can tell.",
    "Visit cut short by a family argument; will return within the week.",
)
NOTES = (
    "Phoned the school: attendance 92% this half term, no concerns raised.",
    "Spoke to the GP surgery: immunisations up to date.",
    "Supervision: agreed to increase visits while the parent's new partner moves in.",
    "Housing officer confirmed the repairs to the back door are booked.",
    "Mother called to rearrange the visit; new date agreed.",
)
CHRONOLOGY = (
    (
        "Police called to the home after a neighbour reported shouting",
        "Police notification",
        "Third incident this year: a pattern, not a one-off.",
    ),
    (
        "Child missed three days of school in one week",
        "School",
        "Coincides with the parent's hospital stay: check who was caring for the child.",
    ),
    (
        "Parent started a domestic abuse programme",
        "Parent and programme worker",
        "Positive step; attendance needs to be sustained before risk reduces.",
    ),
)


LATE_VISIT_REASONS = (
    "The family cancelled the planned visit; seen at the first date they agreed.",
    "No answer at the planned visit; seen unannounced later in the week.",
    "The child was staying with a grandparent out of area; seen on their return.",
    "Worker off sick; the visit was rearranged with the family.",
    "The child was in hospital; visited once discharged home.",
)


def _visit_days(start: dt.date, end: dt.date, every: int, rng: random.Random) -> list[dt.date]:
    days: list[dt.date] = []
    day = start
    while True:
        day = add_working_days(day, max(1, every + rng.choice((-2, -1, 0, 0, 1, 3))))
        if day > end:
            return days
        days.append(day)


def _settle_section_47s(today: dt.date, rng: random.Random) -> int:
    stale = [
        s
        for s in Section47Enquiry.objects.filter(icpc_date__isnull=True, icpc_not_required=False, outcome="")
        if working_days_between(s.start_date, today) > SETTLED_AFTER_WORKING_DAYS
    ]
    for enquiry in stale:
        enquiry.icpc_not_required = True
        enquiry.outcome = rng.choice((Section47Outcome.NOT_SUBSTANTIATED, Section47Outcome.ICPC_NOT_REQUIRED))
    Section47Enquiry.objects.bulk_update(stale, ["icpc_not_required", "outcome"], batch_size=BATCH)
    return len(stale)


def _late_reason(
    timescale: Timescale, last_seen: dt.date, day: dt.date, seen: bool, rng: random.Random
) -> str:
    """The worker's reason for a visit that met its clock after the due date (as
    casework.services.recording.visit_record asks for one); none for a visit on time or one where the
    child was not seen, which meets no clock."""
    if not seen or day <= timescale.due(last_seen):
        return ""
    return rng.choice(LATE_VISIT_REASONS)


def _visits(today: dt.date, rng: random.Random) -> list[Visit]:
    visits: list[Visit] = []
    cp_visits, cin_visits = cp_visit_timescale(), cin_visit_timescale()
    since = today - dt.timedelta(days=365)
    plans = ChildProtectionPlan.objects.filter(start_date__lte=today).exclude(end_date__lt=since)
    for plan in plans.order_by("pk").iterator(chunk_size=BATCH):
        first = max(plan.start_date, since)
        last_seen = first
        for day in _visit_days(first, min(plan.end_date or today, today), 10, rng):
            seen = rng.random() < 0.95
            visits.append(
                Visit(
                    episode_id=plan.episode_id,
                    child_id=plan.child_id,
                    visit_date=day,
                    kind=VisitKind.CP,
                    child_seen=seen,
                    # Seen alone is recorded only for a visit where the child was seen.
                    child_seen_alone=(rng.random() < 0.7) if seen else None,
                    observations=rng.choice(OBSERVATIONS),
                    late_reason=_late_reason(cp_visits, last_seen, day, seen, rng),
                )
            )
            last_seen = day if seen else last_seen
    cin_plans = (
        CINPlan.objects.filter(start_date__lte=today).exclude(end_date__lt=since).select_related("episode")
    )
    for cin_plan in cin_plans.order_by("pk").iterator(chunk_size=BATCH):
        first = max(cin_plan.start_date, since)
        last_seen = first
        for day in _visit_days(first, min(cin_plan.end_date or today, today), 20, rng):
            seen = rng.random() < 0.9
            visits.append(
                Visit(
                    episode_id=cin_plan.episode_id,
                    child_id=cin_plan.episode.child_id,
                    visit_date=day,
                    kind=VisitKind.CIN,
                    child_seen=seen,
                    child_seen_alone=(rng.random() < 0.5) if seen else None,
                    observations=rng.choice(OBSERVATIONS),
                    late_reason=_late_reason(cin_visits, last_seen, day, seen, rng),
                )
            )
            last_seen = day if seen else last_seen
    return visits


def _notes_and_chronology(today: dt.date, rng: random.Random) -> tuple[list[CaseNote], list[ChronologyEntry]]:
    notes: list[CaseNote] = []
    entries: list[ChronologyEntry] = []
    for episode in (
        CINEpisode.objects.filter(closure_date__isnull=True).order_by("pk").iterator(chunk_size=BATCH)
    ):
        span = max((today - episode.referral_date).days, 1)
        for _ in range(rng.randint(1, 3)):
            notes.append(
                CaseNote(
                    episode_id=episode.pk,
                    child_id=episode.child_id,
                    written_on=episode.referral_date + dt.timedelta(days=rng.randrange(span)),
                    text=rng.choice(NOTES),
                )
            )
        if rng.random() < 0.4:
            event, source, analysis = rng.choice(CHRONOLOGY)
            entries.append(
                ChronologyEntry(
                    child_id=episode.child_id,
                    source=source,
                    event=event,
                    analysis=analysis,
                    happened_on=episode.referral_date + dt.timedelta(days=rng.randrange(span)),
                )
            )
    return notes, entries


CIN_REVIEW_SUMMARIES = (
    "Plan reviewed with the family and school: attendance better; support to continue.",
    "Reviewed: the parent is engaging with the family support worker; actions carried forward.",
    "Reviewed with health: appointments kept; the plan continues for three more months.",
)


def _cin_plan_reviews(today: dt.date, rng: random.Random) -> list[CINPlanReview]:
    """Reviews of the open child in need plans, about every cin_review_months (local policy),
    a few late: without them every plan's review clock would run from its start and most
    would read overdue."""
    months = cin_review_timescale().months or 3
    reviews: list[CINPlanReview] = []
    for pk, start in (
        CINPlan.objects.filter(end_date__isnull=True).order_by("pk").values_list("pk", "start_date")
    ):
        due = add_calendar_months(start, months)
        while True:
            if rng.random() < 0.1:
                held = due + dt.timedelta(days=rng.randint(1, 15))
            else:
                held = due - dt.timedelta(days=rng.randint(0, 20))
            if held > today:
                break
            reviews.append(CINPlanReview(plan_id=pk, held_on=held, summary=rng.choice(CIN_REVIEW_SUMMARIES)))
            due = add_calendar_months(held, months)
    return reviews


def add_casework_extras(*, seed: int, today: dt.date) -> Counter[str]:
    """Add visits, notes, chronology entries and settled enquiries; then the clocks."""
    rng = random.Random(f"casework-extras-{seed}")
    counts: Counter[str] = Counter()
    with transaction.atomic():
        counts["casework.Section47Enquiry (settled)"] = _settle_section_47s(today, rng)
        visits = _visits(today, rng)
        Visit.objects.bulk_create(visits, batch_size=BATCH)
        notes, entries = _notes_and_chronology(today, rng)
        CaseNote.objects.bulk_create(notes, batch_size=BATCH)
        ChronologyEntry.objects.bulk_create(entries, batch_size=BATCH)
        reviews = _cin_plan_reviews(today, rng)
        CINPlanReview.objects.bulk_create(reviews, batch_size=BATCH)
        counts.update(
            {
                "casework.CINPlanReview": len(reviews),
                "casework.Visit": len(visits),
                "casework.CaseNote": len(notes),
                "casework.ChronologyEntry": len(entries),
            }
        )
        # The backfill also starts each open plan's visit and review clocks from its visits.
        counts["casework.StatutoryClock"] = clocks_backfill(today=today)
    return counts
