"""The headline figures on the home page: a few measures of the registry, for the DfE year
to date, in the words and formats the home page has always shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.performance.measures import Figure, Window, compute_all


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    england: str
    note: str = ""


def reporting_year_start(today: dt.date) -> dt.date:
    """The DfE year runs from 1 April to 31 March."""
    year = today.year if today.month >= 4 else today.year - 1
    return dt.date(year, 4, 1)


NO_DATA = "No data yet"


def _percent(figure: Figure) -> str:
    return NO_DATA if figure.value is None else f"{figure.value:.1f}%"


def _whole(figure: Figure) -> str:
    return NO_DATA if figure.value is None else f"{figure.value:.0f}"


def headline_figures(*, today: dt.date, child_population: int) -> list[Headline]:
    """Headline measures on screen, from the measures registry for the year to ``today``
    (sealed children left out, as in every figure on screen)."""
    start = reporting_year_start(today)
    window = Window.of(start, today, today, population=child_population)
    f = {figure.id: figure for figure in compute_all(window=window)}
    since = f"since {start.day} {start:%B %Y}"
    median = f["assessment_median"]
    return [
        Headline("Referrals", f"{f['referrals'].numerator or 0:,}", "632,830 in 2024-25", since),
        Headline("Re-referrals within 12 months", _percent(f["re_referrals"]), "22.6%", since),
        Headline(
            "Assessments within 45 working days",
            _percent(f["assessments_45"]),
            "85.7%",
            f"{f['assessments_45'].denominator or 0:,} authorised {since}",
        ),
        Headline(
            "Median assessment duration",
            NO_DATA if median.value is None else f"{median.value:.0f} working days",
            "33 working days",
        ),
        Headline(
            "Initial conferences within 15 working days",
            _percent(f["icpc_15"]),
            "81.4%",
            f"{f['icpc_15'].denominator or 0:,} conferences {since}",
        ),
        Headline("Children in need per 10,000", _whole(f["cin_rate"]), "about 333", "today"),
        Headline("Child protection plans per 10,000", _whole(f["cp_rate"]), "about 41", "today"),
    ]
