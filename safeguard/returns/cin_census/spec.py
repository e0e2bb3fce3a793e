"""What the census is for a collection year: its dates, its schema and its header values.

The census year runs from 1 April to 31 March; ``--year 2026`` is the 2025-26 collection
with reference date 31 March 2026, checked against ``CIN_schema_2026.xsd``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

# Collection year (the year of the reference date) -> the schema file shipped for it.
SCHEMAS: dict[int, str] = {
    2025: "CIN_schema_2025.xsd",
    2026: "CIN_schema_2026.xsd",
}

SOFTWARE_CODE = "Safeguard"


class CensusYearError(ValueError):
    """The year asked for cannot be built (no schema shipped, or not a year at all)."""


@dataclass(frozen=True)
class CensusYear:
    year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year - 1, 4, 1)

    @property
    def reference_date(self) -> dt.date:
        return dt.date(self.year, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.year - 1}-{self.year % 100:02d}"

    @property
    def schema_path(self) -> Path:
        return SCHEMA_DIR / SCHEMAS[self.year]

    @property
    def spec_version(self) -> str:
        return SCHEMAS[self.year].removesuffix(".xsd")

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.reference_date


def census_year(year: int) -> CensusYear:
    """Return the census year ending 31 March ``year``, or raise ``CensusYearError``."""
    if year not in SCHEMAS:
        shipped = ", ".join(f"{y} ({y - 1}-{y % 100:02d})" for y in sorted(SCHEMAS))
        raise CensusYearError(
            f"There is no census schema for the year ending 31 March {year}. "
            f"Schemas are shipped for: {shipped}."
        )
    return CensusYear(year)


@cache
def schema_for(year: int) -> etree.XMLSchema:
    """The parsed XSD for a collection year (parsed once per process)."""
    return etree.XMLSchema(etree.parse(str(census_year(year).schema_path)))
