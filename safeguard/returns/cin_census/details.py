"""The census details a worker sets on a child and an episode, checked by the census rules.

A child's UPN (or why it is unknown), former UPN, disabilities and date of death; an
episode's primary need, referral source and whether the referral had no further action.
The forms run the rules at entry (ADR 13); these services save and audit the change.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from safeguard.audit.services import audited_update
from safeguard.casework.models import CINEpisode
from safeguard.people.models import Person, PersonDisability

if TYPE_CHECKING:
    from safeguard.accounts.models import User


def child_census_update(
    *,
    actor: User,
    child: Person,
    upn: str,
    former_upn: str,
    upn_unknown_reason: str,
    disabilities: list[str],
    date_of_death: dt.date | None,
) -> Person:
    """Set the child's census identifiers, disabilities and date of death, audited."""
    with transaction.atomic():
        before = sorted(child.disabilities.values_list("code", flat=True))
        after = sorted(set(disabilities))
        audited_update(
            child,
            actor=actor,
            action="returns.child_census_update",
            values={
                "upn": upn.upper(),
                "former_upn": former_upn.upper(),
                "upn_unknown_reason": "" if upn else upn_unknown_reason,
                "date_of_death": date_of_death,
            },
            child_id=child.pk,
            validate=True,
            also={"disabilities": {"before": before, "after": after}} if before != after else None,
        )
        if before != after:
            child.disabilities.exclude(code__in=after).delete()
            for code in sorted(set(after) - set(before)):
                PersonDisability.objects.create(person=child, code=code, created_by=actor, modified_by=actor)
    return child


def episode_census_update(
    *, actor: User, episode: CINEpisode, primary_need: str, referral_source: str, referral_nfa: bool
) -> CINEpisode:
    """Set the episode's primary need, referral source and 'no further action', audited."""
    audited_update(
        episode,
        actor=actor,
        action="returns.episode_census_update",
        values={
            "primary_need": primary_need,
            "referral_source": referral_source,
            "referral_nfa": referral_nfa,
        },
        child_id=episode.child_id,
        validate=True,
    )
    return episode
