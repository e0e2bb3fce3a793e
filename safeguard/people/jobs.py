"""People jobs (ADR 9): each runs one service after the request that caused it.

Arguments are JSON (ids as strings), since the database backend stores them.
"""

from __future__ import annotations

from django_tasks import task

from safeguard.people import services


@task()
def break_glass_notify(*, grant_id: str, recipients: list[str]) -> None:
    """Tell the child's managers that someone used emergency access to the record."""
    services.break_glass_notify(grant_id=grant_id, recipients=recipients)
