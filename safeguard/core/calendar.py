"""Working-day calendar for England and Wales.

Every statutory timescale in the system is counted with this module (Working Together to
Safeguard Children 2023, ch.3, and /work/shared/domain/timescales.md):

* A working day is Monday to Friday, excluding the bank holidays of England and Wales,
  including substitute days and one-off days (jubilees, coronations, state funerals).
* "Within N working days of D" means on or before the N-th working day after D. D itself
  is day 0, whatever day it is, so a Saturday referral still counts from that Saturday.
* "Within N months" falls on the same day-of-month, or on the last day of a shorter month.

Bank holidays come from the maintained ``holidays`` package (GB, subdivision ENG), never
from a hand-written list, so a new one-off day arrives by upgrading that package. Open
clocks must then be recomputed, because due dates are stored when a clock starts.

All functions take ``datetime.date`` values that are already Europe/London dates. A
``datetime`` is rejected: its date depends on a time zone that this module cannot know.
"""

from __future__ import annotations

import bisect
import functools
from datetime import date, datetime, timedelta

import holidays

__all__ = [
    "add_calendar_months",
    "add_working_days",
    "bank_holidays",
    "is_within_working_days",
    "is_working_day",
    "last_working_day_on_or_before",
    "working_days_between",
]

# England and Wales share one bank-holiday list; the package calls the subdivision "ENG".
_COUNTRY = "GB"
_SUBDIVISION = "ENG"

_DAYS_PER_WEEK = 7
_WEEKDAYS_PER_WEEK = 5


def _require_date(value: date, name: str) -> None:
    # datetime subclasses date, so without this a UTC timestamp would silently be counted
    # as whatever calendar day it happens to carry.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date (a Europe/London date), got {value!r}")


@functools.cache
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """Sorted bank holidays of ``year`` that fall Monday to Friday.

    The package also lists the nominal date when it falls at a weekend (e.g. Boxing Day
    on Saturday 26 December 2026) next to the substitute day. Those weekend entries never
    change whether a day is worked, and GOV.UK does not list them, so they are dropped.
    """
    calendar = holidays.country_holidays(_COUNTRY, subdiv=_SUBDIVISION, years=year)
    return tuple(sorted(day for day in calendar if day.year == year and day.weekday() < 5))


@functools.cache
def _weekday_holiday_set(year: int) -> frozenset[date]:
    return frozenset(_weekday_holidays(year))


def bank_holidays(year: int) -> frozenset[date]:
    """Bank holidays in England and Wales in ``year`` that take a working day off.

    Substitute days are included and the weekend dates they replace are not, matching
    the GOV.UK list used by the DfE validators. One-off days (2022-06-03 Platinum
    Jubilee, 2022-09-19 State Funeral, 2023-05-08 Coronation) are included.
    """
    return _weekday_holiday_set(year)


def is_working_day(day: date) -> bool:
    """True if ``day`` is Monday to Friday and not a bank holiday in England and Wales.

    Definition of a working day for Working Together to Safeguard Children 2023, ch.3.
    """
    _require_date(day, "day")
    return day.weekday() < 5 and day not in _weekday_holiday_set(day.year)


def _weekdays_through(ordinal: int) -> int:
    """Number of Mondays-to-Fridays with proleptic ordinal 1..``ordinal``.

    Ordinal 1 (0001-01-01) is a Monday, so whole weeks contribute five each and the
    remainder contributes at most five.
    """
    weeks, rest = divmod(ordinal, _DAYS_PER_WEEK)
    return weeks * _WEEKDAYS_PER_WEEK + min(rest, _WEEKDAYS_PER_WEEK)


def _nth_weekday_ordinal(count: int) -> int:
    """Ordinal of the ``count``-th Monday-to-Friday day counted from 0001-01-01 (count >= 1).

    Inverse of ``_weekdays_through`` on weekdays.
    """
    weeks, rest = divmod(count - 1, _WEEKDAYS_PER_WEEK)
    return weeks * _DAYS_PER_WEEK + rest + 1


def _holidays_after_through(start: date, end: date) -> int:
    """Number of weekday bank holidays in the half-open span (start, end], start <= end."""
    total = 0
    for year in range(start.year, end.year + 1):
        days = _weekday_holidays(year)
        # For years wholly inside the span both bisects clip to the ends of the tuple, so
        # each year costs two binary searches rather than a scan.
        total += bisect.bisect_right(days, end) - bisect.bisect_right(days, start)
    return total


def _add_weekdays(start: date, n: int) -> date:
    """The ``n``-th Monday-to-Friday day after ``start`` (n >= 1), ignoring holidays."""
    target = _weekdays_through(start.toordinal()) + n
    return date.fromordinal(_nth_weekday_ordinal(target))


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start``: the due date of "within n working days".

    Counting rule (Working Together to Safeguard Children 2023, ch.3; timescales.md):
    ``start`` is day 0 whatever day it is, so ``n == 0`` returns ``start`` unchanged even
    at a weekend. A referral on Friday 18 December 2026 with a 1-working-day decision is
    due on Monday 21 December 2026.

    Raises ValueError if ``n`` is negative.
    """
    _require_date(start, "start")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    current, remaining = start, n
    # Jump over weekends by arithmetic, then extend by one weekday per bank holiday we
    # jumped over; the loop ends after a jump that crosses no holiday, which leaves us on
    # a working day with exactly n working days behind us.
    while remaining > 0:
        jumped_to = _add_weekdays(current, remaining)
        remaining = _holidays_after_through(current, jumped_to)
        current = jumped_to
    return current


def working_days_between(start: date, end: date) -> int:
    """Number of working days after ``start`` up to and including ``end``.

    Same counting rule as ``add_working_days`` (WT2023 ch.3: ``start`` is day 0), so
    ``working_days_between(d, add_working_days(d, n)) == n`` for every ``d`` and
    ``n >= 0``. The result is 0 when the dates are equal and negative (antisymmetric)
    when ``end`` is before ``start``.
    """
    _require_date(start, "start")
    _require_date(end, "end")
    if end < start:
        return -working_days_between(end, start)
    weekdays = _weekdays_through(end.toordinal()) - _weekdays_through(start.toordinal())
    return weekdays - _holidays_after_through(start, end)


def is_within_working_days(start: date, done: date, n: int) -> bool:
    """True if ``done`` is on or before the ``n``-th working day after ``start``.

    This is the on-time test of "within n working days of start" (WT2023 ch.3). A task
    done before its clock started counts as on time.
    """
    _require_date(done, "done")
    return done <= add_working_days(start, n)


def _last_day_of_month(year: int, month: int) -> int:
    # Avoids the stdlib ``calendar`` module, whose name this module shares.
    next_month_start = date(year + month // 12, month % 12 + 1, 1)
    return (next_month_start - timedelta(days=1)).day


def add_calendar_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` calendar months (negative moves back).

    Used for the 3-month first review and 6-month subsequent reviews (WT2023 ch.3, child
    protection review conference): the same day-of-month, or the last day of the month
    when it is shorter, so 31 January + 1 month is 28 February (29 in a leap year).
    """
    _require_date(start, "start")
    year, month_index = divmod(start.year * 12 + (start.month - 1) + months, 12)
    month = month_index + 1
    return date(year, month, min(start.day, _last_day_of_month(year, month)))


def last_working_day_on_or_before(day: date) -> date:
    """``day`` if it is a working day, else the last working day before it.

    A month-based due date (a review "within 3 months") that falls on a weekend or a bank
    holiday is shown as the last working day before it: the meeting cannot be held on the
    day itself, and moving it later would let it run past the statutory interval.
    """
    _require_date(day, "day")
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
