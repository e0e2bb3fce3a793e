"""Tests for safeguard.core.calendar (counting rule in /work/shared/domain/timescales.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.core.calendar import (
    add_calendar_months,
    add_working_days,
    bank_holidays,
    is_within_working_days,
    is_working_day,
    last_working_day_on_or_before,
    working_days_between,
)

# Holiday lookups are cached per year, so the first example that touches a year is slower
# than the rest; a deadline would make that flaky.
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)

DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
SPAN_DAYS = st.integers(min_value=0, max_value=6 * 366)
COUNTS = st.integers(min_value=0, max_value=400)


# --- naive reference implementation, day by day, straight from the rule ---------------

# Read the package directly rather than through the module under test, so the reference
# does not share its caching or weekend filtering.
ENGLAND_AND_WALES = holidays.country_holidays("GB", subdiv="ENG", years=range(2010, 2045))


def naive_is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in ENGLAND_AND_WALES


def naive_working_days_between(start: date, end: date) -> int:
    if end < start:
        return -naive_working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        count += naive_is_working_day(day)
    return count


def naive_add_working_days(start: date, n: int) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if naive_is_working_day(day):
            n -= 1
    return day


# --- worked examples from timescales.md -------------------------------------------------


def test_referral_on_friday_before_christmas_is_due_monday() -> None:
    referral = date(2026, 12, 18)
    assert referral.weekday() == 4
    assert add_working_days(referral, 1) == date(2026, 12, 21)


def test_icpc_after_christmas_strategy_discussion() -> None:
    strategy_discussion = date(2026, 12, 23)
    due = add_working_days(strategy_discussion, 15)
    assert due == date(2027, 1, 18)
    assert due.weekday() == 0
    assert working_days_between(strategy_discussion, due) == 15
    for skipped in (date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)):
        assert not is_working_day(skipped)


def test_on_time_is_on_or_before_the_due_day() -> None:
    start = date(2026, 12, 23)
    assert is_within_working_days(start, date(2027, 1, 18), 15)
    assert not is_within_working_days(start, date(2027, 1, 19), 15)
    assert is_within_working_days(start, start, 0)
    assert not is_within_working_days(start, date(2026, 12, 24), 0)


# --- day zero and argument checks -------------------------------------------------------


def test_zero_working_days_returns_start_even_at_weekend() -> None:
    saturday = date(2026, 12, 26)
    assert add_working_days(saturday, 0) == saturday
    assert working_days_between(saturday, saturday) == 0


def test_weekend_start_counts_from_that_day() -> None:
    # Saturday 4 Jan 2025: the first working day after it is Monday 6 Jan.
    assert add_working_days(date(2025, 1, 4), 1) == date(2025, 1, 6)
    assert working_days_between(date(2025, 1, 4), date(2025, 1, 6)) == 1


def test_negative_n_is_rejected() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 6), -1)


def test_datetime_is_rejected() -> None:
    with pytest.raises(TypeError):
        is_working_day(datetime(2025, 1, 6, 9, 0))
    with pytest.raises(TypeError):
        add_working_days(datetime(2025, 1, 6, 9, 0), 1)


def test_keyword_arguments() -> None:
    assert add_working_days(start=date(2025, 1, 6), n=5) == date(2025, 1, 13)
    assert working_days_between(start=date(2025, 1, 6), end=date(2025, 1, 13)) == 5
    assert is_working_day(day=date(2025, 1, 6))
    assert add_calendar_months(start=date(2025, 1, 31), months=1) == date(2025, 2, 28)
    assert is_within_working_days(start=date(2025, 1, 6), done=date(2025, 1, 7), n=1)


# --- bank holidays ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "holiday",
    [
        date(2025, 4, 18),  # Good Friday
        date(2025, 4, 21),  # Easter Monday
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
    ],
)
def test_easter(holiday: date) -> None:
    assert holiday in bank_holidays(holiday.year)
    assert not is_working_day(holiday)


def test_easter_2025_skipped() -> None:
    # Thursday 17 Apr 2025 + 1 working day jumps Good Friday, the weekend and Easter Monday.
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)


def test_boxing_day_2026_substitute_monday() -> None:
    assert date(2026, 12, 26).weekday() == 5
    assert date(2026, 12, 28) in bank_holidays(2026)
    assert not is_working_day(date(2026, 12, 28))
    # The nominal Saturday is not listed: GOV.UK lists only the substitute day.
    assert date(2026, 12, 26) not in bank_holidays(2026)


def test_christmas_2027_on_saturday_gives_two_substitute_days() -> None:
    assert date(2027, 12, 25).weekday() == 5
    holidays_2027 = bank_holidays(2027)
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= holidays_2027
    assert not is_working_day(date(2027, 12, 27))
    assert not is_working_day(date(2027, 12, 28))
    assert is_working_day(date(2027, 12, 29))
    assert add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)


@pytest.mark.parametrize(
    "one_off",
    [
        date(2022, 6, 3),  # Platinum Jubilee
        date(2022, 9, 19),  # State Funeral of Queen Elizabeth II
        date(2023, 5, 8),  # Coronation of King Charles III
    ],
)
def test_one_off_days(one_off: date) -> None:
    assert one_off in bank_holidays(one_off.year)
    assert not is_working_day(one_off)


def test_spring_bank_holiday_2022_moved_for_jubilee() -> None:
    assert date(2022, 6, 2) in bank_holidays(2022)
    assert date(2022, 5, 30) not in bank_holidays(2022)
    # Wednesday 1 June 2022 + 1 working day skips Thursday, Friday and the weekend.
    assert add_working_days(date(2022, 6, 1), 1) == date(2022, 6, 6)


def test_bank_holiday_counts() -> None:
    assert len(bank_holidays(2025)) == 8
    assert len(bank_holidays(2022)) == 10  # 8 regular days, jubilee, state funeral
    assert len(bank_holidays(2023)) == 9  # 8 regular days, coronation
    assert all(day.weekday() < 5 for year in range(2015, 2036) for day in bank_holidays(year))


def test_working_days_in_a_year() -> None:
    # 2025: 261 weekdays less 8 bank holidays.
    assert working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 253


# --- calendar months --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2025, 1, 15), 3, date(2025, 4, 15)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 10, 31), 2, date(2025, 12, 31)),
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 10), -1, date(2024, 12, 10)),
        (date(2025, 5, 20), 0, date(2025, 5, 20)),
    ],
)
def test_add_calendar_months(start: date, months: int, expected: date) -> None:
    assert add_calendar_months(start, months) == expected


# --- properties -------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(DAYS, COUNTS)
def test_round_trip(day: date, n: int) -> None:
    assert working_days_between(day, add_working_days(day, n)) == n


@PROPERTY_SETTINGS
@given(DAYS, st.integers(min_value=1, max_value=400))
def test_result_is_working_day(day: date, n: int) -> None:
    assert is_working_day(add_working_days(day, n))


@PROPERTY_SETTINGS
@given(DAYS, COUNTS)
def test_monotonic_in_n(day: date, n: int) -> None:
    assert add_working_days(day, n) < add_working_days(day, n + 1)


@PROPERTY_SETTINGS
@given(DAYS, DAYS)
def test_antisymmetric(first: date, second: date) -> None:
    assert working_days_between(first, second) == -working_days_between(second, first)


@PROPERTY_SETTINGS
@given(DAYS, SPAN_DAYS)
def test_between_agrees_with_naive(day: date, span: int) -> None:
    end = day + timedelta(days=span)
    assert working_days_between(day, end) == naive_working_days_between(day, end)
    assert working_days_between(end, day) == naive_working_days_between(end, day)


@PROPERTY_SETTINGS
@given(DAYS, COUNTS)
def test_add_agrees_with_naive(day: date, n: int) -> None:
    assert add_working_days(day, n) == naive_add_working_days(day, n)


@PROPERTY_SETTINGS
@given(DAYS)
def test_is_working_day_agrees_with_naive(day: date) -> None:
    assert is_working_day(day) == naive_is_working_day(day)


@PROPERTY_SETTINGS
@given(DAYS, COUNTS, DAYS)
def test_within_agrees_with_naive(start: date, n: int, done: date) -> None:
    assert is_within_working_days(start, done, n) == (done <= naive_add_working_days(start, n))


@PROPERTY_SETTINGS
@given(DAYS, st.integers(min_value=-120, max_value=120))
def test_calendar_months_keeps_day_or_clamps(day: date, months: int) -> None:
    result = add_calendar_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    if result.day != day.day:
        assert result.day < day.day
        assert (result + timedelta(days=1)).day == 1


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # A working day is its own answer: Friday 20 November 2026.
        (date(2026, 11, 20), date(2026, 11, 20)),
        # Sunday 28 February 2027 -> Friday 26 February 2027.
        (date(2027, 2, 28), date(2027, 2, 26)),
        # Christmas Day, Thursday 25 December 2025 -> Wednesday 24 December 2025.
        (date(2025, 12, 25), date(2025, 12, 24)),
        # Monday 28 December 2026, Boxing Day's substitute; Sun 27, Sat 26 and Fri 25
        # (Christmas Day) are not worked either -> Thursday 24 December 2026.
        (date(2026, 12, 28), date(2026, 12, 24)),
        # Easter Monday 6 April 2026; Good Friday 3 April -> Thursday 2 April 2026.
        (date(2026, 4, 6), date(2026, 4, 2)),
    ],
)
def test_last_working_day_on_or_before(day: date, expected: date) -> None:
    assert last_working_day_on_or_before(day) == expected


@PROPERTY_SETTINGS
@given(DAYS)
def test_last_working_day_is_a_working_day_with_none_skipped(day: date) -> None:
    result = last_working_day_on_or_before(day)
    assert result <= day and naive_is_working_day(result)
    assert not any(
        naive_is_working_day(result + timedelta(days=k)) for k in range(1, (day - result).days + 1)
    )
