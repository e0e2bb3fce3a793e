"""Conference jobs (ADR 9): each runs one service after the request that caused it.

Arguments are JSON (ids as strings), since the database backend stores them.
"""

from __future__ import annotations

from django_tasks import task

from safeguard.conferences import invitations


@task()
def conference_invitation_send(*, invitation_id: str, site_url: str) -> bool:
    """Email an invitation with its calendar file, then its code separately."""
    return invitations.invitation_send(invitation_id=invitation_id, site_url=site_url)
