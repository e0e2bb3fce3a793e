"""A 12-month forecast of contacts and referrals, and how far to trust it.

The method is exponential smoothing with a damped additive trend and additive monthly
seasonality (ETS(A,Ad,A), ``statsmodels``' ``ETSModel``), fitted by maximum likelihood;
its 80% and 95% prediction intervals are the model's own. The starting states are set
by the usual heuristic from the first two years. It needs at least 24 whole
months of history (two of each calendar month) to learn the seasons: with fewer, the page
says so and shows no forecast.

To show whether to trust it, the same method is fitted again without the last 12 months
and its forecast of those months compared with what happened (the backtest), beside the
simplest forecast there is: each month the same as a year before (seasonal naive). The
error is the mean absolute percentage error (MAPE) over those 12 months. The backtest
needs 36 months (24 to fit, 12 to test).

Only whole months are used: the month in progress is left out, and so is the first month
with any record of the series (the records may start part way through it).

Results are cached by the series they were worked out from, so a forecast is fitted once
for each new month of figures, not on every page view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache

from safeguard.core.calendar import add_calendar_months

SEASON = 12
HORIZON = 12
MIN_MONTHS_TO_FORECAST = 2 * SEASON
MIN_MONTHS_TO_BACKTEST = MIN_MONTHS_TO_FORECAST + HORIZON
METHOD = "Exponential smoothing (ETS) with a damped trend and monthly seasons"
CACHE_SECONDS = 7 * 24 * 3600
_CACHE_VERSION = "need-forecast-1"


@dataclass(frozen=True)
class Backtest:
    months: list[dt.date]
    actual: list[int]
    predicted: list[float]
    seasonal_naive: list[float]
    mape: float | None
    seasonal_naive_mape: float | None

    @property
    def beats_seasonal_naive(self) -> bool | None:
        if self.mape is None or self.seasonal_naive_mape is None:
            return None
        return self.mape < self.seasonal_naive_mape


@dataclass(frozen=True)
class Forecast:
    """History and forecast of one monthly series; ``unavailable`` says why there is none."""

    name: str
    history_months: list[dt.date]
    history: list[int]
    months: list[dt.date]
    mean: list[float]
    lower_80: list[float]
    upper_80: list[float]
    lower_95: list[float]
    upper_95: list[float]
    backtest: Backtest | None
    unavailable: str = ""
    backtest_unavailable: str = ""
    method: str = METHOD

    @property
    def available(self) -> bool:
        return not self.unavailable


def mape(actual: Sequence[float], predicted: Sequence[float]) -> float | None:
    """Mean absolute percentage error, over the months whose actual figure is not zero."""
    terms = [abs(a - p) / abs(a) for a, p in zip(actual, predicted, strict=True) if a]
    if not terms:
        return None
    return round(sum(terms) / len(terms) * 100, 1)


def seasonal_naive(history: Sequence[float], horizon: int = HORIZON) -> list[float]:
    """Each month forecast as the same month a year earlier."""
    if len(history) < SEASON:
        raise ValueError("A seasonal naive forecast needs a year of history.")
    last_year = list(history[-SEASON:])
    return [float(last_year[i % SEASON]) for i in range(horizon)]


def whole_months(
    months: Sequence[dt.date], counts: Sequence[int], *, today: dt.date
) -> tuple[list[dt.date], list[int]]:
    """The series from the month after its first non-zero month (which may be part of a
    month) to the last month before ``today``'s (which is still going on)."""
    pairs = [(m, c) for m, c in zip(months, counts, strict=True) if m < today.replace(day=1)]
    first = next((i for i, (_m, c) in enumerate(pairs) if c), len(pairs))
    kept = pairs[first + 1 :]
    return [m for m, _c in kept], [c for _m, c in kept]


@dataclass(frozen=True)
class _Fitted:
    mean: list[float]
    lower_80: list[float]
    upper_80: list[float]
    lower_95: list[float]
    upper_95: list[float]


