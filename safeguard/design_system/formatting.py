"""How dates and values read on a page (GOV.UK style: 5 January 2026, 2:30pm)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def govuk_date(value: dt.date | None, default: str = "Not recorded") -> str:
    if value is None:
        return default
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: dt.datetime | None, default: str = "Not recorded") -> str:
    if value is None:
        return default
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{govuk_date(local.date())} at {hour}{minutes}{suffix}"


def yes_no(value: bool | None) -> str:
    if value is None:
        return "Not recorded"
    return "Yes" if value else "No"
