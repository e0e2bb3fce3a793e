"""Every write to casework: acting user, transaction, audit event, side effects on commit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.accounts.models import Team, User
from safeguard.audit.services import audit_event_record, diff, snapshot
from safeguard.casework.models import ChildProtectionPlan, CINEpisode
from safeguard.core.codes import PrimaryNeed
from safeguard.people.models import Person

_EPISODE_FIELDS = ["child_id", "referral_date", "referral_source", "primary_need", "team_id", "worker_id"]


def episode_open(
    *,
    actor: User | None,
    child: Person,
    referral_date: dt.date,
    referral_source: str,
    primary_need: str = PrimaryNeed.N0,
    team: Team | None = None,
) -> CINEpisode:
    """Open a children in need episode from a referral (census CINreferralDate, ReferralSource).

    A child has at most one open episode: a new referral while one is open is recorded
    against that episode's work, not as a second episode.
    """
    if not child.is_child_record:
        raise ValidationError("Only a child's record can have a referral")
    if CINEpisode.objects.filter(child=child, closure_date__isnull=True).exists():
        raise ValidationError("This child already has an open episode: add the referral to it")
    with transaction.atomic():
        episode = CINEpisode(
            child=child,
            referral_date=referral_date,
            referral_source=referral_source,
            primary_need=primary_need,
            team=team,
            created_by=actor,
            modified_by=actor,
        )
        episode.full_clean()
        episode.save()
        audit_event_record(
            actor=actor,
            action="episode_open",
            instance=episode,
            changes=diff({}, snapshot(episode, _EPISODE_FIELDS)),
            child_id=child.pk,
        )
    return episode


def open_cp_plan(child: Person) -> ChildProtectionPlan | None:
    return ChildProtectionPlan.objects.filter(child=child, end_date__isnull=True).first()
