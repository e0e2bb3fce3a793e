"""The ``Day`` table: core.calendar's working days, stored so that queries can use them.

Filled by a migration for the years the service has records in, and on demand
(``days_cover``) for any date outside them, so a measure never meets a missing day.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from safeguard.core.calendar import (
    add_calendar_months,
    is_working_day,
    last_working_day_on_or_before,
    working_days_between,
)
from safeguard.performance.measure_models import Day

DAY_EPOCH = dt.date(1990, 1, 1)
# The migration fills these years; later or earlier days are added when first needed.
FILLED_FROM = dt.date(2000, 1, 1)
FILLED_TO = dt.date(2040, 12, 31)


def day_row(day: dt.date) -> Day:
    return Day(
        date=day,
        is_working_day=is_working_day(day),
        working_day=working_days_between(DAY_EPOCH, day),
        year_before=add_calendar_months(day, -12),
        two_years_after=add_calendar_months(day, 24),
        first_review_due=last_working_day_on_or_before(add_calendar_months(day, 3)),
        later_review_due=last_working_day_on_or_before(add_calendar_months(day, 6)),
    )


def days_fill(start: dt.date, end: dt.date) -> int:
    """Add every missing day from ``start`` to ``end``; returns how many were added."""
    if end < start:
        return 0
    have = set(Day.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))
    wanted = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    rows = [day_row(day) for day in wanted if day not in have]
    with transaction.atomic():
        Day.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def days_cover(start: dt.date, end: dt.date) -> None:
    """Make sure the table holds every day from ``start`` to ``end`` (one count when it does)."""
    start = max(start, DAY_EPOCH)
    if end < start:
        return
    if Day.objects.filter(date__gte=start, date__lte=end).count() != (end - start).days + 1:
        days_fill(start, end)
