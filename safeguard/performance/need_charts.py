"""The charts of the need analysis, for its page and its PDF, from the figures alone."""

from __future__ import annotations

from collections.abc import Sequence

from safeguard.performance import charts
from safeguard.performance.charts import Band, Chart, Series, format_number, month_label
from safeguard.performance.need import FEWER_THAN_5, Breakdown, CountRow, MonthRow, shown
from safeguard.performance.need_forecast import Forecast

SEASON_YEARS = 4
FACTORS_SHOWN = 12


def _shown_all(values: Sequence[int]) -> list[int | None]:
    return [shown(v) for v in values]


def forecast_chart(forecast: Forecast, *, history_months: int = 36) -> Chart | None:
    """What was recorded each month and the forecast after it, shaded by its intervals
    (``None`` when there is not yet a whole month to show)."""
    past = forecast.history_months[-history_months:]
    if not past:
        return None
    recorded = forecast.history[-history_months:]
    labels = [month_label(m) for m in [*past, *forecast.months]]
    future = len(forecast.months)
    name = forecast.name
    series = [Series(f"{name} recorded", [*_shown_all(recorded), *[None] * future])]
    bands: list[Band] = []
    if forecast.available:
        # the forecast line starts from the last month recorded, so the two join
        series.append(Series(f"{name} forecast", [*[None] * (len(past) - 1), recorded[-1], *forecast.mean]))
        blank = [None] * len(past)
        bands = [
            Band("95% interval", [*blank, *forecast.lower_95], [*blank, *forecast.upper_95]),
            Band("80% interval", [*blank, *forecast.lower_80], [*blank, *forecast.upper_80]),
        ]
    summary = charts.trend_summary(f"{name} recorded", labels[: len(past)], recorded)
    if forecast.available:
        last = labels[-1]
        summary += (
            f" The forecast for the next 12 months totals {format_number(round(sum(forecast.mean)))}; "
            f"for {last} it is {format_number(forecast.mean[-1], decimals=0)} "
            f"(80% interval {format_number(forecast.lower_80[-1], decimals=0)} to "
            f"{format_number(forecast.upper_80[-1], decimals=0)}, 95% interval "
            f"{format_number(forecast.lower_95[-1], decimals=0)} to "
            f"{format_number(forecast.upper_95[-1], decimals=0)})."
        )
    else:
        summary += " " + forecast.unavailable
    return charts.line_chart(
        title=f"{name} by month, with a forecast" if forecast.available else f"{name} by month",
        labels=labels,
        series=series,
        bands=bands,
        caption=(
            f"{name} each month for the last {len(past)} months and the forecast for the next 12, "
            "with its 80% and 95% intervals"
            if forecast.available
            else f"{name} each month for the last {len(past)} months"
        ),
        summary=summary,
        y_label=name,
        divider_at=len(past) if forecast.available else None,
        divider_label="Forecast",
        missing=FEWER_THAN_5,
        decimals=0,
    )


def backtest_chart(forecast: Forecast) -> Chart | None:
    """The last 12 months as recorded, as the method forecast them without knowing them,
    and as the same months of the year before."""
    backtest = forecast.backtest
    if backtest is None:
        return None
    labels = [month_label(m) for m in backtest.months]
    model = "not known" if backtest.mape is None else f"{backtest.mape}%"
    naive = "not known" if backtest.seasonal_naive_mape is None else f"{backtest.seasonal_naive_mape}%"
    if backtest.beats_seasonal_naive is None:
        verdict = "There were too few figures to compare the two."
    elif backtest.beats_seasonal_naive:
        verdict = "The forecast did better than repeating the year before."
    else:
        verdict = "Repeating the year before did as well or better: treat the forecast with caution."
    return charts.line_chart(
        title=f"{forecast.name}: how the forecast did over the last 12 months",
        labels=labels,
        series=[
            Series("Recorded", _shown_all(backtest.actual)),
            Series("Forecast made without these months", backtest.predicted),
            Series("Same month the year before", backtest.seasonal_naive),
        ],
        caption=f"{forecast.name} in the last 12 months: recorded, forecast and the year before",
        summary=(
            f"Fitted without the last 12 months, the forecast was out by {model} on average "
            f"(mean absolute percentage error); repeating the year before was out by {naive}. {verdict}"
        ),
        missing=FEWER_THAN_5,
        decimals=0,
    )


def seasons_chart(months: Sequence[MonthRow], *, schools: bool = False) -> Chart:
    """Referrals (or those from schools and education services) in each calendar month,
    a line per year, so that the seasons (school terms) show."""
    years = sorted({m.month.year for m in months})[-SEASON_YEARS:]
    by_month = {
        (m.month.year, m.month.month): (m.school_referrals if schools else m.referrals) for m in months
    }
    series = [
        Series(
            str(year),
            [shown(by_month[(year, month)]) if (year, month) in by_month else None for month in range(1, 13)],
        )
        for year in years
    ]
    what = "Referrals from schools and education services" if schools else "Referrals"
    if not series:
        series = [Series(what, [None] * 12)]
    peaks = []
    for s in series:
        values = [(v, i) for i, v in enumerate(s.values) if v is not None]
        if len(values) >= 6:
            high, low = max(values), min(values)
            peaks.append(
                f"in {s.name} highest in {charts.MONTHS[high[1]]} ({high[0]:,}), "
                f"lowest in {charts.MONTHS[low[1]]} ({low[0]:,})"
            )
    summary = f"{what} by calendar month: " + (
        "; ".join(peaks) + "." if peaks else "not enough months to compare yet."
    )
    return charts.line_chart(
        title=f"{what} by month of the year",
        labels=list(charts.MONTHS),
        series=series,
        caption=f"{what} in each month, a line for each year",
        summary=summary,
        missing=FEWER_THAN_5,
        decimals=0,
    )


def breakdown_chart(breakdown: Breakdown) -> Chart:
    series = [Series("Referrals", [r.referrals for r in breakdown.rows])]
    if breakdown.has_contacts:
        series.append(Series("Contacts", [r.contacts for r in breakdown.rows]))
    what = "Contacts and referrals" if breakdown.has_contacts else "Referrals"
    return charts.bar_chart(
        title=f"{what} {breakdown.title.lower()}",
        labels=[r.label for r in breakdown.rows] or ["No referrals"],
        series=series if breakdown.rows else [Series(s.name, [None]) for s in series],
        caption=f"{what} {breakdown.title.lower()}",
        missing=FEWER_THAN_5,
        label_header=breakdown.label_header,
    )


def counts_chart(
    title: str, rows: Sequence[CountRow], *, label_header: str, limit: int | None = None
) -> Chart:
    rows = list(rows)[:limit] if limit else list(rows)
    return charts.bar_chart(
        title=title,
        labels=[r.label for r in rows] or ["None recorded"],
        series=[Series("Count", [r.count for r in rows] or [None])],
        caption=title,
        missing=FEWER_THAN_5,
        label_header=label_header,
    )


def factors_chart(rows: Sequence[CountRow]) -> Chart:
    return counts_chart(
        f"The {FACTORS_SHOWN} factors most often identified at assessment",
        rows,
        label_header="Factor",
        limit=FACTORS_SHOWN,
    )
