"""Caseloads: the children each worker holds, weighted, against their limits.

Cases live in casework, which sits above workforce and which workforce may not import
(docs/adr/0008-layers.md). So workforce defines the small protocol it needs, a
``CaseCounter``: given users' keys and a date, the children each held on that date, by
kind of case (``"cp_plan"``, ``"cin_plan"``, ``"other"``). Casework registers its counter
when it starts (``casework.apps.CaseworkConfig.ready`` calls ``case_counter_register``),
exactly as it registers its history source with people; a caller may also pass counts in
directly (the figures and their tests do). With no counter registered every count is 0.

The weights per kind of case are configuration (``rules.case_weights``, settings
``WORKFORCE_CASE_WEIGHTS``); a worker's capacity is their team's caseload policy times
their FTE, and a newly qualified worker's protected limit is ``rules.asye_protected_limit``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from safeguard.accounts.models import User
from safeguard.workforce.models import Absence, StaffRecord
from safeguard.workforce.rules import asye_protected_limit, weighted_caseload

CaseCounts = Mapping[str, int]
CaseCounter = Callable[[Collection[uuid.UUID], dt.date], Mapping[uuid.UUID, CaseCounts]]

_COUNTERS: list[CaseCounter] = []


def case_counter_register(counter: CaseCounter) -> CaseCounter:
    """Name the function that counts the children each worker holds (called from ``ready``)."""
    if counter not in _COUNTERS:
        _COUNTERS.append(counter)
    return counter


def case_counts(user_ids: Collection[uuid.UUID], *, on: dt.date) -> dict[uuid.UUID, dict[str, int]]:
    """Children held on ``on`` by each of ``user_ids``, by kind, from every registered counter."""
    totals: dict[uuid.UUID, dict[str, int]] = {pk: {} for pk in user_ids}
    for counter in _COUNTERS:
        for pk, by_kind in counter(user_ids, on).items():
            row = totals.setdefault(pk, {})
            for kind, count in by_kind.items():
                row[kind] = row.get(kind, 0) + count
    return totals


def asye_start_of(staff: StaffRecord) -> dt.date | None:
    if staff.asye_cohort is None:
        return None
    return max(staff.start_date, staff.asye_cohort.starts_on)


@dataclass(frozen=True)
class WorkerLoad:
    """One worker's caseload on a day, and what stands against allocating more."""

    user: User
    staff: StaffRecord | None
    children: int
    weighted: Decimal
    capacity: Decimal
    asye_limit: int | None
    absent: bool
    left: bool

    @property
    def fte(self) -> Decimal:
        """The hours the capacity is worked out from: the staff record's, else the account's."""
        return Decimal(self.staff.fte if self.staff is not None else self.user.fte)

    @property
    def over_policy(self) -> bool:
        return self.weighted > self.capacity

    def over_asye_limit_with(self, extra: Decimal = Decimal(0)) -> bool:
        return self.asye_limit is not None and self.weighted + extra > self.asye_limit

    @property
    def refusal(self) -> str | None:
        """Why nobody may allocate a child to this worker at all."""
        if self.left:
            return f"{self.user.display_name} has left the council: choose someone who works here"
        return None

    def warnings(self, *, adding: Decimal = Decimal(1)) -> list[str]:
        """Why allocating one more child (weighing ``adding``) needs a reason."""
        name = self.user.display_name
        found = []
        if self.absent:
            found.append(f"{name} is absent")
        if self.over_asye_limit_with(adding):
            found.append(
                f"{name} is in their assessed and supported year: their protected caseload is "
                f"{self.asye_limit} and this would make it {float(self.weighted + adding):g}"
            )
        return found


def worker_loads(
    users: Iterable[User], *, on: dt.date, counts: Mapping[uuid.UUID, CaseCounts] | None = None
) -> dict[uuid.UUID, WorkerLoad]:
    """Each user's ``WorkerLoad`` on ``on`` (counts from the registered counter unless given)."""
    users = list(users)
    pks = [u.pk for u in users]
    if counts is None:
        counts = case_counts(pks, on=on)
    records = {
        s.user_id: s
        for s in StaffRecord.objects.filter(user_id__in=pks).select_related("asye_cohort", "team")
    }
    absent = set(
        Absence.objects.filter(staff__user_id__in=pks, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .values_list("staff__user_id", flat=True)
    )
    loads = {}
    for user in users:
        staff = records.get(user.pk)
        by_kind = dict(counts.get(user.pk, {}))
        fte = staff.fte if staff is not None else user.fte
        policy = user.team.caseload_policy if user.team is not None else 0
        began = asye_start_of(staff) if staff is not None else None
        left = not user.is_active or (
            staff is not None and staff.end_date is not None and staff.end_date < on
        )
        loads[user.pk] = WorkerLoad(
            user=user,
            staff=staff,
            children=sum(by_kind.values()),
            weighted=weighted_caseload(by_kind),
            capacity=Decimal(policy) * Decimal(fte),
            asye_limit=asye_protected_limit(began, on) if began is not None else None,
            absent=user.pk in absent,
            left=left,
        )
    return loads
