"""The forecast and its backtest, on synthetic series whose answers are known."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from safeguard.core.calendar import add_calendar_months
from safeguard.performance import need_forecast
from safeguard.performance.need_forecast import (
    cached_forecast,
    forecast_series,
    mape,
    seasonal_naive,
    whole_months,
)

SHAPE = [100, 110, 120, 115, 105, 90, 80, 85, 110, 125, 120, 100]  # a year of months


def _months(n: int, start: dt.date = dt.date(2022, 1, 1)) -> list[dt.date]:
    return [add_calendar_months(start, i) for i in range(n)]


def test_mape_by_hand_and_months_of_zero_are_left_out() -> None:
    assert mape([100, 200], [110, 180]) == 10.0  # (10% + 10%) / 2
    assert mape([0, 50], [5, 40]) == 20.0  # only the second month counts
    assert mape([0], [3]) is None


def test_seasonal_naive_repeats_last_year() -> None:
    history = list(range(1, 25))
    assert seasonal_naive(history) == [float(v) for v in range(13, 25)]
    assert seasonal_naive(history, 14)[12:] == [13.0, 14.0]
    with pytest.raises(ValueError, match="a year of history"):
        seasonal_naive([1, 2, 3])


def test_whole_months_leave_out_the_first_and_the_month_in_progress() -> None:
    months = _months(4, dt.date(2026, 9, 1))
    assert whole_months(months, [5, 6, 7, 8], today=dt.date(2026, 12, 3)) == (months[1:3], [6, 7])
    # months before the series' first record are not history of it
    assert whole_months(months, [0, 4, 0, 8], today=dt.date(2027, 1, 3)) == (months[2:], [0, 8])
    assert whole_months(months, [0, 0, 0, 0], today=dt.date(2027, 1, 3)) == ([], [])


def test_under_24_months_says_plainly_there_is_no_forecast() -> None:
    result = forecast_series("Referrals", _months(23), (SHAPE + SHAPE)[:23])
    assert not result.available
    assert result.unavailable == (
        "There are 23 whole months of referrals on record. A forecast needs at least 24 "
        "(two of each month, to learn the seasons), so none is shown yet."
    )
    assert result.months == [] and result.backtest is None


def test_a_repeating_season_is_forecast_and_the_backtest_knows_the_naive_error() -> None:
    # Three years of the same shape, the third 10% up on the second: a seasonal naive
    # forecast of the third year is 1/1.1 of each month, so its MAPE is 1/11 = 9.1%.
    history = SHAPE + SHAPE + [round(v * 1.1) for v in SHAPE]
    result = forecast_series("Contacts", _months(36), history)
    assert result.available
    assert result.months[0] == dt.date(2025, 1, 1) and len(result.months) == 12
    backtest = result.backtest
    assert backtest is not None
    assert backtest.months == _months(12, dt.date(2024, 1, 1))
    assert backtest.seasonal_naive == [float(v) for v in SHAPE]
    expected = mape([round(v * 1.1) for v in SHAPE], SHAPE)
    assert expected is not None and abs(expected - 9.1) < 0.3  # rounding of the counts
    assert backtest.seasonal_naive_mape == expected
    # Fitted on two identical years, the model has learnt the shape: its backtest error is
    # about the same as the naive one (both miss the 10% rise), and not wildly off.
    assert backtest.mape is not None and backtest.mape < 15
    # The forecast follows the season: its highest month is October, its lowest July.
    assert result.mean.index(max(result.mean)) == 9
    assert result.mean.index(min(result.mean)) == 6
    for low95, low80, mean, high80, high95 in zip(
        result.lower_95, result.lower_80, result.mean, result.upper_80, result.upper_95, strict=True
    ):
        assert 0 <= low95 <= low80 <= mean <= high80 <= high95


def test_a_noisy_series_gets_wider_intervals_further_ahead() -> None:
    noise = [3, -5, 8, -2, 0, 6, -7, 4, -3, 5, -6, 2]
    history = [v + noise[(i * 5) % 12] + i for i, v in enumerate(SHAPE * 4)]
    result = forecast_series("Referrals", _months(48), history)
    width = [high - low for low, high in zip(result.lower_95, result.upper_95, strict=True)]
    assert width[-1] > width[0]
    assert result.backtest is not None and result.backtest.mape is not None
    assert result.backtest.mape < 10


def test_between_24_and_36_months_there_is_a_forecast_but_no_backtest() -> None:
    result = forecast_series("Referrals", _months(30), (SHAPE * 3)[:30])
    assert result.available and result.backtest is None
    assert (
        result.backtest_unavailable
        == "The backtest needs 36 whole months (24 to fit and 12 to test); there are 30."
    )


def test_the_forecast_is_cached_by_its_series(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    calls: list[int] = []
    real = need_forecast.forecast_series

    def counting(name: str, months: list[dt.date], counts: list[int]) -> need_forecast.Forecast:
        calls.append(len(counts))
        return real(name, months, counts)

    monkeypatch.setattr(need_forecast, "forecast_series", counting)
    history = SHAPE * 2
    first = cached_forecast("Referrals", _months(24), history)
    again = cached_forecast("Referrals", _months(24), history)
    assert again == first and calls == [24]
    cached_forecast("Referrals", _months(24), [*history[:-1], 999])  # a month corrected: fitted anew
    assert calls == [24, 24]
