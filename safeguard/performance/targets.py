"""The council's local targets, and a figure's status against its target in words.

A target is set per measure by a director or a performance analyst (the council's own
ambition, often near England's figure) and stored as a ``LocalTarget`` row; no row means
no target. "Close" is within a tolerance of it on the wrong side (2.5 percentage points for
a percentage, 10% of the target otherwise). Measures that describe demand rather than
performance (contacts, referrals) have no target: more is neither better nor worse.

The stored targets are read in one query and kept in the cache (``TARGETS_CACHE_SECONDS``),
so a page of figures asks the database once at most however many measures it shows; a
change through ``local_targets_save`` drops them and the measures pages' cache.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safeguard.accounts.models import User
from safeguard.accounts.policy import LOCAL_TARGET_ROLES
from safeguard.audit.services import audit_event_record, audited_create, audited_update
from safeguard.performance.measure_models import LocalTarget
from safeguard.performance.measures import REGISTRY, Better, Measure, Unit
from safeguard.performance.snapshots import cache_bump

# What the council's targets were before they could be set on the page; the migration that
# made ``LocalTarget`` stored these, and the demo council starts with them.
DEFAULT_TARGETS: dict[str, float] = {
    "re_referrals": 20.0,
    "assessments_45": 90.0,
    "assessments_45_from_referral": 85.0,
    "assessment_median": 30.0,
    "icpc_15": 85.0,
    "icpc_median": 14.0,
    "cp_repeat": 20.0,
    "cp_two_years": 4.0,
    "cp_reviews_on_time": 95.0,
    "cp_visits_on_time": 90.0,
}

TARGETS_CACHE_KEY = "performance:local-targets"
# Each server process keeps its own cache: another process sees a change within this time.
TARGETS_CACHE_SECONDS = 30

# The range a target may take, by unit (inclusive), and how the page words it.
RANGES: dict[Unit, tuple[float, float, str]] = {
    Unit.PERCENT: (0.0, 100.0, "a percentage from 0 to 100"),
    Unit.WORKING_DAYS: (0.0, 260.0, "a number of working days from 0 to 260"),
    Unit.RATIO: (0.0, 100.0, "a number of cases per full-time worker from 0 to 100"),
    Unit.PER_10K: (0.0, 10_000.0, "a rate per 10,000 children from 0 to 10,000"),
    Unit.COUNT: (0.0, 1_000_000.0, "a count from 0 to 1,000,000"),
}


class Status:
    ON = "On target"
    CLOSE = "Close to target"
    OFF = "Off target"
    NONE = "No target"
    NO_DATA = "No data"


@dataclass(frozen=True)
class TargetStatus:
    target: float | None
    words: str

    @property
    def tag_colour(self) -> str:
        return {
            Status.ON: "govuk-tag--green",
            Status.CLOSE: "govuk-tag--yellow",
            Status.OFF: "govuk-tag--red",
        }.get(self.words, "govuk-tag--grey")


def may_have_target(m: Measure) -> bool:
    """A measure of demand (more is neither better nor worse) has no target."""
    return m.better != Better.NEITHER


def may_set_targets(user: User) -> bool:
    return user.is_authenticated and user.role in LOCAL_TARGET_ROLES


def local_targets() -> dict[str, float]:
    """Every stored target by measure id: one query, then the cache until one changes."""
    known = cache.get(TARGETS_CACHE_KEY)
    if isinstance(known, dict):
        return known
    found = dict(LocalTarget.objects.values_list("measure", "value"))
    cache.set(TARGETS_CACHE_KEY, found, TARGETS_CACHE_SECONDS)
    return found


def local_target_rows() -> dict[str, LocalTarget]:
    """The stored targets with who set them, for the page that sets them."""
    return {t.measure: t for t in LocalTarget.objects.select_related("modified_by")}


def target_status(
    m: Measure, value: float | None, targets: Mapping[str, float] | None = None
) -> TargetStatus:
    """``value`` against the measure's target (``targets``, or the stored ones)."""
    if not may_have_target(m):
        return TargetStatus(None, Status.NONE)
    target = (local_targets() if targets is None else targets).get(m.id)
    if target is None:
        return TargetStatus(None, Status.NONE)
    if value is None:
        return TargetStatus(target, Status.NO_DATA)
    shortfall = target - value if m.better == Better.HIGHER else value - target
    if shortfall <= 0:
        return TargetStatus(target, Status.ON)
    tolerance = 2.5 if m.unit == Unit.PERCENT else 0.1 * target
    return TargetStatus(target, Status.CLOSE if shortfall <= tolerance else Status.OFF)


