"""Casework's part of who works with a child: an open episode involves its team and its
allocated worker, and a child protection plan involves the conference chairs.

Casework's services call these after every change to an episode's team, worker or closure
and to a plan's end, so the rows in ``people`` (which the access rule reads) always say
what the episodes and plans say. ``involvements_backfill`` brings them into line for
records written in bulk (the demo, an import), as the migration that introduced them did.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from safeguard.casework.models import ChildProtectionPlan, CINEpisode
from safeguard.people.involvements import Row, involvements_set
from safeguard.people.models import Involvement, InvolvementKind

# A current involvement in full: the child, what it says, and the record that made it.
Expected = tuple[uuid.UUID, str, uuid.UUID | None, uuid.UUID | None, str, uuid.UUID]
_LABELS = [CINEpisode._meta.label_lower, ChildProtectionPlan._meta.label_lower]


def _episode_rows(episode: CINEpisode) -> list[Row]:
    if episode.closure_date is not None:
        return []
    rows: list[Row] = [(InvolvementKind.OPEN_CASE, None, None)]
    if episode.team_id is not None:
        rows.append((InvolvementKind.TEAM, None, episode.team_id))
    if episode.worker_id is not None:
        rows.append((InvolvementKind.WORKER, episode.worker_id, None))
    return rows


def _plan_rows(plan: ChildProtectionPlan) -> list[Row]:
    return [(InvolvementKind.CONFERENCE_CHAIRS, None, None)] if plan.end_date is None else []


def episode_involvements_sync(episode: CINEpisode) -> None:
    """The episode's team, worker and open case, as the episode now stands."""
    involvements_set(child_id=episode.child_id, source=episode, current=_episode_rows(episode))


def cp_plan_involvements_sync(plan: ChildProtectionPlan) -> None:
    """The conference chairs, while the plan is open."""
    involvements_set(child_id=plan.child_id, source=plan, current=_plan_rows(plan))


def _expected() -> dict[Expected, dt.date]:
    """Every current involvement the open episodes and plans call for, with the day it
    began as far as the records say (the team's since the episode came to it)."""
    expected: dict[Expected, dt.date] = {}
    label = CINEpisode._meta.label_lower
    for episode in CINEpisode.objects.filter(closure_date__isnull=True).only(
        "id", "child_id", "team_id", "worker_id", "closure_date", "referral_date", "team_since"
    ):
        for row in _episode_rows(episode):
            began = episode.referral_date if row[0] == InvolvementKind.OPEN_CASE else episode.team_since
            expected[(episode.child_id, *row, label, episode.pk)] = began or episode.referral_date
    label = ChildProtectionPlan._meta.label_lower
    for plan in ChildProtectionPlan.objects.filter(end_date__isnull=True).only(
        "id", "child_id", "end_date", "start_date"
    ):
        for row in _plan_rows(plan):
            expected[(plan.child_id, *row, label, plan.pk)] = plan.start_date
    return expected


def involvements_expected() -> set[Expected]:
    """Every current involvement the open episodes and plans call for (the consistency check)."""
    return set(_expected())


def _current_rows() -> dict[Expected, uuid.UUID]:
    rows = Involvement.objects.filter(ended_on__isnull=True, source_type__in=_LABELS).values_list(
        "pk", "child_id", "kind", "user_id", "team_id", "source_type", "source_id"
    )
    return {tuple(key): pk for pk, *key in rows}  # type: ignore[misc]


def involvements_current() -> set[Expected]:
    """Every current involvement row casework's records made, in the same form."""
    return set(_current_rows())


def involvements_backfill(*, on: dt.date | None = None) -> int:
    """Make casework's current involvements agree with the episodes and plans, after rows
    were written without their services (the demo's bulk rows, an import): missing ones
    start on the day the records say, ones no longer true end on ``on`` (today).
    Returns how many changed."""
    on = on or timezone.localdate()
    with transaction.atomic():
        expected = _expected()
        current = _current_rows()
        stale = [pk for key, pk in current.items() if key not in expected]
        Involvement.objects.filter(pk__in=stale).update(ended_on=on, modified_at=timezone.now())
        missing = sorted(expected.keys() - current.keys(), key=str)
        Involvement.objects.bulk_create(
            [
                Involvement(
                    child_id=child_id,
                    kind=kind,
                    user_id=user_id,
                    team_id=team_id,
                    started_on=expected[(child_id, kind, user_id, team_id, source_type, source_id)],
                    source_type=source_type,
                    source_id=source_id,
                )
                for child_id, kind, user_id, team_id, source_type, source_id in missing
            ],
            batch_size=1000,
        )
    return len(stale) + len(missing)