def _fit_and_forecast(start: dt.date, values: Sequence[int], horizon: int) -> _Fitted:
    # statsmodels is imported here: it is slow to import and only this needs it.
    import pandas as pd  # type: ignore[import-untyped]
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # type: ignore[import-untyped]

    index = pd.date_range(start, periods=len(values), freq="MS")
    series = pd.Series([float(v) for v in values], index=index)
    with warnings.catch_warnings():
        # Convergence and frequency notices are about the optimiser, not the figures.
        warnings.simplefilter("ignore")
        model = ETSModel(
            series,
            error="add",
            trend="add",
            damped_trend=True,
            seasonal="add",
            seasonal_periods=SEASON,
            # The starting level, trend and seasons from the first two years (Hyndman and
            # others' heuristic) rather than fitted: ten times quicker, and as good here.
            initialization_method="heuristic",
        )
        fitted = model.fit(disp=False)
        prediction = fitted.get_prediction(start=len(values), end=len(values) + horizon - 1)
        frame_80 = prediction.summary_frame(alpha=0.2)
        frame_95 = prediction.summary_frame(alpha=0.05)

    def column(frame: pd.DataFrame, name: str, *, floor: bool = True) -> list[float]:
        out = [float(v) for v in frame[name]]
        out = [v if math.isfinite(v) else 0.0 for v in out]
        return [round(max(v, 0.0) if floor else v, 1) for v in out]

    return _Fitted(
        mean=column(frame_80, "mean"),
        lower_80=column(frame_80, "pi_lower"),
        upper_80=column(frame_80, "pi_upper"),
        lower_95=column(frame_95, "pi_lower"),
        upper_95=column(frame_95, "pi_upper"),
    )


def forecast_series(
    name: str, months: Sequence[dt.date], counts: Sequence[int], *, horizon: int = HORIZON
) -> Forecast:
    """Forecast the ``horizon`` months after ``months`` (whole calendar months, in order,
    none missing), with the backtest when there is history enough."""
    months, counts = list(months), [int(c) for c in counts]
    future = [add_calendar_months(months[-1], i + 1) for i in range(horizon)] if months else []
    empty: list[float] = []
    if len(months) < MIN_MONTHS_TO_FORECAST:
        return Forecast(
            name=name,
            history_months=months,
            history=counts,
            months=[],
            mean=empty,
            lower_80=empty,
            upper_80=empty,
            lower_95=empty,
            upper_95=empty,
            backtest=None,
            unavailable=(
                f"There are {len(months)} whole months of {name.lower()} on record. A forecast "
                f"needs at least {MIN_MONTHS_TO_FORECAST} (two of each month, to learn the seasons), "
                "so none is shown yet."
            ),
        )
    fitted = _fit_and_forecast(months[0], counts, horizon)
    backtest: Backtest | None = None
    backtest_unavailable = ""
    if len(months) >= MIN_MONTHS_TO_BACKTEST:
        train, test = counts[:-HORIZON], counts[-HORIZON:]
        held_out = _fit_and_forecast(months[0], train, HORIZON)
        naive = seasonal_naive(train)
        backtest = Backtest(
            months=months[-HORIZON:],
            actual=test,
            predicted=held_out.mean,
            seasonal_naive=naive,
            mape=mape(test, held_out.mean),
            seasonal_naive_mape=mape(test, naive),
        )
    else:
        backtest_unavailable = (
            f"The backtest needs {MIN_MONTHS_TO_BACKTEST} whole months ({MIN_MONTHS_TO_FORECAST} to fit "
            f"and 12 to test); there are {len(months)}."
        )
    return Forecast(
        name=name,
        history_months=months,
        history=counts,
        months=future,
        mean=fitted.mean,
        lower_80=fitted.lower_80,
        upper_80=fitted.upper_80,
        lower_95=fitted.lower_95,
        upper_95=fitted.upper_95,
        backtest=backtest,
        backtest_unavailable=backtest_unavailable,
    )


def _cache_key(name: str, months: Sequence[dt.date], counts: Sequence[int]) -> str:
    payload = json.dumps([name, months[0].isoformat() if months else "", list(counts)])
    return f"{_CACHE_VERSION}:{hashlib.sha256(payload.encode()).hexdigest()}"


def cached_forecast(name: str, months: Sequence[dt.date], counts: Sequence[int]) -> Forecast:
    """:func:`forecast_series`, remembered for as long as the series it came from is the same."""
    key = _cache_key(name, months, counts)
    stored = cache.get(key)
    if isinstance(stored, Forecast):
        return stored
    result = forecast_series(name, months, counts)
    cache.set(key, result, CACHE_SECONDS)
    return result
