"""Conference work on the home page: the family's questions, for the child's allocated
worker, until the worker marks them answered."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.conferences.models import FamilyQuestion
from safeguard.core.worklist import WorkItem


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
    return [
        WorkItem(
            group="Questions from families",
            title=f"{q.invitation.name} asked about {q.invitation.conference.child.full_name}'s conference",
            href=reverse("conferences:detail", args=[q.invitation.conference_id]),
            detail=f"Asked on {timezone.localtime(q.created_at):%d %B %Y}",
        )
        for q in questions
    ]
