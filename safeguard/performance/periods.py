"""The period and snapshot a figure is asked for, checked the same way for the pages and
the ``kpis`` command, with a message that says what to change."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Min

from safeguard.casework.models import CINEpisode
from safeguard.frontdoor.models import Contact
from safeguard.performance.measures import Window


def first_record_date() -> dt.date | None:
    """The earliest referral or contact: before it there is nothing to measure."""
    dates = [
        CINEpisode.objects.aggregate(first=Min("referral_date"))["first"],
        Contact.objects.aggregate(first=Min("received_on"))["first"],
    ]
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def window_check(
    *, start: dt.date, end: dt.date, snapshot: dt.date | None, today: dt.date, population: int | None = None
) -> Window:
    """The window, or a ``ValidationError`` keyed by the field to change."""
    errors: dict[str, str] = {}
    if end < start:
        errors["period_end"] = f"The period must end on or after it starts ({_day(start)})"
    if start > today:
        errors["period_start"] = (
            f"The period starts in the future: choose a start on or before today ({_day(today)})"
        )
    elif end > today:
        errors["period_end"] = (
            f"The period ends in the future: choose an end on or before today ({_day(today)})"
        )
    if snapshot is not None:
        first = first_record_date()
        if snapshot > today:
            errors["snapshot"] = (
                f"The snapshot date is in the future: choose today ({_day(today)}) or earlier"
            )
        elif first is None:
            errors["snapshot"] = "There are no records yet, so there is nothing to take a snapshot of"
        elif snapshot < first:
            errors["snapshot"] = (
                f"The snapshot date is before the first record ({_day(first)}): choose a later date"
            )
    if errors:
        raise ValidationError(errors)
    return Window.of(start, end, snapshot, population=population)
