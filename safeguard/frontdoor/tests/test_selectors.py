from __future__ import annotations

import datetime as dt

import pytest

from safeguard.frontdoor.clock import clock_tag, decision_due
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.selectors import match_candidates, match_score
from safeguard.people.models import PersonName
from safeguard.people.tests.factories import AddressFactory, ChildFactory

pytestmark = pytest.mark.django_db


def test_decision_clock_in_words():
    assert decision_due(dt.date(2026, 12, 24)) == dt.date(2026, 12, 29)  # Christmas and Boxing Day substitute
    today = dt.date(2026, 11, 30)  # a Monday
    assert clock_tag(today, today).text == "Due today"
    assert clock_tag(dt.date(2026, 12, 2), today).text == "Due in 2 working days"
    assert clock_tag(dt.date(2026, 11, 27), today).text == "Overdue by 1 working day"


def test_nhs_number_outweighs_names(make_user):
    user = make_user("front_door_practitioner")
    child = ChildFactory(given_name="Kofi", family_name="Okafor", nhs_number="9434765919")
    contact = Contact(child_given_name="K", child_family_name="Smith", child_nhs_number="9434765919")
    [match] = match_candidates(user=user, contact=contact)
    assert match.person == child and "NHS number is the same" in match.reasons


def test_phonetic_fuzzy_dob_postcode_and_other_names():
    child = ChildFactory(given_name="Oliwia", family_name="Nowak", date_of_birth=dt.date(2015, 3, 7))
    AddressFactory(person=child, postcode="HM2 7QT")
    PersonName.objects.create(person=child, kind="former", given_name="Olivia", family_name="Smyth")
    contact = Contact(
        child_given_name="Olivia",
        child_family_name="Smith",
        child_date_of_birth=dt.date(2015, 7, 3),
        child_postcode="HM2 7QT",
    )
    match = match_score(contact, child)
    assert match.score >= 45
    assert "Last name sounds the same" in match.reasons
    assert "Date of birth is close (a likely typing slip)" in match.reasons
    assert "Lives at the same postcode" in match.reasons


def test_different_nhs_numbers_lower_the_score():
    child = ChildFactory(given_name="Ruby", family_name="Evans", nhs_number="9434765919")
    same = match_score(Contact(child_given_name="Ruby", child_family_name="Evans"), child)
    different = match_score(
        Contact(child_given_name="Ruby", child_family_name="Evans", child_nhs_number="4010232137"), child
    )
    assert different.score < same.score and "NHS numbers are different" in different.reasons


def test_matching_only_searches_children_the_user_may_see(make_user):
    ChildFactory(given_name="Hidden", family_name="Sealedrecord", is_sealed=True)
    contact = Contact(child_given_name="Hidden", child_family_name="Sealedrecord")
    assert match_candidates(user=make_user("front_door_practitioner"), contact=contact) == []
