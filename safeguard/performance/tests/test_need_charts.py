"""The need analysis's charts: the words they say come from the figures."""

from __future__ import annotations

import datetime as dt

from safeguard.core.calendar import add_calendar_months
from safeguard.performance import need_charts
from safeguard.performance.need import MonthRow
from safeguard.performance.need_forecast import Backtest, Forecast, forecast_series


def _months(n: int, start: dt.date = dt.date(2023, 1, 1)) -> list[dt.date]:
    return [add_calendar_months(start, i) for i in range(n)]


def _short(months: int) -> Forecast:
    return forecast_series("Referrals", _months(months), [10] * months)


def test_a_short_history_is_drawn_without_a_forecast_and_says_why() -> None:
    chart = need_charts.forecast_chart(_short(5))
    assert chart is not None
    assert chart.title == "Referrals by month"
    assert chart.head == ["Month", "Referrals recorded"]
    assert "A forecast needs at least 24" in chart.summary
    assert need_charts.backtest_chart(_short(5)) is None
    assert need_charts.forecast_chart(_short(0)) is None


def test_the_forecast_chart_joins_the_forecast_to_the_last_month_and_shades_both_intervals() -> None:
    shape = [9, 10, 12, 11, 10, 8, 6, 5, 11, 13, 12, 9]
    forecast = forecast_series("Referrals", _months(36), shape * 3)
    chart = need_charts.forecast_chart(forecast, history_months=24)
    assert chart is not None
    assert chart.title == "Referrals by month, with a forecast"
    assert len(chart.rows) == 36  # 24 recorded and 12 forecast
    assert chart.rows[23][1] == chart.rows[23][2] == "9"  # the forecast line starts where the record ends
    assert chart.rows[24][1] == "Still to come"  # not "fewer than 5"
    assert chart.head[3:] == [
        "95% interval: lower",
        "95% interval: upper",
        "80% interval: lower",
        "80% interval: upper",
    ]
    assert "The forecast for the next 12 months totals" in chart.summary
    assert "for Dec 2026 it is" in chart.summary


def test_the_backtest_chart_says_which_method_did_better() -> None:
    months = _months(12, dt.date(2026, 1, 1))
    base = {"name": "Contacts", "history_months": [], "history": [], "months": [], "mean": [], "lower_80": [],
            "upper_80": [], "lower_95": [], "upper_95": []}  # fmt: skip
    better = Forecast(**base, backtest=Backtest(months, [100] * 12, [98.0] * 12, [80.0] * 12, 2.0, 20.0))
    worse = Forecast(**base, backtest=Backtest(months, [100] * 12, [70.0] * 12, [99.0] * 12, 30.0, 1.0))
    better_chart = need_charts.backtest_chart(better)
    worse_chart = need_charts.backtest_chart(worse)
    assert better_chart is not None and worse_chart is not None
    assert better_chart.summary.endswith("The forecast did better than repeating the year before.")
    assert "out by 2.0% on average" in better_chart.summary and "was out by 20.0%" in better_chart.summary
    assert worse_chart.summary.endswith("treat the forecast with caution.")


def test_the_seasons_chart_has_a_line_per_year_and_hides_small_months() -> None:
    rows = [
        MonthRow(month, 0, referrals=20 + month.month, school_referrals=3 if month.month == 8 else 12)
        for month in _months(18, dt.date(2025, 1, 1))
    ]
    chart = need_charts.seasons_chart(rows)
    assert chart.head == ["Month", "2025", "2026"]
    assert chart.rows[0] == ["Jan", "21", "21"]
    assert chart.rows[11] == ["Dec", "32", "No data"]  # 2026 stops in June
    assert "in 2025 highest in Dec (32), lowest in Jan (21)" in chart.summary
    schools = need_charts.seasons_chart(rows, schools=True)
    assert schools.rows[7] == ["Aug", "Fewer than 5", "No data"]
    assert schools.title == "Referrals from schools and education services by month of the year"
