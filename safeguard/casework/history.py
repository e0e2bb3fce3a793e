"""Casework's part of a child's history: referrals (episodes) and child protection plans
(people.history)."""

from __future__ import annotations

from django.urls import reverse

from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.casework.models import ChildProtectionPlan, CINEpisode
from safeguard.people.history import HistoryEntry, HistoryKind
from safeguard.people.models import Person
from safeguard.people.permissions import children_for

SHOWN = 100


def episode_history(user: User, child: Person) -> list[HistoryEntry]:
    """The child's referrals and plans, linked to the episode where the user may open it
    (an episode opens for whoever may see its child)."""
    if not children_for(user, Action.VIEW).filter(pk=child.pk).exists():
        return []
    episodes = CINEpisode.objects.filter(child=child).select_related("worker").order_by("-referral_date")
    entries = [
        HistoryEntry(
            kind=HistoryKind.REFERRAL,
            date=e.referral_date,
            label=e.get_referral_source_display(),
            url=reverse("casework:episode_detail", args=[e.pk]),
            is_open=e.is_open,
            outcome=e.get_reason_for_closure_display() if e.closure_date else "",
            ended_on=e.closure_date,
            worker=e.worker.display_name if e.worker else "",
            key=str(e.pk),
        )
        for e in episodes[:SHOWN]
    ]
    entries += [
        HistoryEntry(
            kind=HistoryKind.PLAN,
            date=p.start_date,
            label=p.get_latest_category_display(),
            url=reverse("casework:episode_detail", args=[p.episode_id]),
            is_open=p.end_date is None,
            ended_on=p.end_date,
            key=str(p.pk),
        )
        for p in ChildProtectionPlan.objects.filter(child=child).order_by("-start_date")[:SHOWN]
    ]
    return entries
