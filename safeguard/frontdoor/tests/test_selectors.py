from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguard.frontdoor.clock import clock_tag, decision_due
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.selectors import contacts_for, match_candidates, match_score, repeat_concern_alerts
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
    assert match.person == child and "Same NHS number" in match.reasons


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
    assert "Date of birth with day and month swapped" in match.reasons
    assert "Same postcode" in match.reasons


def test_different_nhs_numbers_lower_the_score():
    child = ChildFactory(given_name="Ruby", family_name="Evans", nhs_number="9434765919")
    same = match_score(Contact(child_given_name="Ruby", child_family_name="Evans"), child)
    different = match_score(
        Contact(child_given_name="Ruby", child_family_name="Evans", child_nhs_number="4010232137"), child
    )
    assert different.score < same.score and "Different NHS number" in different.reasons


def test_matching_only_searches_children_the_user_may_see(make_user):
    ChildFactory(given_name="Hidden", family_name="Sealedrecord", is_sealed=True)
    contact = Contact(child_given_name="Hidden", child_family_name="Sealedrecord")
    assert match_candidates(user=make_user("front_door_practitioner"), contact=contact) == []


@pytest.fixture
def sealed_with_contacts(make_user):
    """A sealed child with a recent referral and a linked contact, and the front door user
    named on the seal."""
    from safeguard.casework.tests.factories import EpisodeFactory
    from safeguard.frontdoor.tests.factories import make_contact
    from safeguard.people.models import SealedRecordAccess

    named = make_user("front_door_practitioner")
    child = ChildFactory(given_name="Zephyrine", family_name="Quillfeather", is_sealed=True)
    SealedRecordAccess.objects.create(person=child, user=named)
    EpisodeFactory(child=child, referral_date=timezone.localdate() - dt.timedelta(days=40))
    typed = {"given_name": "Zephyrine", "family_name": "Quillfeather", "date_of_birth": child.date_of_birth}
    linked = make_contact(**typed)
    Contact.objects.filter(pk=linked.pk).update(child=child)
    linked.refresh_from_db()
    return named, child, linked, make_contact(**typed)


def test_a_contact_linked_to_a_sealed_child_is_part_of_the_sealed_record(make_user, sealed_with_contacts):
    named, _child, linked, unlinked = sealed_with_contacts
    other = make_user("front_door_manager")
    assert set(contacts_for(other)) == {unlinked}
    assert set(contacts_for(named)) == {linked, unlinked}


def test_repeat_concern_counts_and_dates_come_only_from_what_the_user_may_see(
    make_user, sealed_with_contacts
):
    named, child, linked, unlinked = sealed_with_contacts
    today = timezone.localdate()
    other = make_user("front_door_manager")
    # The same details typed again: the earlier contact is the sealed child's, so not counted.
    assert repeat_concern_alerts(user=other, contact=unlinked, today=today) == []
    assert repeat_concern_alerts(user=named, contact=unlinked, today=today) == [
        "2 contacts about this child within 7 days"
    ]
    referred = child.episodes.get().referral_date
    assert (
        f"on {referred.day} {referred:%B %Y}"
        in repeat_concern_alerts(user=named, contact=linked, today=today)[1]
    )
    # Even handed the linked contact, an unnamed user is given no date from the sealed record.
    assert not any(
        "re-referral" in alert for alert in repeat_concern_alerts(user=other, contact=linked, today=today)
    )
