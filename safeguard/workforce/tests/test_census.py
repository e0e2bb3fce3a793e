"""The workforce census extract: every field, the council's figures, and no live formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.workforce.caseloads import _COUNTERS, case_counter_register
from safeguard.workforce.census import COUNCIL_FIELDS, WORKER_FIELDS, census_csv
from safeguard.workforce.models import Absence, CoverKind, EmploymentKind, Vacancy
from safeguard.workforce.tests.factories import PostFactory, StaffRecordFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 9, 30)


def _parts(text: str) -> tuple[list[list[str]], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    gap = rows.index([])
    return rows[:gap], rows[gap + 1 :]


@pytest.fixture
def council():
    holder = UserFactory()
    worker = StaffRecordFactory(
        user=holder,
        team=holder.team,
        social_work_england_number="SW100001",
        start_date=dt.date(2023, 1, 9),
        destination='=HYPERLINK("x")',
    )
    Absence.objects.create(staff=worker, starts_on=dt.date(2025, 3, 3), working_days_lost=Decimal("4.5"))
    agency = StaffRecordFactory(
        kind=EmploymentKind.AGENCY, social_work_england_number="SW100002", start_date=dt.date(2025, 1, 6)
    )
    StaffRecordFactory(
        social_work_england_number="SW100003",
        start_date=dt.date(2020, 1, 6),
        end_date=dt.date(2025, 5, 30),
        leaving_reason="retired",
        destination="=cmd|' /C calc'!A0",
    )
    StaffRecordFactory(
        social_work_england_number="SW100004", start_date=dt.date(2020, 1, 6), end_date=dt.date(2024, 5, 30)
    )
    post = PostFactory(funded_fte=Decimal(3))
    Vacancy.objects.create(
        post=post, fte=Decimal(1), opened_on=dt.date(2025, 6, 1), cover=CoverKind.AGENCY, covered_by=agency
    )
    Vacancy.objects.create(post=post, fte=Decimal("0.5"), opened_on=dt.date(2025, 6, 1))

    def counter(user_ids, on):
        return {holder.pk: {"cp_plan": 4, "other": 11}} if holder.pk in user_ids else {}

    case_counter_register(counter)
    yield
    _COUNTERS.remove(counter)


def test_one_row_per_social_worker_with_every_census_field(council):
    workers, council_part = _parts(census_csv(on=ON))
    assert workers[0] == list(WORKER_FIELDS)
    by_number = {row[1]: dict(zip(WORKER_FIELDS, row, strict=True)) for row in workers[1:]}
    # In post, the agency worker, and the leaver in the year; not the leaver of 2024.
    assert set(by_number) == {"SW100001", "SW100002", "SW100003"}
    held = by_number["SW100001"]
    assert held["Cases held at the reference date"] == "15"
    assert held["Working days lost to sickness in the year"] == "4.5"
    assert held["Agency worker"] == "No" and by_number["SW100002"]["Agency worker"] == "Yes"
    left = by_number["SW100003"]
    assert (left["End date"], left["Reason for leaving"]) == ("2025-05-30", "Retired")
    # Typed text never reaches a spreadsheet as a formula; a current worker's old destination is not shown.
    assert left["Where they went"] == "'=cmd|' /C calc'!A0"
    assert held["Where they went"] == ""
    assert council_part[0] == list(COUNCIL_FIELDS)
    figures = {row[2]: row[3] for row in council_part[1:]}
    assert figures["Vacancies (FTE)"] == "1.50"
    assert figures["Vacancies covered by agency workers (FTE)"] == "1.00"
    assert figures["Agency workers (headcount)"] == "1"
    assert figures["Agency workers covering vacancies (headcount)"] == "1"
    # 1.5 / (1.5 + 1.0 employed) = 60.0%; agency 1.0 / 2.0 = 50.0%
    assert figures["Vacancy rate (%)"] == "60.0"
    assert figures["Agency worker rate (%)"] == "50.0"


def test_the_command_writes_the_file(council, tmp_path):
    out = io.StringIO()
    call_command(
        "workforce_census", "--output", str(tmp_path / "csww.csv"), "--date", "2025-09-30", stdout=out
    )
    assert "3 social workers at 30 September 2025" in out.getvalue()
    assert (tmp_path / "csww.csv").read_text().startswith("LA code,Social Work England registration number")
    with pytest.raises(CommandError):
        call_command("workforce_census", "--output", str(tmp_path / "x.csv"), "--date", "30/09/2025")


def test_the_lead_downloads_it(client, council):
    client.force_login(UserFactory(role=Role.WORKFORCE_LEAD))
    response = client.get(reverse("workforce:census"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
