"""Print every measure (by its id in kpis.md) with its numerator, denominator and value.

    python manage.py kpis --period-start 2025-04-01 --period-end 2026-03-31 --format table

For automation and for checking the figures by hand: the figures are the pages' own
(``performance.measures``), so sealed children are left out here as on screen.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguard.accounts.models import Team
from safeguard.core.spreadsheets import csv_text
from safeguard.performance.measures import Figure, Scope, compute_all
from safeguard.performance.periods import window_check

COLUMNS = ("id", "name", "numerator", "denominator", "value", "unit", "better", "note")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{value!r} is not a date: write it as YYYY-MM-DD, for example 2026-03-31"
        ) from None


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def render(figures: list[Figure], fmt: str, header: dict[str, Any]) -> str:
    rows = [f.as_dict() for f in figures]
    if fmt == "json":
        return json.dumps({**header, "measures": rows}, indent=2)
    if fmt == "csv":
        return csv_text([COLUMNS, *[[row[c] for c in COLUMNS] for row in rows]])
    shown = ("id", "numerator", "denominator", "value", "unit", "note")
    table = [shown, *[tuple(_cell(row[c]) for c in shown) for row in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(shown))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in table
    ]
    title = (
        f"{header['scope']}: {header['period_start']} to {header['period_end']}, "
        f"snapshot {header['snapshot']}"
    )
    return "\n".join([title, *lines])


class Command(BaseCommand):
    help = "Print every performance measure for a period (and a snapshot date), for the council or a team."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period-start", required=True, help="First day of the period (YYYY-MM-DD).")
        parser.add_argument("--period-end", required=True, help="Last day of the period (YYYY-MM-DD).")
        parser.add_argument("--snapshot", help="Date of the snapshot measures (default: the period's end).")
        parser.add_argument("--team", help="A team's id (UUID) or exact name; the whole council if left out.")
        parser.add_argument("--format", choices=("json", "csv", "table"), default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["period_start"]), _date(options["period_end"])
        snapshot = _date(options["snapshot"]) if options["snapshot"] else None
        try:
            window = window_check(start=start, end=end, snapshot=snapshot, today=timezone.localdate())
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        scope = Scope.council()
        if options["team"]:
            scope = Scope.of_team(_team(options["team"]))
        figures = compute_all(window=window, scope=scope)
        header = {
            "scope": scope.label,
            "period_start": window.start.isoformat(),
            "period_end": window.end.isoformat(),
            "snapshot": window.snapshot.isoformat(),
            "child_population": window.population,
        }
        self.stdout.write(render(figures, options["format"], header))


def _team(value: str) -> Team:
    try:
        team = Team.objects.filter(pk=uuid.UUID(value)).first()
    except ValueError:
        team = Team.objects.filter(name=value).first()
    if team is None:
        names = ", ".join(Team.objects.order_by("name").values_list("name", flat=True)[:20])
        raise CommandError(f"There is no team {value!r}. Teams: {names or 'none yet'}")
    return team
