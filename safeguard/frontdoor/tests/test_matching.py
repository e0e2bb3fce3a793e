"""The match score: what each detail is worth, and that the ranking puts the child whose
details all agree first, well clear of partial matches."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard.frontdoor import matching
from safeguard.frontdoor.matching import Known, Typed, band, score
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.selectors import match_candidates
from safeguard.people.tests.factories import AddressFactory, ChildFactory

DOB = dt.date(2019, 4, 3)
RUBY = Known(
    given_names=("Ruby",),
    family_names=("Evans",),
    date_of_birth=DOB,
    current_postcodes=frozenset({"HM2 7QT"}),
    previous_postcodes=frozenset({"HM1 4AB"}),
    nhs_number="9434765919",
)
ALL_FOUR = Typed(given_name="Ruby", family_name="Evans", date_of_birth=DOB, postcode="HM2 7QT")


def test_first_last_date_of_birth_and_postcode_agreeing_is_very_likely():
    result = score(ALL_FOUR, RUBY)
    assert result.score == 95
    assert result.band == "Very likely the same child"
    assert result.reasons == ["Same date of birth", "Same last name", "Same first name", "Same postcode"]
    assert [e.points for e in result.evidence] == [35, 25, 20, 15]


def test_the_same_nhs_number_tops_the_score_and_a_different_one_sinks_it():
    assert score(Typed(nhs_number="9434765919", family_name="Evans"), RUBY).score == 90
    assert score(Typed(nhs_number="9434765919", **_all_four()), RUBY).score == 100
    different = score(Typed(nhs_number="4010232137", **_all_four()), RUBY)
    assert different.score == 55 and "Different NHS number" in different.reasons


def _all_four() -> dict[str, object]:
    return {"given_name": "Ruby", "family_name": "Evans", "date_of_birth": DOB, "postcode": "HM2 7QT"}


@pytest.mark.parametrize(
    ("typed", "points", "reason"),
    [
        (Typed(date_of_birth=dt.date(2019, 3, 4)), 15, "Date of birth with day and month swapped"),
        (Typed(date_of_birth=dt.date(2019, 4, 13)), 15, "Date of birth one slip away"),
        (Typed(date_of_birth=dt.date(2018, 4, 3)), 15, "Same birthday in another year"),
        (Typed(date_of_birth=dt.date(2016, 9, 21)), -15, "Different date of birth"),
        (Typed(family_name="evans"), 25, "Same last name"),
        (Typed(family_name="Evans-Okafor"), 18, "Part of a double last name is the same"),
        (Typed(family_name="Evens"), 18, "Last name sounds the same"),
        (Typed(family_name="Evamns"), 15, "Last name spelt similarly"),
        (Typed(given_name="R"), 8, "Same first initial"),
        (Typed(given_name="Rubie"), 15, "First name sounds the same"),
        (Typed(given_name="Rubry"), 12, "First name spelt similarly"),
        (Typed(postcode="HM1 4AB"), 8, "Postcode of a previous address"),
    ],
)
def test_each_detail_earns_its_documented_points(typed, points, reason):
    [evidence] = score(typed, RUBY).evidence
    assert (evidence.points, evidence.reason) == (points, reason)


def test_short_forms_and_preferred_names_count():
    alfred = Known(given_names=("Alfred", ""), family_names=("Nowak",))
    assert score(Typed(given_name="Alfie"), alfred).reasons == [
        "First name is a usual short form of the same name"
    ]
    assert score(Typed(given_name="Bill"), alfred).evidence == []
    preferred = Known(given_names=("Katherine", "Kit"), family_names=("Nowak",))
    assert score(Typed(given_name="kit"), preferred).reasons == ["Same first name"]


def test_partial_matches_fall_into_lower_bands():
    names_and_dob = score(Typed(given_name="Ruby", family_name="Evans", date_of_birth=DOB), RUBY)
    names_only = score(Typed(given_name="Ruby", family_name="Evans"), RUBY)
    surname_only = score(Typed(family_name="Evans"), RUBY)
    assert 70 <= names_and_dob.score < 90 and names_and_dob.band == "Likely the same child"
    assert 45 <= names_only.score < 70 and names_only.band == "Possibly the same child"
    assert surname_only.score == matching.MATCH_MIN_SCORE and surname_only.band.startswith("Unlikely")
    assert band(0) == "Unlikely to be the same child"


@pytest.mark.django_db
def test_the_child_whose_four_details_agree_ranks_first(make_user):
    user = make_user("front_door_practitioner")
    exact = ChildFactory(given_name="Ruby", family_name="Evans", date_of_birth=DOB)
    AddressFactory(person=exact, postcode="HM2 7QT")
    sister = ChildFactory(given_name="Rosa", family_name="Evans", date_of_birth=dt.date(2017, 1, 9))
    AddressFactory(person=sister, postcode="HM2 7QT")
    namesake = ChildFactory(given_name="Ruby", family_name="Evans", date_of_birth=dt.date(2012, 8, 30))
    twin_elsewhere = ChildFactory(given_name="Rubie", family_name="Evans", date_of_birth=DOB)
    contact = Contact(
        child_given_name="Ruby", child_family_name="Evans", child_date_of_birth=DOB, child_postcode="HM2 7QT"
    )
    matches = match_candidates(user=user, contact=contact)
    assert matches[0].person == exact and matches[0].score >= 90
    others = {m.person: m.score for m in matches[1:]}
    assert set(others) == {sister, namesake, twin_elsewhere}
    assert max(others.values()) < 90
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_first_name_forms():
    assert matching.first_name_forms("Alfie") == {"alfie", "alex", "alexander", "alfred"}
    assert matching.first_name_forms("Zephyrine") == {"zephyrine"}


@pytest.mark.django_db
def test_short_forms_and_initials_find_the_child_without_a_date_of_birth(make_user):
    user = make_user("front_door_practitioner")
    alfred = ChildFactory(given_name="Alfred", family_name="Kowalczyk")
    kit = ChildFactory(given_name="Katherine", preferred_name="Kit", family_name="Adeyemi")
    ChildFactory(given_name="Zainab", family_name="Adeyemi")
    for typed, child, points in (("Alfie", alfred, 42), ("K", kit, 33)):
        contact = Contact(child_given_name=typed, child_family_name=child.family_name)
        matches = match_candidates(user=user, contact=contact)
        assert (matches[0].person, matches[0].score) == (child, points)
    # A preferred name is found through the date of birth (or the postcode).
    contact = Contact(
        child_given_name="Kit", child_family_name="Adeyemi", child_date_of_birth=kit.date_of_birth
    )
    match = match_candidates(user=user, contact=contact)[0]
    assert (match.person, match.score) == (kit, 80)
