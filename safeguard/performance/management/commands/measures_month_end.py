"""Enqueue the month-end measures job (run by the scheduler: see ``performance.jobs.SCHEDULE``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.performance.jobs import measures_month_end
from safeguard.performance.snapshots import measures_backfill


class Command(BaseCommand):
    help = "Store last month's performance measures (queued as a job)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--backfill",
            type=int,
            metavar="MONTHS",
            help="Store the last MONTHS months now, in this process (months already stored are kept).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["backfill"] is not None:
            if not 1 <= options["backfill"] <= 120:
                raise CommandError("--backfill takes a number of months from 1 to 120")
            stored = measures_backfill(months=options["backfill"])
            self.stdout.write(f"{stored:,} month-end figures stored")
            return
        result = measures_month_end.enqueue()
        self.stdout.write(f"Month-end measures job queued ({result.id})")
