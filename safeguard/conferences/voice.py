"""The child's views before their conference: written by the child (on their own, with
their worker or with an advocate), read by the chair, kept on the child's record.

A child who says they feel unsafe at home raises an alert at once: it waits at the top of
the allocated worker's and their team manager's work lists, and each is emailed (a job,
once the views are committed). The email does not name the child; the link does.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.accounts.policy import Action
from safeguard.audit.services import audited_create, audited_update
from safeguard.conferences.models import (
    ChildViews,
    Conference,
    ConferenceInvitation,
    ConferenceStatus,
    InviteeRole,
)
from safeguard.conferences.selectors import may_see
from safeguard.people.permissions import can

# Who may send the child's views through their own link: the child, or their advocate.
VIEWS_ROLES = frozenset({InviteeRole.CHILD, InviteeRole.ADVOCATE})
_AUDITED = ["conference", "helped_by", "safe_at_home"]  # never the child's own words


def may_enter_views(user: User, conference: Conference) -> bool:
    """The conference's chair and those who may edit the child's record (the worker, who
    sits with the child, and their managers), before the conference is held."""
    if conference.status not in (ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED):
        return False
    return may_see(user, conference) and (
        conference.chair_id == user.pk or can(user, Action.EDIT, conference.child)
    )


def alert_recipients(conference: Conference) -> QuerySet[User]:
    """The allocated worker and the team manager of their team (or of the child's team)."""
    episode = conference.episode
    worker = episode.worker
    team_ids = {t for t in (episode.team_id, worker.team_id if worker is not None else None) if t}
    who = Q(role=Role.TEAM_MANAGER, team_id__in=team_ids)
    if worker is not None:
        who |= Q(pk=worker.pk)
    return User.objects.filter(who, is_active=True).order_by("last_name", "first_name")


def child_views_submit(
    *,
    actor: User | None,
    conference: Conference,
    values: dict[str, Any],
    invitation: ConferenceInvitation | None = None,
    site_url: str,
) -> ChildViews:
    """Keep the child's views for the chair. From staff (``actor``) or through the child's
    or advocate's link (``invitation``, no account). One set for each conference."""
    if actor is not None and not may_enter_views(actor, conference):
        raise PermissionDenied("You cannot give the child's views for this conference")
    if invitation is not None and (
        invitation.role not in VIEWS_ROLES or invitation.conference_id != conference.pk
    ):
        raise PermissionDenied("Only the child or their advocate can send the child's views")
    if conference.status not in (ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED):
        raise ValidationError("The conference has already taken place")
    with transaction.atomic():
        Conference.objects.select_for_update().filter(pk=conference.pk).first()
        if ChildViews.objects.filter(conference=conference).exists():
            raise ValidationError("The child's views for this conference have already been sent")
        views = audited_create(
            ChildViews,
            actor=actor,
            action="conference_child_views_submit",
            values={
                "conference": conference,
                "child_id": conference.child_id,
                "invitation": invitation,
                **{k: v.strip() if isinstance(v, str) else v for k, v in values.items()},
                "submitted_at": timezone.now(),
            },
            audit=_AUDITED,
            child_id=conference.child_id,
            validate=True,
        )
        if views.feels_unsafe:
            # imported here to break the cycle voice -> jobs -> voice
            from safeguard.conferences import jobs

            views_id = str(views.pk)
            transaction.on_commit(
                lambda: jobs.child_unsafe_alert_send.enqueue(views_id=views_id, site_url=site_url)
            )
    return views


def child_unsafe_alert_send(*, views_id: str, site_url: str) -> int:
    """Email the worker and their manager that a child says they feel unsafe at home (a
    job). How many were emailed."""
    views = ChildViews.objects.select_related("conference__episode__worker").filter(pk=views_id).first()
    if views is None or not views.feels_unsafe or views.alert_seen_at is not None:
        return 0
    link = site_url.rstrip("/") + reverse("conferences:detail", args=[views.conference_id])
    context = {"link": link, "views": views}
    sent = 0
    for user in alert_recipients(views.conference):
        if not user.email:
            continue
        send_mail(
            subject=render_to_string("conferences/child_unsafe_subject.txt", context).strip(),
            message=render_to_string("conferences/child_unsafe_email.txt", {**context, "user": user}),
            from_email=None,
            recipient_list=[user.email],
        )
        sent += 1
    return sent


def child_views_alert_seen(*, actor: User, views: ChildViews) -> ChildViews:
    """The worker or manager has acted on the child's saying they feel unsafe."""
    recipient = alert_recipients(views.conference).filter(pk=actor.pk).exists()
    if not (recipient and may_see(actor, views.conference)):
        raise PermissionDenied("Only the child's worker or their manager can mark this alert")
    if not views.feels_unsafe or views.alert_seen_at is not None:
        raise ValidationError("There is no alert waiting for this child")
    audited_update(
        views,
        actor=actor,
        action="conference_child_unsafe_alert_seen",
        values={"alert_seen_at": timezone.now(), "alert_seen_by": actor},
        child_id=views.child_id,
    )
    return views


def views_context(user: User, conference: Conference) -> dict[str, Any]:
    """What the conference page shows of the child's views (already authorised)."""
    views = ChildViews.objects.filter(conference=conference).select_related("alert_seen_by").first()
    return {
        "child_views": views,
        "may_enter_views": views is None and may_enter_views(user, conference),
        "may_mark_alert": views is not None
        and views.feels_unsafe
        and views.alert_seen_at is None
        and alert_recipients(conference).filter(pk=user.pk).exists(),
    }
