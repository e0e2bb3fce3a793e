"""``manage.py workforce_census --output FILE [--date YYYY-MM-DD]``: write the children's
social work workforce census extract (CSV) for the latest 30 September, or the given date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguard.workforce.census import census_csv, reference_date


class Command(BaseCommand):
    help = "Write the workforce census CSV: one row per social worker, then the council's figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, help="the CSV file to write")
        parser.add_argument("--date", help="the reference date (default: the latest 30 September)")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        try:
            on = (
                dt.date.fromisoformat(options["date"])
                if options["date"]
                else reference_date(timezone.localdate())
            )
        except ValueError as error:
            raise CommandError("Give the date as YYYY-MM-DD, for example 2025-09-30") from error
        text = census_csv(on=on)
        output.write_text(text, encoding="utf-8")
        workers = text.split("\r\n\r\n", 1)[0].count("\r\n")
        self.stdout.write(f"Wrote {output}: {workers:,} social workers at {on:%d %B %Y}.")
