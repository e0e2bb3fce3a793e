"""Returns jobs (ADR 9): each runs one service after the request that caused it.

Arguments are JSON (ids as strings), since the database backend stores them.
"""

from __future__ import annotations

from django_tasks import task

from safeguard.returns.cin_census import services


@task()
def cin_census_run(*, run_id: str) -> None:
    """Build a queued CIN census run: the file, its checks and its progress, on its row."""
    services.cin_census_run(run_id=run_id)
