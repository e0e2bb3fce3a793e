"""The workforce measures, with the DfE definitions of ``shared/domain/kpis.md``, computed in
the database for a date and for one team or the whole council.

Every function has the same shape, for the measures' definitions module to wire in::

    vacancy_rate(*, on: date, team: Team | None = None) -> Figure
    agency_rate(*, on: date, team: Team | None = None) -> Figure
    turnover(*, on: date, team: Team | None = None) -> Figure
    absence(*, on: date, team: Team | None = None) -> Figure
    caseload(*, on: date, team: Team | None = None,
             counts: Mapping[UUID, Mapping[str, int]] | None = None) -> Figure

and ``FIGURES`` maps each kpis.md id to its function; ``monthly(id, end=..., months=12,
team=None)`` gives a trend of month-end figures and ``BENCHMARKS`` the England values at
30 September 2025. A ``Figure`` holds ``numerator``, ``denominator`` and ``value`` (all
``Decimal``; ``value`` is ``None`` when the denominator is 0): for the rates ``value`` is a
percentage to one decimal place, for ``caseload`` children per FTE to one decimal place.

Who counts: social workers only (``StaffRecord.is_social_worker``); "in post on a day" is
started on or before it and not yet past the last day; "employed" is every kind but agency.

- ``vacancy_rate``: vacancies' FTE open on the day / (that + employed social workers' FTE).
- ``agency_rate``: agency social workers' FTE / (agency FTE + employed FTE), in post on the day.
- ``turnover``: FTE of employed social workers whose last day fell in the year ending on
  the day / employed social workers' FTE in post on the day.
- ``absence``: sickness days lost by employed social workers in absences that began in the
  year ending on the day / (their FTE in post on the day x the working days in that year,
  from ``core.calendar``).
- ``caseload``: children held by case-holding social workers (employed or agency) on the day
  / their FTE. The children are counted by casework, which workforce may not import: they
  come from the ``CaseCounter`` casework registers (``caseloads.py``), or from ``counts``
  (user key -> children by kind of case) when the caller has them, so the measures module
  (which may import casework) and the tests can pass them in. Weighting is for allocation,
  not for this measure: the DfE's caseload counts each child once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.db.models import Q, QuerySet, Sum

from safeguard.accounts.models import Team
from safeguard.core.calendar import add_calendar_months, working_days_between
from safeguard.workforce.caseloads import case_counts
from safeguard.workforce.models import Absence, EmploymentKind, LeavingReason, StaffRecord, Vacancy

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Figure:
    numerator: Decimal
    denominator: Decimal
    value: Decimal | None


def _ratio(numerator: Decimal, denominator: Decimal, *, scale: int) -> Figure:
    value = None
    if denominator:
        value = (numerator * scale / denominator).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    return Figure(numerator=numerator, denominator=denominator, value=value)


def _fte(records: QuerySet[StaffRecord]) -> Decimal:
    return Decimal(records.aggregate(total=Sum("fte"))["total"] or 0).quantize(Decimal("0.01"))


def social_workers(*, team: Team | None = None) -> QuerySet[StaffRecord]:
    records = StaffRecord.objects.filter(is_social_worker=True)
    return records.filter(team=team) if team is not None else records


def in_post(on: dt.date, *, team: Team | None = None) -> QuerySet[StaffRecord]:
    return (
        social_workers(team=team)
        .filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    )


def _year_before(on: dt.date) -> dt.date:
    """The day before the year ending ``on`` begins."""
    return add_calendar_months(on, -12)


def vacancies_open(on: dt.date, *, team: Team | None = None) -> QuerySet[Vacancy]:
    vacancies = Vacancy.objects.filter(opened_on__lte=on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )
    return vacancies.filter(post__team=team) if team is not None else vacancies


def vacancy_fte(on: dt.date, *, team: Team | None = None) -> Decimal:
    total = vacancies_open(on, team=team).aggregate(total=Sum("fte"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def vacancy_rate(*, on: dt.date, team: Team | None = None) -> Figure:
    vacant = vacancy_fte(on, team=team)
    employed = _fte(in_post(on, team=team).exclude(kind=EmploymentKind.AGENCY))
    return _ratio(vacant, vacant + employed, scale=100)


def agency_rate(*, on: dt.date, team: Team | None = None) -> Figure:
    staff = in_post(on, team=team)
    agency = _fte(staff.filter(kind=EmploymentKind.AGENCY))
    employed = _fte(staff.exclude(kind=EmploymentKind.AGENCY))
    return _ratio(agency, agency + employed, scale=100)


def leavers(on: dt.date, *, team: Team | None = None) -> QuerySet[StaffRecord]:
    """Employed social workers whose last day fell in the year ending ``on``."""
    return (
        social_workers(team=team)
        .exclude(kind=EmploymentKind.AGENCY)
        .filter(end_date__gt=_year_before(on), end_date__lte=on)
    )


def turnover(*, on: dt.date, team: Team | None = None) -> Figure:
    employed = _fte(in_post(on, team=team).exclude(kind=EmploymentKind.AGENCY))
    return _ratio(_fte(leavers(on, team=team)), employed, scale=100)


def absence(*, on: dt.date, team: Team | None = None) -> Figure:
    employed = in_post(on, team=team).exclude(kind=EmploymentKind.AGENCY)
    start = _year_before(on)
    lost = Absence.objects.filter(
        staff__in=social_workers(team=team).exclude(kind=EmploymentKind.AGENCY),
        starts_on__gt=start,
        starts_on__lte=on,
    ).aggregate(total=Sum("working_days_lost"))["total"]
    available = _fte(employed) * working_days_between(start, on)
    return _ratio(Decimal(lost or 0).quantize(ONE_PLACE), available, scale=100)


def caseload(
    *,
    on: dt.date,
    team: Team | None = None,
    counts: Mapping[uuid.UUID, Mapping[str, int]] | None = None,
) -> Figure:
    holders = in_post(on, team=team).filter(case_holding=True)
    user_ids = [pk for pk in holders.values_list("user_id", flat=True) if pk is not None]
    if counts is None:
        counts = case_counts(user_ids, on=on)
    children = sum(sum(counts.get(pk, {}).values()) for pk in user_ids)
    return _ratio(Decimal(children), _fte(holders), scale=1)


class FigureFunction(Protocol):
    def __call__(self, *, on: dt.date, team: Team | None = None) -> Figure: ...


FIGURES: dict[str, FigureFunction] = {
    "vacancy_rate": vacancy_rate,
    "agency_rate": agency_rate,
    "turnover": turnover,
    "caseload": caseload,
    "absence": absence,
}

# England at 30 September 2025 (kpis.md, workforce.md).
BENCHMARKS: dict[str, Decimal] = {
    "vacancy_rate": Decimal("14.2"),
    "agency_rate": Decimal("13.0"),
    "turnover": Decimal("11.8"),
    "caseload": Decimal("15.2"),
    "absence": Decimal("3.5"),
}

LABELS: dict[str, str] = {
    "vacancy_rate": "Social worker vacancy rate",
    "agency_rate": "Agency worker rate",
    "turnover": "Turnover",
    "caseload": "Average caseload",
    "absence": "Sickness absence",
}


def census_date(on: dt.date) -> dt.date:
    """The latest 30 September on or before ``on`` (the census reference date)."""
    this_year = dt.date(on.year, 9, 30)
    return this_year if on >= this_year else dt.date(on.year - 1, 9, 30)


def month_ends(end: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the ``months`` months up to ``end``'s month, oldest first."""
    first_of_next = dt.date(end.year + end.month // 12, end.month % 12 + 1, 1)
    return [add_calendar_months(first_of_next, -i) - dt.timedelta(days=1) for i in range(months - 1, -1, -1)]


def monthly(
    figure_id: str, *, end: dt.date, months: int = 12, team: Team | None = None
) -> list[tuple[dt.date, Figure]]:
    function: Callable[..., Figure] = FIGURES[figure_id]
    return [(day, function(on=day, team=team)) for day in month_ends(end, months)]


def leaving_reasons(*, on: dt.date, team: Team | None = None) -> list[tuple[str, int]]:
    """Leavers in the year ending ``on`` by reason, most common first."""
    labels = dict(LeavingReason.choices)
    counted = Counter(
        labels.get(r or "other", "Other or not known")
        for r in leavers(on, team=team).values_list("leaving_reason", flat=True)
    )
    return counted.most_common()
