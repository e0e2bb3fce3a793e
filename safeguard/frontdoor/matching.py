"""How closely a person already known fits the child described in a contact: a score out of
100 made of points for each detail, with the reason for every point shown beside it.

The points are weights of evidence. A detail earns more the rarer an accidental agreement
is among a million people and the less often it is typed wrong or goes out of date:

==================  ======  =============================================================
Detail              Points  When
==================  ======  =============================================================
Date of birth           35  the same date (about 1 child in 6,500 shares any one date)
                        15  nearly the same: day and month swapped, one slip in the day,
                            or the same day and month in another year
                       -15  both known and neither of those
Last name               25  the same as the last name or any other name on record
                        18  sounds the same (metaphone), or one part of a double name
                        15  spelt similarly (Jaro-Winkler similarity 0.88 or more)
First name              20  the same as the first, preferred or any other name on record
                        17  a usual short form of it (Alfie for Alfred, Kate for Katherine)
                        15  sounds the same
                        12  spelt similarly
                         8  only an initial was given, and it is the same
Postcode                15  the same as a current address
                         8  the same as a previous address (families move)
NHS number             +40  the same (and the score is then at least 90: the number's
                            check digit catches almost every typing slip)
                       -40  both known and different: almost certainly two children
==================  ======  =============================================================

So a child whose first name, last name, date of birth and postcode all agree scores 95,
with the same NHS number 100; a child sharing only a last name scores 25. The bands say
what a score means to the person deciding (``BANDS``), and the candidates shown are those
scoring ``MATCH_MIN_SCORE`` or more. Names are compared case-blind and with accents kept
(Zoë and Zoe are spelt similarly, not the same).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

import jellyfish
from rapidfuzz.distance import JaroWinkler

DOB_SAME: Final = 35
DOB_CLOSE: Final = 15
DOB_DIFFERENT: Final = -15
LAST_SAME: Final = 25
LAST_SOUNDS: Final = 18
LAST_SIMILAR: Final = 15
FIRST_SAME: Final = 20
FIRST_SHORT_FORM: Final = 17
FIRST_SOUNDS: Final = 15
FIRST_SIMILAR: Final = 12
FIRST_INITIAL: Final = 8
POSTCODE_CURRENT: Final = 15
POSTCODE_PREVIOUS: Final = 8
NHS_SAME: Final = 40
NHS_SAME_FLOOR: Final = 90
NHS_DIFFERENT: Final = -40
SIMILAR_AT: Final = 0.88

MATCH_MIN_SCORE: Final = 25

# (lowest score, words): what a score means, highest band first.
BANDS: Final = (
    (90, "Very likely the same child"),
    (70, "Likely the same child"),
    (45, "Possibly the same child"),
    (0, "Unlikely to be the same child"),
)

# Usual short forms of first names, each group one name. Referrers often know a child by
# the name the family uses, not the one on the record.
_SHORT_FORMS: Final = (
    "alexander alex alfie alfred",
    "alexandra alex lexi",
    "abigail abbie abby",
    "amelia millie",
    "benjamin ben benji",
    "catherine katherine kate katie kath cathy kathryn",
    "charles charlie chaz",
    "charlotte lottie charlie",
    "christopher chris kit",
    "daniel dan danny",
    "david dave davey",
    "edward ed eddie ted teddy",
    "eleanor ellie nell nora",
    "elizabeth liz lizzie beth betty eliza libby",
    "emily em emmy",
    "frederick fred freddie",
    "gabriel gabe",
    "harold harry",
    "henry harry hal",
    "isabella isabel isabelle bella izzy",
    "jacob jake",
    "james jim jimmy jamie",
    "jessica jess jessie",
    "john jack johnny",
    "jonathan jon jonny",
    "joseph joe joey",
    "joshua josh",
    "margaret maggie meg peggy",
    "matthew matt",
    "michael mike mikey mick",
    "nathaniel nathan nate",
    "nicholas nick nicky",
    "oliver ollie",
    "patrick paddy pat",
    "rebecca becky becca",
    "richard rich rick ricky dick",
    "robert rob bob bobby robbie",
    "samantha sam sammy",
    "samuel sam sammy",
    "sophia sophie",
    "stephen steven steve",
    "theodore theo ted teddy",
    "thomas tom tommy",
    "victoria vicky tori",
    "william will bill billy liam",
    "zachary zach zack",
)
_SHORT_FORM_GROUPS: Final[dict[str, frozenset[int]]] = {}
for _number, _group in enumerate(_SHORT_FORMS):
    for _name in _group.split():
        _SHORT_FORM_GROUPS[_name] = _SHORT_FORM_GROUPS.get(_name, frozenset()) | {_number}


@dataclass(frozen=True)
class Typed:
    """The child as the contact describes them."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: dt.date | None = None
    postcode: str = ""
    nhs_number: str = ""


@dataclass(frozen=True)
class Known:
    """A person already on record, with every name and postcode they have had."""

    given_names: tuple[str, ...] = ()
    family_names: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    current_postcodes: frozenset[str] = frozenset()
    previous_postcodes: frozenset[str] = frozenset()
    nhs_number: str = ""


