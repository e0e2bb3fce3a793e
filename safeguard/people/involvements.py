"""Recording who in the council works with a child (``Involvement`` rows).

The service that creates or ends a relationship with a child (casework's episodes and
protection plans; later apps' own records) calls ``involvements_set`` for the record that
made it, inside its own transaction; the access rule reads only these rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from safeguard.people.models import Involvement

# What one involvement says: its kind, and the user or team it names (or neither).
Row = tuple[str, uuid.UUID | None, uuid.UUID | None]


def involvements_set(
    *, child_id: uuid.UUID, source: models.Model, current: Iterable[Row], on: dt.date | None = None
) -> None:
    """Make ``source``'s current involvements with the child exactly ``current``.

    Those no longer true end on ``on`` (today unless given); new ones start on it; those
    still true are left as they are, so their start dates stay the day they began.
    """
    on = on or timezone.localdate()
    wanted = set(current)
    source_type = source._meta.label_lower
    with transaction.atomic():
        kept: set[Row] = set()
        ended: list[uuid.UUID] = []
        for row in Involvement.objects.select_for_update().filter(
            source_type=source_type, source_id=source.pk, ended_on__isnull=True
        ):
            key: Row = (row.kind, row.user_id, row.team_id)
            if key in wanted and key not in kept and row.child_id == child_id:
                kept.add(key)
            else:
                ended.append(row.pk)
        if ended:
            Involvement.objects.filter(pk__in=ended).update(ended_on=on, modified_at=timezone.now())
        Involvement.objects.bulk_create(
            Involvement(
                child_id=child_id,
                kind=kind,
                user_id=user_id,
                team_id=team_id,
                started_on=on,
                source_type=source_type,
                source_id=source.pk,
            )
            for kind, user_id, team_id in sorted(wanted - kept, key=str)
        )
