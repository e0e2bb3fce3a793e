"""The demo council's figures fall within a stated band around England's published ones.

England's figures are /work/shared/domain/benchmarks.csv (DfE "Children in need" and
"Children's social work workforce" statistics, 2024-25); kpis.md defines each measure.
The figures are the product's own: ``england_comparison`` reads the home page's headline
figures (``performance.headlines.headline_figures``) and counts the rest the same way.

The council is smaller than ``make run``'s (10,000 children known for a population of
80,000) but proportionally identical: the generator's ratio of population to children
known (shapes.CHILD_POPULATION_PER_CHILD_KNOWN) is applied to it, so its rates per 10,000
are the same shape. Today is 31 March, so the DfE reporting year is a whole year.

Each band says why it is as wide as it is: mostly the sampling noise of a council this
size (a rate from n events wobbles by about 1/sqrt(n)), and for a few measures a known,
stated way in which the generator differs from England.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from safeguard.demo import shapes
from safeguard.demo.generator import DEFAULT_SEED, DEFAULT_YEARS, SeedOptions, generate
from safeguard.demo.measures import england_comparison
from safeguard.demo.tests.support import wipe_demo_data

CHILDREN = 3000
POPULATION = shapes.child_population_for(CHILDREN)
TODAY = dt.date(2025, 3, 31)
# England's children aged 0-17, implied by kpis.md: 632,830 referrals at about 527 per
# 10,000 (and 49,420 plans at about 41), about 12.0 million. Turns England's counts into
# rates per 10,000 that a council of any size can be set beside.
ENGLAND_CHILD_POPULATION = 12_010_000


def _per_10k(count: int) -> float:
    return count * 10_000 / ENGLAND_CHILD_POPULATION


@dataclass(frozen=True)
class Band:
    measure: str  # a key of england_comparison (benchmarks.csv id, or <id>_per_10k)
    england: float
    low: float
    high: float
    reason: str


def relative(measure: str, england: float, tolerance: float, reason: str) -> Band:
    return Band(measure, england, england * (1 - tolerance), england * (1 + tolerance), reason)


def points(measure: str, england: float, spread: float, reason: str) -> Band:
    return Band(measure, england, max(0.0, england - spread), england + spread, reason)


BANDS = (
    relative("referral_rate", 527, 0.15, "±15%: about 1,300 referrals in the year (noise about 3%)"),
    relative("cin_rate", 332.9, 0.15, "±15%: about 800 children in need today (noise about 4%)"),
    relative("cp_rate", 41, 0.25, "±25%: only about 100 children on plans today (noise about 10%)"),
    points("re_referrals", 22.6, 5, "±5 points: about 1,300 referrals (noise about 1.2 points)"),
    points("referral_nfa", 6.5, 3, "±3 points: about 1,300 referrals (noise about 0.7 points)"),
    points("assessments_45", 85.7, 6, "±6 points: about 1,200 assessments (noise about 1 point)"),
    points("assessment_median", 33, 4, "±4 working days around England's median of 33"),
    relative(
        "assessments_completed_per_10k",
        _per_10k(648_830),
        0.2,
        "±20%: the generator makes at most one assessment per referral, while England "
        "completes a few more assessments than it receives referrals (re-assessments in "
        "an open episode), so the demo reads about 10% low",
    ),
    points(
        "assessed_not_in_need",
        30.8,
        6,
        "±6 points: about 1,200 assessments, and the demo's not-in-need outcome is drawn "
        "for assessments with no conference decision only",
    ),
    relative("s47_per_10k", _per_10k(230_590), 0.2, "±20%: about 460 enquiries (noise about 5%)"),
    relative("icpc_per_10k", _per_10k(72_100), 0.25, "±25%: about 140 conferences (noise about 8%)"),
    points("icpc_15", 81.4, 10, "±10 points: about 140 conferences (noise about 3.3 points)"),
    points("icpc_median", 14, 3, "±3 working days around England's median of 14"),
    relative("cp_starts_per_10k", _per_10k(61_840), 0.25, "±25%: about 120 plans start (noise about 9%)"),
    Band(
        "cp_ends_per_10k",
        _per_10k(62_300),
        _per_10k(62_300) * 0.6,
        _per_10k(62_300) * 1.2,
        "-40% to +20%: about 90 plans end (noise about 10%), and they read low, at about "
        "four fifths of the plans that start: the generated history starts five years ago "
        "with nobody on a plan and its referrals build up over those years, so fewer plans "
        "are old enough to end than in England's steady state, where as many end as start",
    ),
    points(
        "cp_repeat",
        23,
        10,
        "±10 points around kpis.md's 22-24% [M]: about 120 new plans (noise about 4 points)",
    ),
    points(
        "cp_two_years",
        4.4,
        4.4,
        "0 to 8.8%: about 110 plans end, so England's 4.4% is about 5 plans (noise about 2 points)",
    ),
    relative(
        "caseload",
        15.2,
        0.2,
        "±20%: the generator hires case holders to about 15 cases each (organisation.py)",
    ),
    points(
        "agency_rate",
        13.0,
        10,
        "±10 points: about 50 case holders, so one agency worker moves it 2 points, and the "
        "demo's own case holders are never agency staff",
    ),
)

# benchmarks.csv measures the data cannot give, and why.
NOT_COMPUTED = {
    "social_workers_fte": "the demo has only the safeguarding teams (no looked-after children, "
    "fostering, adoption or disabled children's teams), so its headcount is a part of England's",
    "turnover": "the product keeps no record of leavers",
    "vacancy_rate": "the product keeps no record of vacancies",
    "absence": "the product keeps no record of sickness absence",
    "cp_plans_at_31_march": "a count for England; its rate is cp_rate",
}


@pytest.fixture(scope="module")
def figures(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, float]]:
    with django_db_blocker.unblock():
        generate(SeedOptions(children=CHILDREN, years=DEFAULT_YEARS, seed=DEFAULT_SEED, today=TODAY))
        yield england_comparison(TODAY, POPULATION)
        wipe_demo_data()


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("band", BANDS, ids=lambda band: band.measure)
def test_figure_within_band_around_england(figures: dict[str, float], band: Band) -> None:
    value = figures[band.measure]
    assert band.low <= value <= band.high, (
        f"{band.measure} is {value:.1f}, England {band.england:.1f}: outside "
        f"{band.low:.1f} to {band.high:.1f} ({band.reason})"
    )


def test_every_figure_the_data_gives_has_a_band(figures: dict[str, float]) -> None:
    assert set(figures) == {band.measure for band in BANDS}


def test_the_proportion_is_make_runs() -> None:
    # make run seeds the default council for the default 80,000 children.
    assert shapes.children_known_for(80_000) == 10_000
    assert POPULATION / CHILDREN == 80_000 / 10_000
