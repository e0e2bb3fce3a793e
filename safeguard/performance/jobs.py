"""Performance jobs (ADR 9): each runs one service.

``SCHEDULE`` is this app's timetable: the deployment's scheduler (cron, or a platform's
scheduled task) runs ``manage.py measures_month_end`` at the time given, which enqueues the
job; arguments are JSON, since the database backend stores them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_tasks import task

from safeguard.performance import snapshots


@task()
def measures_month_end() -> int:
    """Store every measure for the month just ended (council, services, teams), then drop
    the cached measures pages. Returns how many figures were stored."""
    return snapshots.measures_month_end()


@dataclass(frozen=True)
class Scheduled:
    command: str
    cron: str
    why: str


SCHEDULE: tuple[Scheduled, ...] = (
    Scheduled(
        "measures_month_end",
        "30 1 1 * *",
        "01:30 on the 1st of each month: last month's figures, stored so they never change",
    ),
)
