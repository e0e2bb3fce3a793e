"""Conference jobs (ADR 9): each runs one service after the request that caused it.

Arguments are JSON (ids as strings), since the database backend stores them.
"""

from __future__ import annotations

from django_tasks import task

from safeguard.conferences import invitations, voice


@task()
def conference_invitation_send(*, invitation_id: str, site_url: str) -> bool:
    """Email an invitation with its calendar file, then its code separately."""
    return invitations.invitation_send(invitation_id=invitation_id, site_url=site_url)


@task()
def child_unsafe_alert_send(*, views_id: str, site_url: str) -> int:
    """Email the worker and their manager that a child says they feel unsafe at home."""
    return voice.child_unsafe_alert_send(views_id=views_id, site_url=site_url)


@task()
def conference_change_tell(*, invitation_id: str, change: str) -> bool:
    """Tell someone invited that the conference has moved or is cancelled."""
    return invitations.conference_change_tell(invitation_id=invitation_id, change=change)
