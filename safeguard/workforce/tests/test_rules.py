"""The rules, worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.workforce.rules import (
    asye_protected_limit,
    clawback_ends,
    months_served,
    pounds,
    repayable_pence,
    supervision_interval_days,
    swe_number_error,
    weighted_caseload,
)

D = dt.date


@pytest.mark.parametrize("number", ["SW123456", "sw 123456", "SW1", "SW1234567", ""])
def test_registration_numbers_in_the_right_format_are_accepted(number):
    assert swe_number_error(number) is None


@pytest.mark.parametrize("number", ["123456", "SW", "SX123456", "SW12345678", "SW12A456", "W123456"])
def test_registration_numbers_in_the_wrong_format_are_refused_with_the_format(number):
    assert "SW and then up to 7 digits" in (swe_number_error(number) or "")


def test_months_served_counts_whole_months_to_the_end_of_the_last_day():
    assert months_served(D(2025, 4, 1), D(2026, 3, 31)) == 12
    assert months_served(D(2025, 4, 1), D(2026, 3, 30)) == 11
    assert months_served(D(2025, 4, 1), D(2025, 4, 1)) == 0
    assert months_served(D(2025, 4, 1), D(2025, 9, 30)) == 6
    # 31 January plus one month is 28 February, so the first month ends on 27 February.
    assert months_served(D(2025, 1, 31), D(2025, 2, 26)) == 0
    assert months_served(D(2025, 1, 31), D(2025, 2, 27)) == 1


def test_the_clawback_period_ends_the_day_before_the_anniversary():
    assert clawback_ends(D(2025, 4, 1), 12) == D(2026, 3, 31)
    assert clawback_ends(D(2025, 4, 1), 24) == D(2027, 3, 31)


FULL = {"clawback_months": 24, "rule": "full", "start": D(2025, 4, 1)}
PRO_RATA = {"clawback_months": 12, "rule": "pro_rata", "start": D(2025, 4, 1)}


def test_full_scheme_a_leaver_inside_the_period_repays_everything_paid():
    # £2,500 paid on starting, the second £2,500 not yet due: all of the £2,500 comes back.
    assert repayable_pence(paid_pence=250_000, last_day=D(2025, 8, 31), **FULL) == 250_000
    # Both instalments paid, leaving the day before the period's last day.
    assert repayable_pence(paid_pence=500_000, last_day=D(2027, 3, 30), **FULL) == 500_000


def test_full_scheme_a_leaver_on_the_last_day_of_the_period_repays_nothing():
    assert repayable_pence(paid_pence=500_000, last_day=D(2027, 3, 31), **FULL) == 0
    assert repayable_pence(paid_pence=500_000, last_day=D(2027, 6, 30), **FULL) == 0


def test_pro_rata_scheme_repays_the_unserved_months_share_in_whole_pence():
    # 6 of 12 months served: half of £5,000.
    assert repayable_pence(paid_pence=500_000, last_day=D(2025, 9, 30), **PRO_RATA) == 250_000
    # Last day 15 January: 9 whole months (to 1 January), 3 unserved: £1,250.
    assert repayable_pence(paid_pence=500_000, last_day=D(2026, 1, 15), **PRO_RATA) == 125_000
    # 11 months served: 500,000 x 1 / 12 = 41,666.67 pence, rounded down to 41,666.
    assert repayable_pence(paid_pence=500_000, last_day=D(2026, 3, 30), **PRO_RATA) == 41_666
    # Leaving in the first month: nothing served, everything back.
    assert repayable_pence(paid_pence=500_000, last_day=D(2025, 4, 20), **PRO_RATA) == 500_000


def test_pro_rata_scheme_a_leaver_on_the_last_day_of_the_period_repays_nothing():
    assert repayable_pence(paid_pence=500_000, last_day=D(2026, 3, 31), **PRO_RATA) == 0


def test_nothing_paid_means_nothing_to_repay():
    assert repayable_pence(paid_pence=0, last_day=D(2025, 5, 1), **FULL) == 0


@given(
    paid=st.integers(min_value=0, max_value=5_000_000),
    months=st.integers(min_value=1, max_value=36),
    days=st.integers(min_value=0, max_value=1200),
)
def test_pro_rata_never_repays_more_than_full_nor_more_than_paid(paid, months, days):
    start = D(2025, 4, 1)
    last = start + dt.timedelta(days=days)
    pro = repayable_pence(
        paid_pence=paid, start=start, last_day=last, clawback_months=months, rule="pro_rata"
    )
    full = repayable_pence(paid_pence=paid, start=start, last_day=last, clawback_months=months, rule="full")
    assert isinstance(pro, int)
    assert 0 <= pro <= full <= paid


def test_the_protected_caseload_rises_over_the_year():
    start = D(2025, 9, 1)
    assert asye_protected_limit(start, D(2025, 9, 1)) == 8
    assert asye_protected_limit(start, D(2025, 11, 30)) == 8
    assert asye_protected_limit(start, D(2025, 12, 1)) == 10
    assert asye_protected_limit(start, D(2026, 3, 1)) == 12
    assert asye_protected_limit(start, D(2026, 6, 1)) == 14
    assert asye_protected_limit(start, D(2026, 9, 1)) is None


def test_protected_limits_come_from_settings(settings):
    settings.WORKFORCE_ASYE_CASELOAD_LIMITS = ((0, 5), (6, 9))
    assert asye_protected_limit(D(2025, 9, 1), D(2025, 10, 1)) == 5
    assert asye_protected_limit(D(2025, 9, 1), D(2026, 3, 1)) == 9


def test_supervision_weekly_for_six_weeks_then_fortnightly_then_monthly():
    start = D(2025, 9, 1)
    assert supervision_interval_days(asye_start=start, on=D(2025, 10, 12)) == 7
    assert supervision_interval_days(asye_start=start, on=D(2025, 10, 13)) == 14
    assert supervision_interval_days(asye_start=start, on=D(2026, 9, 1)) == 28
    assert supervision_interval_days(asye_start=None, on=D(2025, 10, 1)) == 28


def test_a_child_protection_case_weighs_more(settings):
    assert weighted_caseload({"cp_plan": 4, "other": 10}) == Decimal("16.0")
    settings.WORKFORCE_CASE_WEIGHTS = {"cp_plan": 2}
    assert weighted_caseload({"cp_plan": 4, "other": 10}) == Decimal("18")


def test_pounds():
    assert pounds(500_000) == "£5,000.00"
    assert pounds(41_666) == "£416.66"
