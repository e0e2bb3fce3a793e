"""The measures as CSV and as an Excel workbook (a sheet per measure group, and the
definitions). Every cell goes through ``core.spreadsheets.safe_cell``."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook

from safeguard.core.spreadsheets import Cell, csv_text, safe_cell
from safeguard.performance.measures import MEASURES
from safeguard.performance.selectors import MeasuresPage, Row

HEAD = [
    "Measure id",
    "Measure",
    "Numerator",
    "Denominator",
    "Value",
    "Unit",
    "Better when",
    "England",
    "Target",
    "Status",
    "Note",
]


def _line(row: Row) -> list[Cell]:
    f = row.figure
    england = row.england
    return [
        f.id,
        f.measure.name,
        f.numerator,
        f.denominator,
        None if f.value is None else round(f.value, 4),
        str(f.measure.unit),
        str(f.measure.better),
        None if england is None else england.value,
        row.target.target,
        row.target.words,
        f.reason or ("No data for this period" if f.no_data else ""),
    ]


def _about(page: MeasuresPage) -> list[list[Cell]]:
    w = page.window
    return [
        ["Scope", page.scope.label],
        ["Period", f"{w.start.isoformat()} to {w.end.isoformat()}"],
        ["Snapshot", w.snapshot.isoformat()],
        ["Computed at", page.computed_at.isoformat(timespec="seconds")],
        [],
    ]


def measures_csv(page: MeasuresPage) -> str:
    rows: list[Iterable[Cell]] = [*_about(page), ["Group", *HEAD]]
    for group, group_rows in page.groups:
        rows += [[group, *_line(r)] for r in group_rows]
    return csv_text(rows)


def _sheet_title(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"


def measures_xlsx(page: MeasuresPage) -> bytes:
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "About"
    for line in _about(page):
        about.append([safe_cell(c) for c in line])
    for group, group_rows in page.groups:
        sheet = book.create_sheet(_sheet_title(group))
        sheet.append(HEAD)
        for r in group_rows:
            sheet.append([safe_cell(c) for c in _line(r)])
    definitions = book.create_sheet("Definitions")
    definitions.append(["Measure id", "Measure", "Group", "Definition", "Unit", "Better when"])
    for m in MEASURES:
        definitions.append(
            [safe_cell(c) for c in (m.id, m.name, m.group, m.definition, str(m.unit), str(m.better))]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
