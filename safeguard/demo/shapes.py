"""The shapes the fictional council's data follows, and small samplers for them.

The figures come from /work/shared/domain/kpis.md ("Shapes for a realistic fictional
council") and codes.md: England 2025 shapes, good enough to make pages look real, not
benchmarks. Where kpis.md gives no figure the value is a plausible local one, marked
"local". Keeping every number here, named, makes the generator's flow readable and lets
the tests check the data against the same constants.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final


class WeightedChoice:
    """Draws one value with the given relative weights, in O(log n) per draw.

    ``random.choices`` rebuilds the cumulative weights on every call; the generator draws
    millions of times, so the table is built once.
    """

    __slots__ = ("_cumulative", "_total", "_values")

    def __init__(self, weights: Sequence[tuple[str, float]]) -> None:
        self._values = tuple(value for value, _ in weights)
        self._cumulative = tuple(itertools.accumulate(weight for _, weight in weights))
        self._total = self._cumulative[-1]

    def draw(self, rng: random.Random) -> str:
        return self._values[bisect.bisect_right(self._cumulative, rng.random() * self._total)]

    @property
    def values(self) -> tuple[str, ...]:
        return self._values


@dataclass(frozen=True, slots=True)
class QuantileCurve:
    """A distribution given by points of its inverse CDF, linearly interpolated.

    Lets us state a published median and quartiles directly (kpis.md gives the median,
    quartiles and share within the timescale) instead of tuning a parametric family.
    """

    points: tuple[tuple[float, float], ...]

    def draw(self, rng: random.Random) -> int:
        u = rng.random()
        probabilities = [p for p, _ in self.points]
        i = max(1, bisect.bisect_right(probabilities, u))
        (p0, v0), (p1, v1) = self.points[i - 1], self.points[i]
        return round(v0 + (v1 - v0) * (u - p0) / (p1 - p0))


# --- Size -----------------------------------------------------------------------------

# Every generated child has at least one referral in the history. In the data this makes
# (five years ending today) one child known to the service stands for about 8 children
# in the council's population aged 0-17: at that ratio the referral rate (England about
# 527 per 10,000 a year), children in need (333) and children on plans (41) all come out
# at England's figures at once, which test_benchmark_band checks. So a council of 80,000
# children (the COUNCIL_CHILD_POPULATION default, kpis.md) is 10,000 children known. The
# ratio was measured for DEFAULT_YEARS of history; a shorter history puts the same
# referrals into fewer children, so rates at another length are only approximate.
CHILD_POPULATION_PER_CHILD_KNOWN: Final = 8


def children_known_for(child_population: int) -> int:
    """How many children to generate for a council of ``child_population`` children."""
    return max(1, round(child_population / CHILD_POPULATION_PER_CHILD_KNOWN))


def child_population_for(children_known: int) -> int:
    """The child population a generated council of ``children_known`` children stands for."""
    return children_known * CHILD_POPULATION_PER_CHILD_KNOWN


# --- Children -------------------------------------------------------------------------

# Ethnicity of children in need in an English metropolitan borough (local): about two
# thirds White British, then Pakistani, other White, Indian, Black African, mixed.
ETHNICITY: Final = WeightedChoice(
    [
        ("WBRI", 65.0),
        ("APKN", 7.0),
        ("WOTH", 4.5),
        ("AIND", 3.5),
        ("BAFR", 3.5),
        ("MWBC", 3.0),
        ("MOTH", 2.0),
        ("MWAS", 1.5),
        ("ABAN", 1.5),
        ("BCRB", 1.5),
        ("MWBA", 1.0),
        ("AOTH", 1.0),
        ("OOTH", 1.0),
        ("WIRI", 0.6),
        ("WROM", 0.6),
        ("BOTH", 0.5),
        ("CHNE", 0.3),
        ("WIRT", 0.2),
        ("REFU", 0.2),
        ("NOBT", 1.0),
    ]
)

# Age today of children known to the service (local, after the CIN census age profile:
# about 6% under 1, 17% 1-4, 26% 5-9, 38% 10-15, 13% 16-17): (youngest, oldest, weight).
# One child per family is drawn from these weights and siblings are spaced around them,
# which pulls ages towards the middle, so the ends are drawn a little heavier.
AGE_BANDS: Final[tuple[tuple[int, int, float], ...]] = (
    (0, 0, 8.5),
    (1, 4, 16.0),
    (5, 9, 22.0),
    (10, 15, 35.0),
    (16, 17, 18.5),
)
UNBORN_HOUSEHOLD_SHARE: Final = 0.015  # households expecting a baby (pre-birth work)
UNBORN_MAX_DAYS_AHEAD: Final = 150  # expected dates of birth in the next 5 months

CHILDREN_PER_HOUSEHOLD: Final = WeightedChoice([("1", 42.0), ("2", 30.0), ("3", 18.0), ("4", 10.0)])
NHS_NUMBER_SHARE: Final = 0.90
UPN_SHARE_OF_SCHOOL_AGE: Final = 0.85
SCHOOL_AGE: Final = 5
# Why a school-age child has no UPN (codes.md UPNunknown; UN7 is only for NFA referrals).
UPN_UNKNOWN_SCHOOL_AGE: Final = WeightedChoice(
    [("UN4", 45.0), ("UN2", 25.0), ("UN3", 20.0), ("UN5", 10.0)],
)
DISABILITY_SHARE: Final = 0.08
DISABILITY: Final = WeightedChoice(
    [
        ("AUT", 30.0),
        ("LD", 22.0),
        ("COMM", 14.0),
        ("BEH", 10.0),
        ("MOB", 6.0),
        ("PC", 4.0),
        ("HEAR", 4.0),
        ("VIS", 3.0),
        ("HAND", 2.0),
        ("INC", 2.0),
        ("CON", 1.0),
        ("DDA", 2.0),
    ]
)
CHILD_FORMER_NAME_SHARE: Final = 0.03
MOTHER_BIRTH_NAME_SHARE: Final = 0.12

# --- Households -----------------------------------------------------------------------

MOTHER_PRESENT: Final = 0.90  # otherwise father alone (most) or a grandparent carer
FATHER_ALONE_IF_NO_MOTHER: Final = 0.6
SECOND_ADULT: Final = WeightedChoice([("father", 40.0), ("partner", 20.0), ("none", 40.0)])
NON_RESIDENT_FATHER_RECORDED: Final = 0.35
PARTNERS_OWN_CHILD: Final = 0.35  # the youngest is the partner's child: half-siblings
MOTHER_KEEPS_OWN_SURNAME: Final = 0.30
HIDDEN_ADDRESS_HOUSEHOLD_SHARE: Final = 0.03  # e.g. a parent who fled domestic abuse
PREVIOUS_ADDRESS_HOUSEHOLD_SHARE: Final = 0.15
ALLEGED_PERPETRATOR_SHARE_OF_CP_HOUSEHOLDS: Final = 0.20

# --- Referrals and episodes (kpis.md) -------------------------------------------------

EPISODES_PER_CHILD: Final = WeightedChoice([("1", 50.0), ("2", 32.0), ("3", 13.0), ("4", 5.0)])
# Gap between an episode's closure and the next referral: short gaps make re-referrals
# within 12 months (England 22.6%).
SHORT_GAP_SHARE: Final = 0.85
SHORT_GAP_DAYS: Final = (7, 150)
LONG_GAP_DAYS: Final = (200, 1100)

# Referral source (codes.md; police ~28% and schools ~21% overall [V], health ~15%,
# LA services ~14%, individuals ~8%). Children under five cannot be referred by a school
# or school nurse, so the two tables differ and together give the England mix.
REFERRAL_SOURCE_UNDER_FIVE: Final = WeightedChoice(
    [
        ("6", 31.0),
        ("2B", 2.0),
        ("3A", 4.5),
        ("3B", 9.0),
        ("3D", 3.5),
        ("3E", 3.5),
        ("3F", 5.5),
        ("5A", 4.0),
        ("5B", 3.5),
        ("5C", 3.5),
        ("5D", 4.0),
        ("1A", 6.0),
        ("1B", 1.5),
        ("1C", 0.0),
        ("1D", 1.5),
        ("7", 4.0),
        ("4", 3.0),
        ("8", 8.0),
        ("9", 1.5),
        ("10", 0.5),
    ]
)
REFERRAL_SOURCE_SCHOOL_AGE: Final = WeightedChoice(
    [
        ("6", 27.0),
        ("2A", 33.0),
        ("2B", 1.5),
        ("3A", 1.5),
        ("3C", 1.5),
        ("3D", 1.5),
        ("3E", 2.0),
        ("3F", 2.5),
        ("5A", 3.5),
        ("5B", 3.5),
        ("5C", 3.0),
        ("5D", 3.0),
        ("1A", 4.5),
        ("1B", 1.0),
        ("1C", 1.0),
        ("1D", 1.0),
        ("7", 3.0),
        ("4", 1.5),
        ("8", 3.5),
        ("9", 1.0),
        ("10", 0.5),
    ]
)
PRIMARY_NEED: Final = WeightedChoice(
    [
        ("N1", 58.0),
        ("N5", 13.0),
        ("N4", 10.0),
        ("N2", 6.0),
        ("N3", 4.0),
        ("N8", 4.0),
        ("N6", 3.0),
        ("N9", 2.0),
        ("N7", 1.0),
        ("N0", 1.0),
    ]
)
PRIMARY_NEED_DISABLED_CHILD_N2: Final = 0.40
REFERRAL_NFA_SHARE: Final = 0.065  # England 6.5% [V]
WEEKEND_REFERRAL_KEPT: Final = 0.3  # police referrals may be dated at a weekend

# --- Assessments ----------------------------------------------------------------------

# Working days from the referral to the start of the assessment (local).
ASSESSMENT_START_DELAY: Final = WeightedChoice(
    [
        ("0", 55.0),
        ("1", 20.0),
        ("2", 9.0),
        ("3", 6.0),
        ("4", 3.0),
        ("5", 2.0),
        ("7", 3.0),
        ("10", 2.0),
    ]
)
# Working days from start to authorisation: median 33, quartiles 17 and 43, about 86%
# within 45 [V].
ASSESSMENT_WORKING_DAYS: Final = QuantileCurve(
    (
        (0.0, 1.0),
        (0.10, 8.0),
        (0.25, 17.0),
        (0.50, 33.0),
        (0.75, 43.0),
        (0.855, 45.4),
        (0.95, 58.0),
        (1.0, 90.0),
    )
)
# Working days an assessment waits between the worker sending it and the manager's
# sign-off (local): assessments in that gap today are on the manager's list to authorise.
SUBMITTED_BEFORE_AUTHORISED_WORKING_DAYS: Final = (1, 5)
# Outcome of an authorised assessment when no child protection conference decided it:
# about 31% of assessed children are found not in need [V].
ASSESSMENT_OUTCOME: Final = WeightedChoice(
    [("nfa", 41.0), ("early_help", 10.0), ("services", 49.0)],
)
NO_FACTORS_SHARE_OF_NFA: Final = 0.4
FACTOR_COUNT: Final = WeightedChoice([("1", 30.0), ("2", 35.0), ("3", 22.0), ("4", 13.0)])


@dataclass(frozen=True, slots=True)
class Factor:
    code: str
    weight: float
    min_age: int = 0
    girls_only: bool = False

    def suits(self, age: int, girl: bool) -> bool:
        return age >= self.min_age and (girl or not self.girls_only)


# Factors identified at assessment (codes.md), weighted so that domestic abuse, parental
# mental health, neglect and parental substance misuse dominate, as in England. Codes
# about the child's own behaviour only for children old enough.
FACTORS: Final[tuple[Factor, ...]] = (
    Factor("3B", 30.0),
    Factor("4B", 24.0),
    Factor("16A", 20.0),
    Factor("17A", 18.0),
    Factor("2B", 12.0),
    Factor("3A", 12.0),
    Factor("1B", 9.0),
    Factor("18C", 9.0),
    Factor("4A", 10.0, min_age=8),
    Factor("3C", 5.0),
    Factor("4C", 2.0),
    Factor("2C", 2.0),
    Factor("1C", 2.0),
    Factor("5B", 3.0),
    Factor("6B", 3.0),
    Factor("5A", 4.0),
    Factor("6A", 3.0),
    Factor("7A", 2.0, min_age=8),
    Factor("10A", 5.0, min_age=11),
    Factor("11A", 4.0, min_age=11),
    Factor("13A", 2.0, min_age=11),
    Factor("14A", 4.0, min_age=10),
    Factor("15A", 6.0, min_age=10),
    Factor("24A", 4.0, min_age=11),
    Factor("18B", 2.0, min_age=5),
    Factor("19B", 1.5, min_age=5),
    Factor("19C", 2.5),
    Factor("1A", 2.0, min_age=11),
    Factor("2A", 3.0, min_age=11),
    Factor("20", 6.0),
    Factor("22A", 0.3, girls_only=True),
    Factor("23A", 0.3),
    Factor("12A", 0.3, min_age=10),
    Factor("9A", 0.5, min_age=14),
    Factor("8E", 0.3, min_age=10),
)
# A factor that goes with each category of abuse, always present on a plan's assessment.
FACTOR_FOR_CATEGORY: Final[dict[str, str]] = {
    "NEG": "16A",
    "EMO": "17A",
    "PHY": "18C",
    "SAB": "19C",
    "MUL": "16A",
}

# --- Section 47 and conferences -------------------------------------------------------

# About 36 section 47 enquiries per 100 referrals [V derived]; referrals that end in NFA
# never reach one, so the share among the others is 0.36 / 0.935.
SECTION_47_SHARE: Final = 0.35 / (1 - REFERRAL_NFA_SHARE)  # repeat referrals add the rest
SECTION_47_SHARE_AFTER_PLAN: Final = 0.85  # a child who had a plan is referred back
STRATEGY_WITHOUT_S47_SHARE: Final = 0.04
STRATEGY_DELAY: Final = WeightedChoice(
    [("0", 50.0), ("1", 30.0), ("2", 10.0), ("3", 6.0), ("5", 4.0)],
)
# About 31 ICPCs per 100 section 47s [V derived]; higher for a child with a past plan,
# but not so high that second plans pass kpis.md's 22-24% of new plans.
ICPC_SHARE: Final = 0.25
ICPC_SHARE_AFTER_PLAN: Final = 0.5
ICPC_NOT_REQUIRED_SHARE: Final = 0.14
# Working days from the strategy discussion to the ICPC: median 14, 81% within 15 [V].
ICPC_WORKING_DAYS: Final = QuantileCurve(
    (
        (0.0, 4.0),
        (0.10, 9.0),
        (0.25, 12.0),
        (0.50, 14.0),
        (0.80, 15.4),
        (0.90, 18.0),
        (0.97, 25.0),
        (1.0, 40.0),
    )
)
S47_CONCLUDED_WORKING_DAYS: Final = (5, 15)
PLAN_AFTER_ICPC_SHARE: Final = 0.85  # 85-90% of ICPCs lead to a plan
CATEGORY: Final = WeightedChoice(
    [("NEG", 50.0), ("EMO", 33.0), ("PHY", 7.0), ("SAB", 4.0), ("MUL", 6.0)],
)
LATEST_CATEGORY_CHANGED: Final = 0.12
# Plan length at ending [V]: 16% up to 3 months, 25% 1-2 years, 4.4% 2 years or more.
# Drawn at about that shape: England has 41 children on plans per 10,000 for 51.5 plans
# starting a year, so a plan lasts about 0.8 years on average; longer plans would put
# too many children on plans today (test_benchmark_band).
PLAN_LENGTH_DAYS: Final[tuple[tuple[int, int, float], ...]] = (
    (28, 89, 17.0),
    (95, 360, 53.0),
    (370, 725, 25.0),
    (735, 1000, 4.0),
)
STEP_DOWN_TO_CIN_PLAN: Final = 0.55
FIRST_REVIEW_LATE: Final = 0.03
LATER_REVIEW_LATE: Final = 0.07
PLAN_ENDS_AT_REVIEW: Final = 0.85

# --- Plans and closure ----------------------------------------------------------------

CIN_PLAN_START_DELAY_WORKING_DAYS: Final = (0, 10)
CIN_PLAN_DAYS: Final = (60, 540)
STEP_DOWN_PLAN_DAYS: Final = (60, 270)
CLOSURE_DELAY_WORKING_DAYS: Final = (0, 10)
# Reason when services end (codes.md); RC8 and RC9 come only from assessment outcomes.
CLOSURE_REASON_AFTER_SERVICES: Final = WeightedChoice(
    [("RC7", 88.0), ("RC5", 6.0), ("RC3", 2.5), ("RC4", 2.0), ("RC6", 1.0), ("RC1", 0.5)]
)

# --- Allocation -----------------------------------------------------------------------

# Recent work waits for allocation: the front door has not passed it on yet, or the team
# has it but no worker.
UNALLOCATED_RECENT_WORKING_DAYS: Final = 5
UNALLOCATED_SHARE_OF_RECENT: Final = 0.4
UNALLOCATED_SHARE_OF_NEW_PLANS: Final = 0.2
CIN_PLAN_HELD_BY_CP_TEAM: Final = 0.3
