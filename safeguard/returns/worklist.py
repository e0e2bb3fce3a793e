"""Census failures on the home page: each worker's own, and the analyst's build to clear.

Read from the latest finished CIN census build (its ``failures``, kept on the run), not by
running every rule again: the failures are indexed by worker once per build and cached, so
a home page costs one small query for the run's key and one for the children's names.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.urls import reverse

from safeguard.core.worklist import WorkItem
from safeguard.people.models import Person
from safeguard.people.selectors import person_references
from safeguard.returns.cin_census.failures import Found, fix_url
from safeguard.returns.models import ReturnKind, ReturnRun, RunStatus
from safeguard.returns.url_policy import REPORT_ROLES

if TYPE_CHECKING:
    from safeguard.accounts.models import User

GROUP = "Children in need census"
# A run's failures never change once it has finished, so the index may be kept a long time.
CACHE_SECONDS = 6 * 60 * 60


def _latest_run() -> dict[str, Any] | None:
    run = (
        ReturnRun.objects.filter(kind=ReturnKind.CIN_CENSUS, status=RunStatus.SUCCEEDED)
        .order_by("-started_at")
        .values("pk", "period", "started_at", "rule_error_count", "schema_problem_count", "rule_query_count")
        .first()
    )
    return dict(run) if run is not None else None


def _by_worker(run_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """The run's failures grouped by the worker who holds the record, cached per run."""
    key = f"returns:cin_census:by_worker:{run_id}"
    index: dict[str, list[dict[str, Any]]] | None = cache.get(key)
    if index is None:
        failures = ReturnRun.objects.filter(pk=run_id).values_list("failures", flat=True).first() or []
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in failures:
            if row.get("worker_id"):
                grouped[row["worker_id"]].append(row)
        index = dict(grouped)
        cache.set(key, index, CACHE_SECONDS)
    return index


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _analyst_items(run: dict[str, Any]) -> list[WorkItem]:
    errors = run["rule_error_count"] + run["schema_problem_count"]
    queries = run["rule_query_count"]
    if not errors and not queries:
        return []
    return [
        WorkItem(
            group=GROUP,
            title=(
                f"Census {run['period'] - 1} to {run['period']}: "
                f"{_count(errors, 'error', 'errors')} and {_count(queries, 'query', 'queries')}"
            ),
            href=reverse("returns:cin_census_run", args=[run["pk"]]),
            detail=f"From the build of {run['started_at']:%d %B %Y}. Build again once they are fixed.",
            names_child=False,
        )
    ]


def work_items(*, user: User, today: dt.date) -> list[WorkItem]:
    run = _latest_run()
    if run is None:
        return []
    if user.role in REPORT_ROLES:
        return _analyst_items(run)
    rows = _by_worker(run["pk"]).get(str(user.pk), [])
    if not rows:
        return []
    by_child: dict[uuid.UUID, list[Found]] = defaultdict(list)
    for row in rows:
        failure = Found.from_json(row)
        by_child[failure.child_id].append(failure)
    references = person_references(viewer=user, people=Person.objects.filter(pk__in=by_child))
    items = []
    for child_id, found in by_child.items():
        reference = references.get(child_id)
        if reference is None or reference.restricted:
            continue
        # The page to fix the first failure on: the assessment, plan or census details.
        href = fix_url(found[0])
        errors = sum(1 for f in found if f.severity == "error")
        rules = ", ".join(sorted({f.rule for f in found}))
        items.append(
            WorkItem(
                group=GROUP,
                title=f"{reference.name}: fix the census record",
                href=href,
                detail=(
                    f"{_count(errors, 'error', 'errors')} and "
                    f"{_count(len(found) - errors, 'query', 'queries')} ({rules}): {found[0].message}"
                ),
            )
        )
    return items
