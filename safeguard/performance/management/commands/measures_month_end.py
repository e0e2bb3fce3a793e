"""Enqueue the month-end measures job (run by the scheduler: see ``performance.jobs.SCHEDULE``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeguard.performance.jobs import measures_month_end


class Command(BaseCommand):
    help = "Store last month's performance measures (queued as a job)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = measures_month_end.enqueue()
        self.stdout.write(f"Month-end measures job queued ({result.id})")