def range_words(m: Measure) -> str:
    return RANGES[m.unit][2]


def target_parse(m: Measure, raw: str | float | None) -> float | None:
    """A target as typed (``None`` or blank: no target), or a ``ValidationError`` saying why not."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str):
        typed = raw.strip().replace(",", "")
        if m.unit == Unit.PERCENT:
            typed = typed.removesuffix("%").strip()
        try:
            value = float(typed)
        except ValueError:
            raise ValidationError(
                f"The target for {m.name.lower()} must be a number, like 20 or 85.5, not “{raw.strip()}”"
            ) from None
    else:
        value = float(raw)
    low, high, words = RANGES[m.unit]
    if not math.isfinite(value) or not low <= value <= high:
        raise ValidationError(f"The target for {m.name.lower()} must be {words}")
    return round(value, 1)


def _clean(values: Mapping[str, str | float | None]) -> dict[str, float | None]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, float | None] = {}
    for measure_id, raw in values.items():
        m = REGISTRY.get(measure_id)
        if m is None:
            errors.setdefault("__all__", []).append(f"There is no measure “{measure_id}”")
            continue
        if not may_have_target(m):
            errors.setdefault(measure_id, []).append(f"{m.name} describes demand, so it cannot have a target")
            continue
        try:
            cleaned[measure_id] = target_parse(m, raw)
        except ValidationError as error:
            errors.setdefault(measure_id, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _dropped() -> None:
    cache.delete(TARGETS_CACHE_KEY)
    cache_bump()


def local_targets_save(*, actor: User, values: Mapping[str, str | float | None]) -> list[str]:
    """Set or clear (a blank or ``None``) the target of each measure in ``values``.

    Every value is checked first, and nothing is saved if any is wrong: an unknown measure,
    a measure of demand, text, or a number outside the unit's range (a percentage from 0 to
    100). Each change is audited; a target left as it was is not. Returns the ids of the
    measures whose target changed; the cached targets and measures pages are dropped when
    the change is committed."""
    if not may_set_targets(actor):
        raise PermissionDenied("Only directors and performance analysts set the local targets")
    cleaned = _clean(values)
    changed: list[str] = []
    with transaction.atomic():
        stored = {t.measure: t for t in LocalTarget.objects.select_for_update().filter(measure__in=cleaned)}
        for measure_id, value in cleaned.items():
            row = stored.get(measure_id)
            if row is None and value is None:
                continue
            if row is None:
                audited_create(
                    LocalTarget,
                    actor=actor,
                    action="local_target_set",
                    values={"measure": measure_id, "value": value},
                    child_id=None,
                )
            elif value is None:
                audit_event_record(
                    actor=actor,
                    action="local_target_clear",
                    instance=row,
                    changes={
                        "measure": {"before": measure_id, "after": None},
                        "value": {"before": row.value, "after": None},
                    },
                )
                row.delete()
            elif row.value != value:
                audited_update(
                    row, actor=actor, action="local_target_set", values={"value": value}, child_id=None
                )
            else:
                continue
            changed.append(measure_id)
        if changed:
            transaction.on_commit(_dropped)
    return changed


def local_targets_seed() -> int:
    """The demo council's targets, as an installation starts with (no audit event: nobody
    set them). Only when there are none; the number of targets stored."""
    if LocalTarget.objects.exists():
        return 0
    made = LocalTarget.objects.bulk_create(
        LocalTarget(measure=k, value=v) for k, v in DEFAULT_TARGETS.items()
    )
    cache.delete(TARGETS_CACHE_KEY)
    return len(made)
