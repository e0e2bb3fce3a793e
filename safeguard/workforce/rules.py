"""The workforce's rules as plain functions: registration numbers, repayment of incentives,
the newly qualified year's protected caseload and supervision, and case weights.

The configurable parts are read from settings when set (``WORKFORCE_ASYE_CASELOAD_LIMITS``,
``WORKFORCE_SUPERVISION``, ``WORKFORCE_CASE_WEIGHTS``) and otherwise take the defaults here.

**Repayment.** A scheme's clawback period starts on the award's start date and lasts
``clawback_months`` calendar months: with a 12-month period from 1 April 2025 the period
runs to 31 March 2026 inclusive. ``end_date`` is a leaver's *last day* of employment, so a
leaver whose last day is 31 March 2026 has served the whole period and repays nothing; one
whose last day is 30 March 2026 has served 11 whole months. Under a ``full`` rule a leaver
inside the period repays everything paid so far; under ``pro_rata`` they repay what was
paid times the unserved whole months over the period's months, rounded down to the penny
(integer arithmetic only: never a float).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Final

from django.conf import settings

from safeguard.core.calendar import add_calendar_months

# Social Work England registration numbers are "SW" and then digits (SW followed by up to
# seven digits, e.g. SW123456).
SWE_NUMBER: Final = re.compile(r"^SW\d{1,7}$")


def normalise_swe_number(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def swe_number_error(value: str) -> str | None:
    """Why ``value`` is not a registration number (None if it is one, or is empty)."""
    number = normalise_swe_number(value)
    if not number:
        return None
    if not SWE_NUMBER.match(number):
        return (
            "Enter a Social Work England registration number in the right format: SW and then "
            "up to 7 digits, like SW123456"
        )
    return None


def months_served(start: dt.date, last_day: dt.date) -> int:
    """Whole calendar months from ``start`` to the end of ``last_day`` (0 if none)."""
    day_after = last_day + dt.timedelta(days=1)
    months = (day_after.year - start.year) * 12 + (day_after.month - start.month)
    while months > 0 and add_calendar_months(start, months) > day_after:
        months -= 1
    return max(months, 0)


def clawback_ends(start: dt.date, clawback_months: int) -> dt.date:
    """The last day of the clawback period."""
    return add_calendar_months(start, clawback_months) - dt.timedelta(days=1)


def repayable_pence(
    *, paid_pence: int, start: dt.date, last_day: dt.date, clawback_months: int, rule: str
) -> int:
    """What a leaver repays under a scheme's rule (see the module docstring)."""
    if paid_pence <= 0 or clawback_months <= 0 or last_day >= clawback_ends(start, clawback_months):
        return 0
    if last_day < start:
        return paid_pence
    if rule == "full":
        return paid_pence
    served = min(months_served(start, last_day), clawback_months)
    return paid_pence * (clawback_months - served) // clawback_months


# -- The newly qualified year.

# (from month of the year, most weighted cases): lower at the start, rising over the year.
DEFAULT_ASYE_CASELOAD_LIMITS: Final = ((0, 8), (3, 10), (6, 12), (9, 14))
# (first N weeks, every N days), then every N days: weekly for six weeks, then fortnightly.
DEFAULT_SUPERVISION: Final = {
    "asye_first_weeks": 6,
    "asye_first_days": 7,
    "asye_then_days": 14,
    "other_days": 28,
}
# The weight of one child by the kind of case; a child protection plan is heavier.
DEFAULT_CASE_WEIGHTS: Final = {"cp_plan": Decimal("1.5"), "cin_plan": Decimal("1"), "other": Decimal("1")}


def asye_caseload_limits() -> tuple[tuple[int, int], ...]:
    return tuple(getattr(settings, "WORKFORCE_ASYE_CASELOAD_LIMITS", DEFAULT_ASYE_CASELOAD_LIMITS))


def supervision_config() -> dict[str, int]:
    return dict(DEFAULT_SUPERVISION) | dict(getattr(settings, "WORKFORCE_SUPERVISION", {}))


def case_weights() -> dict[str, Decimal]:
    return dict(DEFAULT_CASE_WEIGHTS) | {
        k: Decimal(str(v)) for k, v in getattr(settings, "WORKFORCE_CASE_WEIGHTS", {}).items()
    }


def asye_protected_limit(asye_start: dt.date, on: dt.date) -> int | None:
    """The protected caseload on ``on`` for a worker whose ASYE began ``asye_start`` (None
    once the year is over)."""
    if on < asye_start:
        on = asye_start
    month = months_served(asye_start, on - dt.timedelta(days=1)) if on > asye_start else 0
    if month >= 12:
        return None
    limit = asye_caseload_limits()[0][1]
    for from_month, most in asye_caseload_limits():
        if month >= from_month:
            limit = most
    return limit


def supervision_interval_days(*, asye_start: dt.date | None, on: dt.date) -> int:
    """How many days may pass between supervisions on ``on``."""
    config = supervision_config()
    if asye_start is None or on >= add_calendar_months(asye_start, 12):
        return config["other_days"]
    if on < asye_start + dt.timedelta(weeks=config["asye_first_weeks"]):
        return config["asye_first_days"]
    return config["asye_then_days"]


def weighted_caseload(by_kind: dict[str, int]) -> Decimal:
    """Children by kind of case (``cp_plan``, ``cin_plan``, ``other``), weighted."""
    weights = case_weights()
    return sum((weights.get(kind, weights["other"]) * count for kind, count in by_kind.items()), Decimal(0))


def pounds(pence: int) -> str:
    """Whole pence as money words: 500000 -> '£5,000.00'."""
    sign = "-" if pence < 0 else ""
    pounds_part, pence_part = divmod(abs(pence), 100)
    return f"{sign}£{pounds_part:,}.{pence_part:02d}"
