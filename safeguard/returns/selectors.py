"""Fetch and authorise in one call: the census runs, for the analyst who builds them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from safeguard.returns.models import ReturnKind, ReturnRun
from safeguard.returns.url_policy import REPORT_ROLES

if TYPE_CHECKING:
    from safeguard.accounts.models import User

# The run list shows the latest builds; older ones stay in the table.
LISTED_RUNS = 20


def _check(user: User) -> None:
    if user.role not in REPORT_ROLES:
        raise PermissionDenied


def census_runs_for(*, user: User) -> QuerySet[ReturnRun]:
    """The latest CIN census builds, without their files (403 for anyone but an analyst)."""
    _check(user)
    return (
        ReturnRun.objects.filter(kind=ReturnKind.CIN_CENSUS)
        .defer("content", "failures")
        .select_related("requested_by")[:LISTED_RUNS]
    )


def census_run_for(*, user: User, run_id: uuid.UUID, with_content: bool = False) -> ReturnRun:
    """One CIN census build (403 for anyone but an analyst, 404 if there is no such run)."""
    _check(user)
    runs = ReturnRun.objects.filter(kind=ReturnKind.CIN_CENSUS).select_related("requested_by")
    if not with_content:
        runs = runs.defer("content")
    try:
        return runs.get(pk=run_id)
    except ReturnRun.DoesNotExist:
        raise Http404("No such census run") from None
