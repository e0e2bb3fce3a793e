"""Accounts jobs (ADR 9): each runs one service after the request that caused it.

Arguments are JSON (ids as strings), since the database backend stores them.
"""

from __future__ import annotations

from django_tasks import task

from safeguard.accounts import services


@task()
def account_invitation_send(*, user_id: str, site_url: str) -> bool:
    """Email a new account's holder the link to choose their password."""
    return services.account_invitation_send(user_id=user_id, site_url=site_url)
