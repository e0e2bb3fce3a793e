"""Month-end figures, stored so that a past month never changes when an old record is
corrected, and the version that the measures page's cache is keyed by.

The month-end job (``jobs.measures_month_end``) stores every measure for the council,
each service and each team for the month just ended. A trend asked for a month with no
stored figures computes and stores them then (once a month has ended its figures are
kept as first computed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import RECEIVING_TEAM_KINDS, Service, Team
from safeguard.performance.measure_models import MeasureSnapshot
from safeguard.performance.measures import MEASURES, Figure, Kind, Scope, Window, compute_all

VERSION_KEY = "performance:measures:version"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def ended_months(today: dt.date, count: int) -> list[dt.date]:
    """The last days of the ``count`` months before this one, oldest first."""
    ends: list[dt.date] = []
    day = month_start(today) - dt.timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = month_start(day) - dt.timedelta(days=1)
    return ends[::-1]


def cache_version() -> int:
    return int(cache.get_or_set(VERSION_KEY, 1) or 1)


def cache_bump() -> None:
    """Drop every cached measures page (the next request computes afresh)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2)


def snapshot_scopes() -> list[Scope]:
    scopes = [Scope.council()]
    scopes += [Scope.of_service(s.pk, s.name) for s in Service.objects.order_by("name")]
    scopes += [Scope.of_team(t) for t in Team.objects.filter(kind__in=RECEIVING_TEAM_KINDS).order_by("name")]
    return scopes


def _rows(figures: Iterable[Figure], end: dt.date, at: dt.datetime) -> list[MeasureSnapshot]:
    return [
        MeasureSnapshot(
            month_end=end,
            measure=f.id,
            scope_level=f.scope.level,
            scope_id=f.scope.id,
            numerator=f.numerator,
            denominator=f.denominator,
            value=f.value,
            computed_at=at,
        )
        for f in figures
        if f.available
    ]


def snapshot_month(*, end: dt.date, scope: Scope, replace: bool = False) -> list[MeasureSnapshot]:
    """Store every measure of the month ending ``end`` for ``scope`` (kept if already stored,
    unless ``replace``)."""
    existing = MeasureSnapshot.objects.filter(month_end=end, scope_level=scope.level, scope_id=scope.id)
    if existing.exists() and not replace:
        return list(existing)
    figures = compute_all(window=Window.of(month_start(end), end, end), scope=scope)
    rows = _rows(figures, end, timezone.now())
    with transaction.atomic():
        existing.delete()
        MeasureSnapshot.objects.bulk_create(rows)
    return rows


def measures_month_end(*, today: dt.date | None = None) -> int:
    """The month-end job's work: store last month for every scope, then drop the cache."""
    today = today or timezone.localdate()
    [end] = ended_months(today, 1)
    stored = sum(len(snapshot_month(end=end, scope=scope)) for scope in snapshot_scopes())
    cache_bump()
    return stored


def trend(
    *, scope: Scope, today: dt.date, months: int = 24
) -> tuple[list[dt.date], dict[str, list[MeasureSnapshot | None]]]:
    """Stored month-end figures for the last ``months`` complete months, computing (and
    storing) any month not yet stored. Returns the month ends and, per measure, a row a month."""
    ends = ended_months(today, months)
    stored = MeasureSnapshot.objects.filter(month_end__in=ends, scope_level=scope.level, scope_id=scope.id)
    have = set(stored.values_list("month_end", flat=True).distinct())
    for end in ends:
        if end not in have:
            snapshot_month(end=end, scope=scope)
    rows: dict[tuple[str, dt.date], MeasureSnapshot] = {
        (r.measure, r.month_end): r
        for r in MeasureSnapshot.objects.filter(
            month_end__in=ends, scope_level=scope.level, scope_id=scope.id
        )
    }
    series: dict[str, list[MeasureSnapshot | None]] = {
        m.id: [rows.get((m.id, end)) for end in ends] for m in MEASURES if m.kind != Kind.NOT_YET
    }
    return ends, series


def last_computed(rows: Sequence[MeasureSnapshot | None]) -> dt.datetime | None:
    times = [r.computed_at for r in rows if r is not None]
    return max(times) if times else None
