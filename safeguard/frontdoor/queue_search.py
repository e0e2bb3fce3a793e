"""Reading the front door queue's one search box: a contact reference, a child's name, a
date of birth written in any of the usual ways, or a postcode, alone or together.

"Ruby Evans 3/4/2019", "3 April 2019", "hm27qt" and "k7m2 9xwq" all work: each part is
recognised by its shape and put into the form the contacts are stored in (references in
capitals without spaces, postcodes in capitals with one space, dates as dates). Dates are
read day first, as written in England.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from django.utils import timezone

from safeguard.frontdoor.services import REFERENCE_ALPHABET, REFERENCE_LENGTH
from safeguard.people.validators import normalise_postcode

MAX_NAME_WORDS: Final = 4

_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH: Final = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_DATE: Final = re.compile(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})\b")
_ISO_DATE: Final = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DAY_MONTH_YEAR: Final = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR: Final = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_POSTCODE: Final = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_OUTWARD: Final = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?", re.IGNORECASE)
_REFERENCE: Final = re.compile(rf"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}")


class SearchError(ValueError):
    """Something typed that looks like a date but is not one."""


@dataclass(frozen=True)
class QueueSearch:
    """What the box was understood to ask for; every part given must match."""

    text: str = ""
    reference: str = ""
    # A word that could be a reference or a name (eight letters from the references'
    # alphabet): it matches either.
    reference_or_name: str = ""
    names: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    postcode: str = ""
    postcode_district: str = ""
    ignored_words: int = 0

    @property
    def is_empty(self) -> bool:
        return not (
            self.reference
            or self.reference_or_name
            or self.names
            or self.date_of_birth
            or self.postcode
            or self.postcode_district
        )

    @property
    def searched_by(self) -> list[str]:
        """The kinds of detail searched for, never their values: for the access log."""
        kinds = []
        if self.reference:
            kinds.append("reference")
        if self.reference_or_name:
            kinds.append("reference or name")
        if self.names:
            kinds.append(f"name ({len(self.names)} word{'' if len(self.names) == 1 else 's'})")
        if self.date_of_birth:
            kinds.append("date of birth")
        if self.postcode:
            kinds.append("postcode")
        if self.postcode_district:
            kinds.append("postcode district")
        return kinds


def parse(text: str) -> QueueSearch:
    """Split ``text`` into the parts of a search. Raises ``SearchError`` for a date that
    does not exist (31/2/2019) or one in the future."""
    text = " ".join(text.split())
    rest = text
    date_of_birth, rest = _take_date(rest)
    postcode = ""
    found = _POSTCODE.search(rest)
    if found:
        postcode = normalise_postcode(found.group(1) + found.group(2))
        rest = rest[: found.start()] + " " + rest[found.end() :]
    reference = reference_or_name = district = ""
    names: list[str] = []
    for word in rest.replace(",", " ").split():
        compact = word.upper().replace("-", "")
        if not reference and _REFERENCE.fullmatch(compact):
            if any(c.isdigit() for c in compact):
                reference = compact
            else:
                reference_or_name = compact
        elif not district and not postcode and _OUTWARD.fullmatch(word):
            district = word.upper()
        else:
            names.append(word)
    return QueueSearch(
        text=text,
        reference=reference,
        reference_or_name=reference_or_name,
        names=tuple(names[:MAX_NAME_WORDS]),
        date_of_birth=date_of_birth,
        postcode=postcode,
        postcode_district=district,
        ignored_words=max(0, len(names) - MAX_NAME_WORDS),
    )


def _take_date(text: str) -> tuple[dt.date | None, str]:
    for pattern, order in (
        (_ISO_DATE, "ymd"),
        (_NUMERIC_DATE, "dmy"),
        (_DAY_MONTH_YEAR, "dmy"),
        (_MONTH_DAY_YEAR, "mdy"),
    ):
        found = pattern.search(text)
        if found is None:
            continue
        parts = dict(zip(order, found.groups(), strict=True))
        month = int(parts["m"]) if parts["m"].isdigit() else _MONTHS[parts["m"].lower()]
        day = _date(_year(parts["y"]), month, int(parts["d"]))
        return day, (text[: found.start()] + " " + text[found.end() :]).strip()
    return None, text


def _year(typed: str) -> int:
    """Two figures are this century unless that would be in the future: 19 is 2019."""
    year = int(typed)
    if len(typed) == 4:
        return year
    this_year = timezone.localdate().year
    return 2000 + year if 2000 + year <= this_year else 1900 + year


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        when = dt.date(year, month, day)
    except ValueError as error:
        raise SearchError("real") from error
    if when > timezone.localdate():
        raise SearchError("future")
    return when
