"""The children each worker holds, for workforce's caseloads (``workforce.caseloads``).

Registered with workforce in ``apps.CaseworkConfig.ready``: workforce may not import
casework, so it asks through this counter. A child counts under ``cp_plan`` while their
episode has a child protection plan running, else ``cin_plan`` while it has a child in need
plan, else ``other``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection

from django.db.models import Exists, OuterRef, Q

from safeguard.casework.models import ChildProtectionPlan, CINEpisode, CINPlan


def _running(on: dt.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))


def case_counts(user_ids: Collection[uuid.UUID], on: dt.date) -> dict[uuid.UUID, dict[str, int]]:
    episodes = (
        CINEpisode.objects.filter(worker_id__in=list(user_ids), referral_date__lte=on)
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gt=on))
        .annotate(
            on_cp=Exists(ChildProtectionPlan.objects.filter(_running(on), episode=OuterRef("pk"))),
            on_cin=Exists(CINPlan.objects.filter(_running(on), episode=OuterRef("pk"))),
        )
        .values_list("worker_id", "on_cp", "on_cin")
    )
    counts: dict[uuid.UUID, dict[str, int]] = {}
    for worker_id, on_cp, on_cin in episodes:
        kind = "cp_plan" if on_cp else "cin_plan" if on_cin else "other"
        row = counts.setdefault(worker_id, {})
        row[kind] = row.get(kind, 0) + 1
    return counts
