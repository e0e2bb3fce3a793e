"""The children's social work workforce census extract (CSWW, reference date 30 September).

One CSV in two parts: first one row per social worker in post on the reference date or
who left in the year to it (identified by their Social Work England number, never by
name), with the census's fields (``WORKER_FIELDS``); then, after a blank line, the
council's vacancy and agency figures (``COUNCIL_FIELDS``). Every cell goes through
``core.spreadsheets`` so that nothing typed can run as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum

from safeguard.core.spreadsheets import Cell, csv_text
from safeguard.workforce import figures
from safeguard.workforce.caseloads import case_counts
from safeguard.workforce.models import (
    Absence,
    AsyeOutcome,
    AsyeReviewKind,
    CoverKind,
    EmploymentKind,
    StaffRecord,
)

WORKER_FIELDS: tuple[str, ...] = (
    "LA code",
    "Social Work England registration number",
    "Agency worker",
    "Employment",
    "Role",
    "Grade",
    "FTE",
    "Start date in role",
    "Start date with the council",
    "Where they came from",
    "End date",
    "Where they went",
    "Reason for leaving",
    "Cases held at the reference date",
    "Working days lost to sickness in the year",
    "Route into social work",
    "Newly qualified (ASYE) status",
)

COUNCIL_FIELDS: tuple[str, ...] = ("LA code", "Reference date", "Measure", "Value")


def reference_date(today: dt.date) -> dt.date:
    return figures.census_date(today)


def _asye_status(record: StaffRecord) -> str:
    if record.asye_cohort_id is None:
        return "Not in ASYE"
    final = next((r for r in record.asye_reviews.all() if r.kind == AsyeReviewKind.FINAL), None)
    if final is not None and final.outcome == AsyeOutcome.PASSED:
        return "ASYE passed"
    if final is not None and final.outcome == AsyeOutcome.FAILED:
        return "ASYE not passed"
    return "In ASYE"


def worker_rows(on: dt.date) -> Iterator[list[Cell]]:
    year_before = on.replace(year=on.year - 1)
    records = list(
        figures.social_workers()
        .filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=year_before))
        .select_related("asye_cohort")
        .prefetch_related("asye_reviews", "grade_history")
        .order_by("social_work_england_number", "start_date")
    )
    sickness = dict(
        Absence.objects.filter(staff__in=records, starts_on__gt=year_before, starts_on__lte=on)
        .values("staff_id")
        .annotate(days=Sum("working_days_lost"))
        .values_list("staff_id", "days")
    )
    counts = case_counts([r.user_id for r in records if r.user_id is not None], on=on)
    for record in records:
        in_role = [h.since for h in record.grade_history.all() if h.grade == record.grade]
        left = record.end_date is not None and record.end_date <= on
        cases = sum(counts.get(record.user_id, {}).values()) if record.user_id and not left else 0
        yield [
            settings.COUNCIL_LA_CODE,
            record.social_work_england_number,
            "Yes" if record.kind == EmploymentKind.AGENCY else "No",
            record.get_kind_display(),
            record.get_census_role_display(),
            record.get_grade_display(),
            record.fte,
            (max(in_role) if in_role else record.start_date).isoformat(),
            record.start_date.isoformat(),
            record.get_origin_display(),
            record.end_date.isoformat() if left and record.end_date else "",
            record.destination if left else "",
            record.get_leaving_reason_display() if left else "",
            cases,
            Decimal(sickness.get(record.pk) or 0),
            record.get_entry_route_display(),
            _asye_status(record),
        ]


def council_rows(on: dt.date) -> Iterator[list[Cell]]:
    vacancies = figures.vacancies_open(on)
    agency = figures.in_post(on).filter(kind=EmploymentKind.AGENCY)
    covering = set(
        vacancies.filter(cover=CoverKind.AGENCY, covered_by__isnull=False).values_list(
            "covered_by_id", flat=True
        )
    )
    agency_ids = set(agency.values_list("pk", flat=True))
    vacancy_rate = figures.vacancy_rate(on=on)
    agency_rate = figures.agency_rate(on=on)
    measures: list[tuple[str, Cell]] = [
        ("Vacancies (FTE)", figures.vacancy_fte(on)),
        (
            "Vacancies covered by agency workers (FTE)",
            Decimal(vacancies.filter(cover=CoverKind.AGENCY).aggregate(t=Sum("fte"))["t"] or 0).quantize(
                Decimal("0.01")
            ),
        ),
        ("Agency workers (FTE)", agency_rate.numerator),
        ("Agency workers (headcount)", len(agency_ids)),
        ("Agency workers covering vacancies (headcount)", len(agency_ids & covering)),
        ("Agency workers not covering vacancies (headcount)", len(agency_ids - covering)),
        ("Social workers in post, employed (FTE)", agency_rate.denominator - agency_rate.numerator),
        ("Vacancy rate (%)", vacancy_rate.value if vacancy_rate.value is not None else ""),
        ("Agency worker rate (%)", agency_rate.value if agency_rate.value is not None else ""),
    ]
    for measure, value in measures:
        yield [settings.COUNCIL_LA_CODE, on.isoformat(), measure, value]


def census_csv(*, on: dt.date) -> str:
    rows: list[list[Cell]] = [
        list(WORKER_FIELDS),
        *worker_rows(on),
        [],
        list(COUNCIL_FIELDS),
        *council_rows(on),
    ]
    return csv_text(rows)
