"""``manage.py clocks backfill`` makes clocks for imported records; ``manage.py clocks
recompute`` re-times running clocks after the bank holiday list changes (e.g. a new one-off
holiday arrives with an upgrade of the holidays package)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safeguard.casework.backfill import clocks_backfill
from safeguard.casework.clocks import clocks_recompute


class Command(BaseCommand):
    help = "Backfill or re-time statutory clocks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["backfill", "recompute"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "backfill":
            made = clocks_backfill(today=timezone.localdate())
            self.stdout.write(f"Made {made} clocks.")
        else:
            moved = clocks_recompute(actor=None)
            self.stdout.write(f"Re-timed {moved} running clocks.")
