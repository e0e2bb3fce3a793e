"""Conference work on the home page: a child who says they feel unsafe (for their worker
and manager, at once, until one of them marks it seen), and the family's questions, for
the child's allocated worker, until the worker marks them answered."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.accounts.policy import Action
from safeguard.conferences.models import (
    UNSAFE_AT_OR_BELOW,
    ChildViews,
    Conference,
    ConferenceStatus,
    FamilyQuestion,
)
from safeguard.core.worklist import WorkItem
from safeguard.people.permissions import children_for, sealed_records_open_to


def _unsafe_alerts(user: User) -> list[WorkItem]:
    mine = Q(conference__episode__worker=user)
    if user.role == Role.TEAM_MANAGER and user.team_id is not None:
        team = user.team_id
        mine |= Q(conference__episode__team_id=team) | Q(conference__episode__worker__team_id=team)
    alerts = (
        ChildViews.objects.filter(mine, safe_at_home__lte=UNSAFE_AT_OR_BELOW, alert_seen_at__isnull=True)
        .filter(conference__episode__closure_date__isnull=True, child__in=children_for(user, Action.VIEW))
        .select_related("child")
        .order_by("submitted_at")
    )
    return [
        WorkItem(
            group="A child says they feel unsafe",
            title=f"{v.child.full_name} says they feel {v.get_safe_at_home_display().lower()} at home",
            href=reverse("conferences:detail", args=[v.conference_id]) + "#child-views",
            detail=f"In their views for their conference, {timezone.localtime(v.submitted_at):%d %B %Y}",
            urgent=True,
        )
        for v in alerts
    ]


def _after_the_conference(user: User) -> list[WorkItem]:
    """The chair's outcome letters (1 working day) and full records (15) still to do."""
    if user.role != Role.CONFERENCE_CHAIR:
        return []
    held = (
        Conference.objects.filter(chair=user, status=ConferenceStatus.HELD)
        .filter(
            Q(letter_sent_on__isnull=True, letter_due__isnull=False)
            | Q(record_completed_on__isnull=True, record_due__isnull=False)
        )
        .filter(Q(child__is_sealed=False) | Q(child__in=sealed_records_open_to(user)))
        .select_related("child")
    )
    items: list[WorkItem] = []
    for c in held:
        href = reverse("conferences:detail", args=[c.pk])
        held_on = f"Conference held on {c.held_on:%d %B %Y}" if c.held_on else ""
        if c.letter_sent_on is None and c.letter_due is not None:
            items.append(
                WorkItem(
                    group="Outcome letters to send",
                    title=f"Send the outcome letter for {c.child.full_name}'s conference",
                    href=href,
                    detail=held_on,
                    due=c.letter_due,
                )
            )
        if c.record_completed_on is None and c.record_due is not None:
            items.append(
                WorkItem(
                    group="Conference records to finish",
                    title=f"Finish the record of {c.child.full_name}'s conference",
                    href=href,
                    detail=held_on,
                    due=c.record_due,
                )
            )
    return items


def work_items(*, user: User, today: dt.date) -> list[WorkItem]:
    questions = (
        FamilyQuestion.objects.filter(
            answered_at__isnull=True,
            invitation__revoked_at__isnull=True,
            invitation__conference__episode__worker=user,
            invitation__conference__episode__closure_date__isnull=True,
        )
        .select_related("invitation__conference__child")
        .order_by("created_at")
    )
    return (
        _unsafe_alerts(user)
        + _after_the_conference(user)
        + [
            WorkItem(
                group="Questions from families",
                title=(
                    f"{q.invitation.name} asked about {q.invitation.conference.child.full_name}'s conference"
                ),
                href=reverse("conferences:detail", args=[q.invitation.conference_id]),
                detail=f"Asked on {timezone.localtime(q.created_at):%d %B %Y}",
            )
            for q in questions
        ]
    )
