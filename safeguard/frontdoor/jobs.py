"""Front door jobs (ADR 9): each runs one service after the request that caused it.

Arguments are JSON (ids as strings), since the database backend stores them.
"""

from __future__ import annotations

from django_tasks import task

from safeguard.frontdoor import services


@task()
def referrer_feedback_send(*, contact_id: str) -> bool:
    """Tell a professional referrer the outcome of their contact."""
    return services.referrer_feedback_send(contact_id=contact_id)
