"""The analysis of need, on hand-worked fixtures: every count below can be checked by eye."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.test import override_settings

from safeguard.casework.models import Assessment, CINEpisode
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.core.codes import Disability, Ethnicity, PrimaryNeed, ReferralSource
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.models import Person, PersonDisability
from safeguard.people.tests.factories import AddressFactory, ChildFactory
from safeguard.performance import need
from safeguard.performance.need_models import ChildPopulation, PopulationKind, PostcodeWard

pytestmark = pytest.mark.django_db

PERIOD = need.Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
MARCH = dt.date(2026, 3, 2)


def _child(postcode: str | None = "HM1 4AB", **fields: Any) -> Person:
    child = ChildFactory(**fields)
    if postcode:
        AddressFactory(person=child, postcode=postcode, start_date=dt.date(2020, 1, 1))
    return child


def _refer(child: Person, day: dt.date = MARCH, **fields: Any) -> CINEpisode:
    return EpisodeFactory(child=child, referral_date=day, **fields)


def _groups(qs: Any) -> dict[str, str]:
    return {given: group for given, group in qs.values_list("child__given_name", "group")}


def _localities(*, wards: bool = False, contacts: bool = False) -> dict[str, int]:
    """How many referrals (or contacts) the analysis counts in each district (or ward)."""
    dims = need._dimensions(wards=wards)
    cubes = need._cubes(PERIOD, dims)
    key = "g_ward" if wards else "g_district"
    counts: Counter[str] = Counter()
    for row in cubes.contacts if contacts else cubes.referrals:
        counts[row[key]] += row["n"]
    return dict(counts)


def _contact(day: dt.date, **fields: Any) -> Contact:
    contact = make_contact(received_at=dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC))
    Contact.objects.filter(pk=contact.pk).update(**fields)
    contact.refresh_from_db()
    return contact


def test_last_twelve_months_are_whole_calendar_months() -> None:
    assert need.last_twelve_months(dt.date(2027, 1, 15)) == PERIOD
    assert need.last_twelve_months(dt.date(2026, 3, 1)) == need.Period(
        dt.date(2025, 3, 1), dt.date(2026, 2, 28)
    )
    with pytest.raises(ValueError, match="end on or after"):
        need.Period(dt.date(2026, 2, 1), dt.date(2026, 1, 31))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([7, 6, 5, 5], [7, 6, 5, 5]),
        ([7, 6, 2, 5], [7, 6, None, None]),  # the lone hidden 2 would be total minus the rest
        ([7, 3, 2], [7, None, None]),  # two hidden already: neither can be worked out
        ([0, 8, 9], [0, 8, 9]),  # a zero is shown: it places nobody
        ([3], [None]),
        ([4, 0, 0], [None, 0, 0]),  # nothing else to hide but zeros
    ],
)
def test_small_groups_are_hidden_with_their_complement(counts: list[int], expected: list[int | None]) -> None:
    assert need.suppress_column(counts) == expected


def test_locality_is_where_the_child_lived_when_referred_and_a_withheld_address_is_not_known() -> None:
    _refer(_child("HM1 4AB", given_name="Ada"))
    _refer(_child("hm2 7bd", given_name="Ben"))  # however it was typed
    withheld = _child("HM1 4AB", given_name="Cai")
    withheld.addresses.update(must_not_be_disclosed=True)
    _refer(withheld)
    _refer(_child(None, given_name="Dee"))  # no address at all
    moved = _child(None, given_name="Eve")
    AddressFactory(
        person=moved, postcode="HM9 1AA", start_date=dt.date(2020, 1, 1), end_date=dt.date(2026, 2, 28)
    )
    AddressFactory(person=moved, postcode="HM1 4AB", start_date=dt.date(2026, 3, 1))
    _refer(moved, dt.date(2026, 2, 10))
    _refer(_child("HM3 2AA", given_name="Fin", is_sealed=True))
    late = _child(None, given_name="Gil")  # the address was recorded after the referral
    AddressFactory(person=late, postcode="HM4 1AA", start_date=dt.date(2026, 6, 1))
    _refer(late)
    # Ada HM1, Ben HM2, Eve HM9 (where she lived then), Gil HM4 (the only address held);
    # Cai (withheld) and Dee (no address) not known; Fin is sealed and not counted.
    assert _localities() == {"HM1": 1, "HM2": 1, "HM9": 1, "HM4": 1, "Not known": 2}


def test_a_child_with_any_withheld_address_is_never_placed_even_by_an_old_one() -> None:
    child = _child(None, given_name="Gus")
    AddressFactory(person=child, postcode="HM5 1AA", start_date=dt.date(2020, 1, 1))
    AddressFactory(
        person=child, postcode="HM6 1AA", start_date=dt.date(2026, 6, 1), must_not_be_disclosed=True
    )
    _refer(child, MARCH)  # referred while living at the ordinary address
    assert _localities() == {"Not known": 1}


def test_wards_come_from_the_loaded_lookup() -> None:
    PostcodeWard.objects.create(postcode="HM1 4AB", ward_code="E05000001", ward_name="Abbey")
    _refer(_child("HM1 4AB", given_name="Ada"))
    _refer(_child("HM1 9ZZ", given_name="Ben"))  # not in the lookup
    hidden = _child("HM1 4AB", given_name="Cai")
    hidden.addresses.update(must_not_be_disclosed=True)
    _refer(hidden)
    assert _localities(wards=True) == {"Abbey": 1, "Not known": 2}  # Ben's postcode is not held


def test_contacts_are_placed_by_the_childs_record_or_else_the_postcode_given() -> None:
    typed = _contact(MARCH, child_postcode="hm3 1aa", child_given_name="Una")
    _contact(MARCH, child=_child("HM2 7BD", given_name="Vic"))
    withheld_child = _child("HM2 7BD", given_name="Wyn")
    withheld_child.addresses.update(must_not_be_disclosed=True)
    _contact(MARCH, child=withheld_child, child_postcode="HM2 7BD")
    _contact(MARCH, child_postcode="")
    _contact(MARCH, child=_child("HM2 7BD", is_sealed=True))
    _contact(MARCH, merged_into=typed, child_postcode="HM3 1AA")
    _contact(dt.date(2025, 12, 31), child_postcode="HM3 1AA")  # before the period
    # typed: HM3; linked: HM2 from the record; withheld and nothing: not known; the sealed
    # child's, the merged one and the one before the period are not counted
    assert _localities(contacts=True) == {"HM3": 1, "HM2": 1, "Not known": 2}


def test_age_band_is_the_age_on_the_day_of_referral() -> None:
    cases = {
        "Una": (dt.date(2025, 3, 3), None),  # 1 tomorrow: still under 1
        "Vic": (dt.date(2025, 3, 2), None),  # 1 today
        "Wyn": (dt.date(2021, 3, 2), None),  # 5 today
        "Xan": (dt.date(2016, 3, 3), None),  # 10 tomorrow: 9
        "Yas": (dt.date(2010, 3, 2), None),  # 16 today
        "Zed": (None, dt.date(2026, 5, 1)),  # unborn
        "Abe": (None, None),
        "Bo": (dt.date(2026, 4, 1), None),  # born after the referral was made
    }
    for name, (born, expected) in cases.items():
        _refer(_child(given_name=name, date_of_birth=born, expected_date_of_birth=expected))
    qs = need.referrals_in(PERIOD).annotate(
        group=need._age_band("child__date_of_birth", "child__expected_date_of_birth", "referral_date")
    )
    assert _groups(qs) == {
        "Una": "Under 1",
        "Vic": "1 to 4",
        "Wyn": "5 to 9",
        "Xan": "5 to 9",
        "Yas": "16 and over",
        "Zed": "Unborn",
        "Abe": "Not known",
        "Bo": "Unborn",
    }


def test_ethnicity_source_and_disability_groups() -> None:
    a = _child(given_name="Ada", ethnicity=Ethnicity.BAFR)
    b = _child(given_name="Ben", ethnicity=Ethnicity.CHNE)
    c = _child(given_name="Cai", ethnicity=Ethnicity.NOBT)
    PersonDisability.objects.create(person=a, code=Disability.AUT)
    PersonDisability.objects.create(person=b, code=Disability.NONE)
    _refer(a, referral_source=ReferralSource.SCHOOLS)
    _refer(b, referral_source=ReferralSource.A_AND_E)
    _refer(c, referral_source=ReferralSource.UNKNOWN)
    qs = need.referrals_in(PERIOD)
    ethnic = qs.annotate(group=need._grouped("child__ethnicity", need.ETHNIC_GROUPS))
    assert _groups(ethnic) == {
        "Ada": "Black or Black British",
        "Ben": "Other ethnic group",
        "Cai": "Refused or not yet obtained",
    }
    source = qs.annotate(group=need._grouped("referral_source", need.SOURCE_GROUPS))
    assert _groups(source) == {"Ada": "Schools", "Ben": "Health services", "Cai": "Other or unknown"}
    disability = qs.annotate(group=need._disability("child"))
    assert _groups(disability) == {
        "Ada": "Disabled",
        "Ben": "No disability recorded",
        "Cai": "No disability recorded",
    }


def test_a_re_referral_is_one_within_12_months_of_the_childs_previous_referral() -> None:
    again = _child(given_name="Ada")
    _refer(again, dt.date(2025, 3, 31))
    _refer(again, dt.date(2026, 3, 31))  # the same date a year later: a re-referral
    later = _child(given_name="Ben")
    _refer(later, dt.date(2025, 3, 1))
    _refer(later, dt.date(2026, 3, 2))  # a year and a day later: not
    flags = sorted(need.referrals_in(PERIOD).values_list("child__given_name", "is_re_referral"))
    assert flags == [("Ada", True), ("Ben", False)]


def test_across_a_leap_day_twelve_months_is_the_same_date_a_year_earlier_as_the_measure_counts() -> None:
    child = _child(given_name="Cai")
    _refer(child, dt.date(2023, 3, 1))
    _refer(child, dt.date(2024, 3, 1))  # 366 days later, but the same date a year on: a re-referral
    period = need.Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert list(need.referrals_in(period).values_list("is_re_referral", flat=True)) == [True]


def test_breakdown_counts_hides_small_groups_and_gives_rates_where_a_population_is_known() -> None:
    for _ in range(7):
        _refer(_child("HM1 4AB"))
    for _ in range(6):
        _refer(_child("HM2 7BD"))
    twice = _child("HM2 7BD")
    _refer(twice, dt.date(2026, 1, 5))
    _refer(twice, dt.date(2026, 6, 5))  # HM2: 8 referrals, 1 a re-referral
    for _ in range(2):
        _refer(_child("HM10 1AA"))
    for _ in range(5):
        _refer(_child(None))
    _refer(_child("HM1 4AB", is_sealed=True))
    ChildPopulation.objects.create(kind=PopulationKind.DISTRICT, group="HM1", children=1400)
    dim = next(d for d in need._dimensions(wards=False) if d.key == "district")
    breakdown = need._breakdown(dim, need._cubes(PERIOD, [dim]))
    rows = {r.label: r for r in breakdown.rows}
    assert [r.label for r in breakdown.rows] == ["HM2", "HM1", "HM10", "Not known"]
    assert rows["HM2"].referrals == 8
    assert rows["HM2"].re_referrals is None  # 1: fewer than 5
    assert rows["HM2"].re_referral_percent is None  # nor worked out from it
    assert rows["HM1"].referrals == 7
    assert rows["HM1"].referral_rate == 50.0  # 7 / 1,400 x 10,000
    assert rows["HM2"].referral_rate is None  # no population loaded
    assert rows["HM10"].referrals is None  # 2
    assert rows["Not known"].referrals is None  # hidden beside it: else 22 - 8 - 7 - 5 gives it
    assert breakdown.has_rates


def test_factors_count_each_assessment_once_per_factor() -> None:
    episodes = [_refer(_child()) for _ in range(7)]
    lists = [["3B", "4B"], ["3B"], ["3B", "3B"], ["3B", "2B"], ["3B"], ["4B"], []]
    for episode, factors in zip(episodes, lists, strict=True):
        Assessment.objects.create(
            episode=episode, start_date=MARCH, authorised_date=dt.date(2026, 4, 1), factors=factors
        )
    sealed = _refer(_child(is_sealed=True))
    Assessment.objects.create(
        episode=sealed, start_date=MARCH, authorised_date=dt.date(2026, 4, 1), factors=["3B"]
    )
    outside = _refer(_child())
    Assessment.objects.create(
        episode=outside, start_date=MARCH, authorised_date=dt.date(2027, 1, 2), factors=["3B"]
    )
    assessments, rows = need.factors_identified(PERIOD)
    assert assessments == 7
    assert rows[0] == need.CountRow("Domestic abuse: parent or carer", 5, 71.4)
    assert [r.count for r in rows[1:]] == [None, None]  # 4B twice, 2B once


def test_primary_need_counts_referrals() -> None:
    for _ in range(6):
        _refer(_child(), primary_need=PrimaryNeed.N1)
    for _ in range(5):
        _refer(_child(), primary_need=PrimaryNeed.N4)
    rows = need._primary_need(need._cubes(PERIOD, []))
    assert rows == [
        need.CountRow("Abuse, neglect and exploitation", 6, 54.5),
        need.CountRow("Family in acute stress", 5, 45.5),
    ]


def test_monthly_counts_start_at_the_first_record_and_fill_quiet_months_with_zero() -> None:
    _refer(_child(), dt.date(2026, 9, 8), referral_source=ReferralSource.SCHOOLS)
    _refer(_child(), dt.date(2026, 9, 20), referral_source=ReferralSource.POLICE)
    _refer(_child(), dt.date(2026, 11, 2), referral_source=ReferralSource.EDUCATION_SERVICES)
    _contact(dt.date(2026, 8, 30))
    _contact(dt.date(2026, 9, 1))
    rows = need.monthly_counts(end=dt.date(2026, 12, 15))
    assert rows == [
        need.MonthRow(dt.date(2026, 8, 1), 1, 0, 0),
        need.MonthRow(dt.date(2026, 9, 1), 1, 2, 1),
        need.MonthRow(dt.date(2026, 10, 1), 0, 0, 0),
        need.MonthRow(dt.date(2026, 11, 1), 0, 1, 1),
        need.MonthRow(dt.date(2026, 12, 1), 0, 0, 0),
    ]
    assert need.monthly_counts(end=dt.date(2026, 7, 31)) == []


@override_settings(COUNCIL_CHILD_POPULATION=2000)
def test_need_analysis_totals_and_rates() -> None:
    for _ in range(5):
        _refer(_child())
    for _ in range(8):
        _contact(MARCH)
    analysis = need.need_analysis(period=PERIOD, today=dt.date(2027, 1, 15))
    assert (analysis.contacts, analysis.referrals, analysis.re_referrals) == (8, 5, 0)
    assert analysis.referral_rate == 25.0
    assert analysis.contact_conversion_percent == 62.5
    assert [b.key for b in analysis.breakdowns] == ["district", "age", "source", "ethnicity", "disability"]
    assert analysis.notes  # says no ward lookup is loaded
    PostcodeWard.objects.create(postcode="HM1 4AB", ward_code="E05000001", ward_name="Abbey")
    with_wards = need.need_analysis(period=PERIOD, today=dt.date(2027, 1, 15))
    ward = with_wards.breakdown("ward")
    assert ward is not None
    # the contacts name no child and give no postcode: their locality is not known
    assert [(r.label, r.referrals, r.contacts) for r in ward.rows] == [("Abbey", 5, 0), ("Not known", 0, 8)]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_two_counts_run_at_once_on_postgresql_and_agree(monkeypatch: Any) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("counting on two connections at once is for PostgreSQL")
    PostcodeWard.objects.create(postcode="HM1 4AB", ward_code="E05000001", ward_name="Abbey")
    _refer(_child("HM1 4AB"))
    _refer(_child("HM2 7BD"), day=dt.date(2026, 6, 1))
    _contact(MARCH, child_postcode="HM1 4AB")
    _contact(MARCH, child=_child("HM2 7BD"))
    dims = need._dimensions(wards=True)
    assert need._may_count_in_parallel()
    together = need._cubes(PERIOD, dims)
    monkeypatch.setattr(need, "_may_count_in_parallel", lambda: False)
    one_by_one = need._cubes(PERIOD, dims)
    assert together == one_by_one
    assert sorted(row["g_ward"] for row in together.contacts) == ["Abbey", "Not known"]
    assert sum(row["n"] for row in together.referrals) == 2
