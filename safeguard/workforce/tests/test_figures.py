"""The workforce measures against figures worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.workforce import figures
from safeguard.workforce.caseloads import _COUNTERS, case_counter_register
from safeguard.workforce.models import Absence, EmploymentKind, Vacancy
from safeguard.workforce.tests.factories import PostFactory, StaffRecordFactory

pytestmark = pytest.mark.django_db
D = dt.date
CENSUS = D(2025, 9, 30)


@pytest.fixture
def council():
    """Team A on 30 September 2025, worked by hand:

    employed in post: 1.0 + 1.0 + 1.0 + 0.5 = 3.5 FTE; agency in post: 1.0 FTE;
    vacancies open: 1.0 + 0.5 = 1.5 FTE (a third closed in August does not count);
    leavers in the year to 30 September: one 1.0 FTE (31 March 2025); one who left on
    1 September 2024 is outside the year; an agency leaver is not turnover;
    sickness: 10 + 5.5 = 15.5 days in the year (an absence from August 2024 is outside it);
    a business support officer counts nowhere. Team B has one employed social worker.
    """
    team, other = TeamFactory(), TeamFactory()
    post = PostFactory(team=team, funded_fte=Decimal("6"))
    a = StaffRecordFactory(team=team, start_date=D(2020, 1, 1))
    b = StaffRecordFactory(team=team, start_date=D(2021, 1, 1))
    StaffRecordFactory(team=team, start_date=D(2025, 9, 30), kind=EmploymentKind.FIXED_TERM)
    StaffRecordFactory(team=team, start_date=D(2022, 1, 1), fte=Decimal("0.5"), end_date=D(2025, 12, 31))
    StaffRecordFactory(team=team, start_date=D(2025, 1, 1), kind=EmploymentKind.AGENCY)
    StaffRecordFactory(team=team, start_date=D(2025, 10, 1))  # not yet started
    StaffRecordFactory(team=team, start_date=D(2019, 1, 1), end_date=D(2025, 3, 31))
    StaffRecordFactory(team=team, start_date=D(2019, 1, 1), end_date=D(2024, 9, 1), fte=Decimal("0.8"))
    StaffRecordFactory(
        team=team, start_date=D(2024, 1, 1), end_date=D(2025, 6, 30), kind=EmploymentKind.AGENCY
    )
    StaffRecordFactory(team=team, start_date=D(2019, 1, 1), is_social_worker=False, grade="business_support")
    StaffRecordFactory(team=other, start_date=D(2019, 1, 1))
    Vacancy.objects.create(post=post, fte=Decimal("1.0"), opened_on=D(2025, 3, 1))
    Vacancy.objects.create(post=post, fte=Decimal("0.5"), opened_on=D(2025, 9, 1), closed_on=D(2025, 10, 5))
    Vacancy.objects.create(post=post, fte=Decimal("1.0"), opened_on=D(2025, 1, 1), closed_on=D(2025, 8, 1))
    Absence.objects.create(
        staff=a, starts_on=D(2025, 2, 3), ends_on=D(2025, 2, 14), working_days_lost=Decimal(10)
    )
    Absence.objects.create(staff=b, starts_on=D(2025, 6, 2), working_days_lost=Decimal("5.5"))
    Absence.objects.create(staff=b, starts_on=D(2024, 8, 1), working_days_lost=Decimal(20))
    return team, other


def test_vacancy_rate(council):
    team, _ = council
    figure = figures.vacancy_rate(on=CENSUS, team=team)
    # 1.5 / (1.5 + 3.5) = 30.0%
    assert (figure.numerator, figure.denominator, figure.value) == (
        Decimal("1.50"),
        Decimal("5.00"),
        Decimal("30.0"),
    )


def test_agency_rate(council):
    team, _ = council
    figure = figures.agency_rate(on=CENSUS, team=team)
    # 1.0 / (1.0 + 3.5) = 22.22...% -> 22.2
    assert (figure.numerator, figure.denominator, figure.value) == (
        Decimal("1.00"),
        Decimal("4.50"),
        Decimal("22.2"),
    )


def test_turnover(council):
    team, _ = council
    figure = figures.turnover(on=CENSUS, team=team)
    # 1.0 / 3.5 = 28.57...% -> 28.6
    assert (figure.numerator, figure.denominator, figure.value) == (
        Decimal("1.00"),
        Decimal("3.50"),
        Decimal("28.6"),
    )


def test_absence(council):
    team, _ = council
    figure = figures.absence(on=CENSUS, team=team)
    # 15.5 / (3.5 FTE x 253 working days: 261 weekdays from 1 October 2024 to 30 September
    # 2025 less 8 bank holidays) = 15.5 / 885.5 = 1.750...% -> 1.8
    assert (figure.numerator, figure.denominator, figure.value) == (
        Decimal("15.5"),
        Decimal("885.50"),
        Decimal("1.8"),
    )


def test_the_council_adds_every_team(council):
    # Team B adds 1.0 FTE employed: vacancies 1.5 / (1.5 + 4.5) = 25.0%.
    assert figures.vacancy_rate(on=CENSUS).value == Decimal("25.0")
    assert figures.turnover(on=CENSUS).value == Decimal("22.2")


def test_caseload_from_counts_given_or_from_the_registered_counter():
    team = TeamFactory()
    one, two = UserFactory(team=team), UserFactory(team=team)
    StaffRecordFactory(team=team, user=one, start_date=D(2024, 1, 1))
    StaffRecordFactory(team=team, user=two, start_date=D(2024, 1, 1), fte=Decimal("0.5"))
    StaffRecordFactory(team=team, start_date=D(2024, 1, 1), case_holding=False)
    counts = {one.pk: {"cp_plan": 6, "other": 12}, two.pk: {"other": 5}}
    # (18 + 5) children / 1.5 FTE = 15.33 -> 15.3; the non-case-holder's FTE is not counted.
    figure = figures.caseload(on=CENSUS, team=team, counts=counts)
    assert (figure.numerator, figure.denominator, figure.value) == (
        Decimal(23),
        Decimal("1.50"),
        Decimal("15.3"),
    )

    def counter(user_ids, on):
        return {pk: counts[pk] for pk in user_ids if pk in counts}

    case_counter_register(counter)
    try:
        assert figures.caseload(on=CENSUS, team=team).value == Decimal("15.3")
    finally:
        _COUNTERS.remove(counter)


def test_no_one_in_post_gives_no_value():
    figure = figures.vacancy_rate(on=CENSUS, team=TeamFactory())
    assert figure.value is None and figure.denominator == 0


def test_monthly_trend_and_leaving_reasons(council):
    team, _ = council
    trend = figures.monthly("vacancy_rate", end=CENSUS, months=3, team=team)
    assert [day for day, _ in trend] == [D(2025, 7, 31), D(2025, 8, 31), D(2025, 9, 30)]
    # 31 July: 2.0 FTE vacant (the March and January vacancies) over 2.0 + 2.5 employed
    # (1.0 + 1.0 + 0.5: the 30 September starter is not yet in post) = 44.4%.
    assert trend[0][1].value == Decimal("44.4")
    assert figures.leaving_reasons(on=CENSUS, team=team) == [("Other or not known", 1)]


def test_census_date():
    assert figures.census_date(D(2025, 9, 29)) == D(2024, 9, 30)
    assert figures.census_date(D(2025, 12, 4)) == D(2025, 9, 30)
