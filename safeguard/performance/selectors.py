"""Reads for the measures pages: whose figures a viewer may see, the figures beside their
comparators and targets (cached until the records change), and the children behind one."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from safeguard.accounts.models import CASE_HOLDING_ROLES, RECEIVING_TEAM_KINDS, Role, Service, Team, User
from safeguard.accounts.policy import MEASURE_SCOPE, Action, Scope
from safeguard.audit.models import AccessKind
from safeguard.audit.services import access_log_record_list
from safeguard.casework.models import (
    Assessment,
    ChildProtectionPlan,
    ChildProtectionReview,
    CINEpisode,
    Section47Enquiry,
    Visit,
)
from safeguard.frontdoor.models import Contact
from safeguard.people.models import Person
from safeguard.people.permissions import children_for
from safeguard.performance import measures
from safeguard.performance.benchmarks import Comparator, comparators
from safeguard.performance.measure_models import MeasureSnapshot
from safeguard.performance.measures import REGISTRY, Figure, Level, Measure, Window, compute_all
from safeguard.performance.snapshots import cache_version
from safeguard.performance.targets import TargetStatus, local_targets, target_status

CACHE_SECONDS = 6 * 60 * 60
CHILDREN_SHOWN = 500


def measure_scope(user: User) -> Scope:
    try:
        return MEASURE_SCOPE.get(Role(user.role), Scope.NONE)
    except ValueError:
        return Scope.NONE


def _team(user: User) -> Team | None:
    return Team.objects.select_related("service").filter(pk=user.team_id).first() if user.team_id else None


def scopes_for(user: User) -> list[measures.Scope]:
    """Every scope whose figures ``user`` may open, widest first."""
    reach = measure_scope(user)
    team = _team(user)
    teams = Team.objects.filter(kind__in=RECEIVING_TEAM_KINDS).select_related("service").order_by("name")
    found: list[measures.Scope] = []
    if reach == Scope.ALL:
        found.append(measures.Scope.council())
        found += [measures.Scope.of_service(s.pk, s.name) for s in Service.objects.order_by("name")]
        found += [measures.Scope.of_team(t) for t in teams]
    elif reach == Scope.SERVICE and team is not None:
        found.append(measures.Scope.of_service(team.service_id, team.service.name))
        found += [measures.Scope.of_team(t) for t in teams.filter(service_id=team.service_id)]
    elif reach == Scope.TEAM and team is not None:
        found.append(measures.Scope.of_team(team))
    if reach >= Scope.TEAM and team is not None:
        workers = User.objects.filter(team=team, role__in=CASE_HOLDING_ROLES, is_active=True)
        found += [measures.Scope.of_worker(w) for w in workers.order_by("last_name", "first_name")]
    return found


def scope_choose(user: User, key: str | None) -> measures.Scope:
    """The scope named by ``key`` ("team:<id>"), if ``user`` may see it; their widest by default.

    Raises ``PermissionDenied`` for a viewer with no measures at all, and a
    ``ValidationError`` (keyed "scope") for a scope they may not see or that does not exist."""
    allowed = scopes_for(user)
    if not allowed:
        raise PermissionDenied("Your role does not show performance measures")
    if not key:
        return allowed[0]
    for scope in allowed:
        if scope.key == key:
            return scope
    raise ValidationError(
        {"scope": f"You can see the measures of {allowed[0].label} and the teams and workers within it only"}
    )


def _fingerprint() -> str:
    """Changes whenever a record a measure reads is added, changed or removed (or the
    month-end job runs). Reading it scans the tables' change times, so on a large council it
    is itself kept for ``MEASURES_FINGERPRINT_SECONDS`` (a change shows within that time)."""
    seconds = int(getattr(settings, "MEASURES_FINGERPRINT_SECONDS", 30))
    key = f"performance:fingerprint:{cache_version()}"
    if seconds > 0:
        known = cache.get(key)
        if known is not None:
            return str(known)
    found = _fingerprint_read()
    if seconds > 0:
        cache.set(key, found, seconds)
    return found


def _fingerprint_read() -> str:
    parts: list[Any] = [cache_version()]
    for model in (
        Contact,
        CINEpisode,
        Assessment,
        Section47Enquiry,
        ChildProtectionPlan,
        ChildProtectionReview,
        Visit,
    ):
        parts.append(model.objects.aggregate(n=Count("pk"), at=Max("modified_at")))
    parts.append(Person.objects.filter(is_sealed=True).aggregate(n=Count("pk"), at=Max("modified_at")))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Row:
    figure: Figure
    comparators: list[Comparator]
    target: TargetStatus

    @property
    def measure(self) -> Measure:
        return self.figure.measure

    @property
    def england(self) -> Comparator | None:
        return next((c for c in self.comparators if c.area == "England"), None)

    @property
    def others(self) -> list[Comparator]:
        return [c for c in self.comparators if c.area != "England"]


@dataclass(frozen=True)
class MeasuresPage:
    scope: measures.Scope
    window: Window
    groups: list[tuple[str, list[Row]]]
    computed_at: dt.datetime
    from_cache: bool


def _figures_cached(window: Window, scope: measures.Scope) -> tuple[list[Figure], dt.datetime, bool]:
    w = window
    key = f"performance:page:{_fingerprint()}:{scope.key}:{w.start}:{w.end}:{w.snapshot}:{w.population}"
    cached = cache.get(key)
    if cached is not None:
        at, plain = cached
        figures = [
            Figure(REGISTRY[mid], scope, window, num, den, value, available, reason)
            for mid, num, den, value, available, reason in plain
        ]
        return figures, at, True
    figures = compute_all(window=window, scope=scope)
    at = timezone.now()
    plain = [(f.id, f.numerator, f.denominator, f.value, f.available, f.reason) for f in figures]
    cache.set(key, (at, plain), CACHE_SECONDS)
    return figures, at, False


def measures_page(*, user: User, window: Window, scope: measures.Scope) -> MeasuresPage:
    """Every figure for ``scope`` (which the caller has had from ``scope_choose``)."""
    figures, at, from_cache = _figures_cached(window, scope)
    by_measure = comparators()
    groups: dict[str, list[Row]] = {}
    targets = local_targets()
    for f in figures:
        row = Row(f, by_measure.get(f.measure.england_key, []), target_status(f.measure, f.value, targets))
        groups.setdefault(f.measure.group, []).append(row)
    return MeasuresPage(scope, window, list(groups.items()), at, from_cache)


@dataclass(frozen=True)
class ChildrenBehind:
    figure: Figure
    part: str
    children: list[Person]
    total: int
    shown_limit: int

    @property
    def hidden(self) -> int:
        """Children behind the figure that the viewer may not open (closed, or elsewhere)."""
        return self.total - self.visible_total

    visible_total: int = 0


def children_behind_figure(
    *,
    user: User,
    measure_id: str,
    part: str,
    window: Window,
    scope: measures.Scope,
    request: HttpRequest | None = None,
) -> ChildrenBehind:
    """The children in a figure's numerator or denominator that ``user`` may view, logged
    as a list read. An unknown measure, or one with no list, is a 404 to the view."""
    m = REGISTRY.get(measure_id)
    if m is None or m.records is None or part not in ("numerator", "denominator"):
        raise LookupError(measure_id)
    figure = measures.compute(measure_id, window=window, scope=scope)
    if not figure.available:
        raise LookupError(measure_id)
    behind = measures.children_behind(m, window=window, scope=scope, part=part)
    visible: QuerySet[Person] = behind.filter(pk__in=children_for(user, Action.VIEW))
    total = behind.count()
    visible_total = visible.count()
    children = list(visible[:CHILDREN_SHOWN])
    access_log_record_list(
        user=user,
        what=AccessKind.CHILD_LIST,
        model=Person,
        detail=(
            f"Children behind the measure {m.id} ({part}), {scope.key}, "
            f"{window.start}..{window.end} at {window.snapshot}: {len(children)} shown of {total}"
        ),
        request=request,
    )
    return ChildrenBehind(figure, part, children, total, CHILDREN_SHOWN, visible_total)


def snapshot_rows(*, scope: measures.Scope, month_end: dt.date) -> list[MeasureSnapshot]:
    return list(
        MeasureSnapshot.objects.filter(
            month_end=month_end, scope_level=scope.level, scope_id=scope.id
        ).order_by("measure")
    )


def worker_scope_ids(scopes: list[measures.Scope]) -> set[uuid.UUID]:
    return {s.id for s in scopes if s.level == Level.WORKER and s.id is not None}
