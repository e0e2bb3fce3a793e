"""Comparators beside each figure: England (loaded with the app from benchmarks.csv) and
the statistical neighbours and region an analyst uploads as a CSV of the same shape."""

from __future__ import annotations

import csv
import functools
import io
import math
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.accounts.models import User
from safeguard.audit.services import audit_event_record
from safeguard.performance.measure_models import Benchmark
from safeguard.performance.measures import REGISTRY, Unit

HEADINGS = ["measure", "area", "period", "value", "unit", "source"]
ENGLAND = "England"
MAX_ROWS = 2000
# A count for England (632,830 referrals) is not comparable with a council's or a team's.
COMPARABLE_UNITS = frozenset({Unit.PERCENT, Unit.PER_10K, Unit.WORKING_DAYS, Unit.RATIO})


@dataclass(frozen=True)
class Comparator:
    area: str
    period: str
    value: float
    unit: str

    @property
    def display(self) -> str:
        if self.unit == "percent":
            return f"{self.value:.1f}%"
        if self.unit == "working days":
            return f"{self.value:g} working days"
        return f"{self.value:,.1f}".removesuffix(".0")


ENGLAND_CSV = Path(__file__).resolve().parent / "data" / "england_benchmarks.csv"


@functools.cache
def england_rows() -> tuple[Benchmark, ...]:
    """England's published figures, read from the file shipped with the service (unsaved rows).

    Read from the file, not the table the migration fills, so that England's column never
    goes blank when the table is emptied (a restore, a test's flush) and always matches the
    release."""
    with ENGLAND_CSV.open(newline="", encoding="utf-8") as handle:
        return tuple(
            Benchmark(
                measure=row["measure"],
                area=ENGLAND,
                period=row["period"],
                value=float(row["value"]),
                unit=row["unit"],
                source=row["source"],
            )
            for row in csv.DictReader(handle)
            if row["area"] == ENGLAND
        )


def comparators() -> dict[str, list[Comparator]]:
    """The latest figure of each area for each measure, England first."""
    latest: dict[tuple[str, str], Benchmark] = {}
    uploaded = Benchmark.objects.exclude(area=ENGLAND).order_by("measure", "area", "period")
    for row in sorted([*england_rows(), *uploaded], key=lambda r: (r.measure, r.area, r.period)):
        latest[(row.measure, row.area)] = row
    by_measure: dict[str, list[Comparator]] = {}
    for (measure_id, area), row in sorted(
        latest.items(), key=lambda kv: (kv[0][0], kv[0][1] != ENGLAND, kv[0][1])
    ):
        m = REGISTRY.get(measure_id)
        if m is None or m.unit not in COMPARABLE_UNITS:
            continue
        by_measure.setdefault(measure_id, []).append(Comparator(area, row.period, row.value, row.unit))
    return by_measure


def _parse(text: str) -> list[Benchmark]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        headings = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ValidationError(
            {"file": "The file is empty: it needs a heading row and at least one figure"}
        ) from None
    if headings != HEADINGS:
        raise ValidationError(
            {
                "file": f"The headings must be exactly: {', '.join(HEADINGS)} "
                f"(the file has: {', '.join(headings)})"
            }
        )
    rows: list[Benchmark] = []
    problems: list[str] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(HEADINGS):
            problems.append(f"Line {number}: has {len(cells)} values, not {len(HEADINGS)}")
            continue
        row = dict(zip(HEADINGS, (c.strip() for c in cells), strict=True))
        if row["measure"] not in REGISTRY:
            problems.append(
                f"Line {number}: there is no measure {row['measure']!r} (use the ids in the definitions)"
            )
        if not row["area"]:
            problems.append(f"Line {number}: enter the area (for example Statistical neighbours)")
        elif row["area"] == ENGLAND:
            problems.append(
                f"Line {number}: England's figures are loaded with the service; upload other areas"
            )
        if not row["period"]:
            problems.append(f"Line {number}: enter the period (for example 2024-25)")
        try:
            value = float(row["value"].replace(",", "").rstrip("%"))
        except ValueError:
            problems.append(f"Line {number}: the value {row['value']!r} is not a number")
            continue
        if not math.isfinite(value) or value < 0:
            problems.append(f"Line {number}: the value must be a number of 0 or more")
            continue
        rows.append(
            Benchmark(
                measure=row["measure"],
                area=row["area"],
                period=row["period"],
                value=value,
                unit=row["unit"],
                source=row["source"],
            )
        )
        if len(problems) > 20:
            break
    if problems:
        raise ValidationError({"file": problems[:20]})
    if not rows:
        raise ValidationError({"file": "The file has headings but no figures"})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": f"The file has {len(rows):,} figures: upload {MAX_ROWS:,} or fewer"})
    return rows


def benchmarks_upload(*, actor: User, text: str) -> int:
    """Replace the uploaded figures of every area in the file; nothing is saved if any line is wrong."""
    rows = _parse(text)
    areas = sorted({r.area for r in rows})
    for r in rows:
        r.created_by = r.modified_by = actor
    with transaction.atomic():
        Benchmark.objects.filter(area__in=areas).delete()
        made = Benchmark.objects.bulk_create(rows)
        audit_event_record(
            actor=actor,
            action="benchmarks_upload",
            instance=made[0],
            changes={"areas": [None, areas], "figures": [None, len(made)]},
        )
    return len(made)