@dataclass(frozen=True)
class Evidence:
    reason: str
    points: int


@dataclass
class Score:
    score: int
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [e.reason for e in self.evidence]

    @property
    def band(self) -> str:
        return band(self.score)


def band(score: int) -> str:
    return next(words for lowest, words in BANDS if score >= lowest)


def score(typed: Typed, known: Known) -> Score:
    """Points for each detail that agrees (or clearly disagrees), between 0 and 100."""
    evidence = [
        e
        for e in (
            _nhs_number(typed.nhs_number, known.nhs_number),
            _date_of_birth(typed.date_of_birth, known.date_of_birth),
            _last_name(typed.family_name, known.family_names),
            _first_name(typed.given_name, known.given_names),
            _postcode(typed.postcode, known),
        )
        if e is not None
    ]
    total = sum(e.points for e in evidence)
    if any(e.points == NHS_SAME for e in evidence):
        total = max(total, NHS_SAME_FLOOR)
    return Score(score=max(0, min(total, 100)), evidence=evidence)


def _nhs_number(typed: str, known: str) -> Evidence | None:
    if not typed or not known:
        return None
    if typed == known:
        return Evidence("Same NHS number", NHS_SAME)
    return Evidence("Different NHS number", NHS_DIFFERENT)


def _date_of_birth(typed: dt.date | None, known: dt.date | None) -> Evidence | None:
    if typed is None or known is None:
        return None
    if typed == known:
        return Evidence("Same date of birth", DOB_SAME)
    if (typed.day, typed.month) == (known.month, known.day) and typed.year == known.year:
        return Evidence("Date of birth with day and month swapped", DOB_CLOSE)
    if (typed.year, typed.month) == (known.year, known.month) and _one_slip(typed.day, known.day):
        return Evidence("Date of birth one slip away", DOB_CLOSE)
    if (typed.month, typed.day) == (known.month, known.day):
        return Evidence("Same birthday in another year", DOB_CLOSE)
    return Evidence("Different date of birth", DOB_DIFFERENT)


def _one_slip(typed: int, known: int) -> bool:
    """One digit of the day typed wrong or the two swapped: 13 for 31, 12 for 13."""
    a, b = f"{typed:02d}", f"{known:02d}"
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1 or a == b[::-1]


def _fold(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").casefold().split())


def _parts(name: str) -> set[str]:
    return {part for part in name.replace("-", " ").split() if len(part) > 1}


def _last_name(typed: str, known: Iterable[str]) -> Evidence | None:
    typed = _fold(typed)
    names = [_fold(n) for n in known if n.strip()]
    if not typed or not names:
        return None
    if typed in names:
        return Evidence("Same last name", LAST_SAME)
    if any(_parts(typed) & _parts(n) for n in names):
        return Evidence("Part of a double last name is the same", LAST_SOUNDS)
    if any(_sounds_alike(typed, n) for n in names):
        return Evidence("Last name sounds the same", LAST_SOUNDS)
    if any(JaroWinkler.similarity(typed, n) >= SIMILAR_AT for n in names):
        return Evidence("Last name spelt similarly", LAST_SIMILAR)
    return None


def _first_name(typed: str, known: Iterable[str]) -> Evidence | None:
    typed = _fold(typed).rstrip(".")
    names = [_fold(n) for n in known if n.strip()]
    if not typed or not names:
        return None
    if typed in names:
        return Evidence("Same first name", FIRST_SAME)
    if len(typed) == 1:
        if any(n.startswith(typed) for n in names):
            return Evidence("Same first initial", FIRST_INITIAL)
        return None
    groups = _SHORT_FORM_GROUPS.get(typed, frozenset())
    if any(groups & _SHORT_FORM_GROUPS.get(n, frozenset()) for n in names):
        return Evidence("First name is a usual short form of the same name", FIRST_SHORT_FORM)
    if any(_sounds_alike(typed, n) for n in names):
        return Evidence("First name sounds the same", FIRST_SOUNDS)
    if any(JaroWinkler.similarity(typed, n) >= SIMILAR_AT for n in names):
        return Evidence("First name spelt similarly", FIRST_SIMILAR)
    return None


def first_name_forms(name: str) -> set[str]:
    """``name`` and its usual short or long forms (Alfie: Alfie, Alex, Alexander, Alfred)."""
    folded = _fold(name)
    groups = _SHORT_FORM_GROUPS.get(folded, frozenset())
    return {folded} | {n for n, g in _SHORT_FORM_GROUPS.items() if g & groups}


def _sounds_alike(a: str, b: str) -> bool:
    return bool(a) and jellyfish.metaphone(a) == jellyfish.metaphone(b)


def _postcode(typed: str, known: Known) -> Evidence | None:
    if not typed:
        return None
    if typed in known.current_postcodes:
        return Evidence("Same postcode", POSTCODE_CURRENT)
    if typed in known.previous_postcodes:
        return Evidence("Postcode of a previous address", POSTCODE_PREVIOUS)
    return None
