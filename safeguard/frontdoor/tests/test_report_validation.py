"""The public report's telephone numbers and postcodes: GOV.UK messages, nothing lost, E.164 kept."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.tests.test_views import PUBLIC_CHILD, report_as_public, step, submit

pytestmark = pytest.mark.django_db

PHONE_MESSAGE = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.mark.parametrize("typed", ["NOT A POSTCODE", "ZZ9 ZZZ9", "12345", "SW1A 1AA 1AA 1AA 1AA"])
def test_anything_that_is_not_a_postcode_is_told_to_enter_a_real_one(client, typed):
    step(client, "who", {"reporter_type": "public"})
    response = step(client, "child", {**PUBLIC_CHILD, "postcode": typed})
    html = response.content.decode()
    assert "Enter a real postcode" in html and "characters or fewer" not in html
    assert typed in html  # what was typed is shown back to be corrected


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("07700 900123", "+447700900123", "07700 900123"),
        ("+44 7700 900123", "+447700900123", "07700 900123"),
        ("020 7946 0000", "+442079460000", "020 7946 0000"),
        ("+33 1 23 45 67 89", "+33123456789", "+33 1 23 45 67 89"),
    ],
)
def test_a_member_of_the_publics_number_is_kept_in_e164_and_shown_as_typed(client, typed, stored, shown):
    report_as_public(client)
    step(client, "about-you", {"name": "Sam", "relationship": "Neighbour", "phone": typed, "email": ""})
    check = client.get(reverse("frontdoor:report:check")).content.decode()
    assert shown in check and stored not in check
    submit(client)
    assert Contact.objects.get().referrer.phone == stored


@pytest.mark.parametrize("typed", ["12345", "my mobile", "07700 9001"])
def test_a_number_that_is_not_one_gets_the_govuk_message_and_keeps_the_answers(client, typed):
    report_as_public(client)
    response = step(client, "about-you", {"name": "Sam", "relationship": "Aunt", "phone": typed, "email": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in html and PHONE_MESSAGE in html
    assert 'type="tel"' in html and typed in html and "Aunt" in html


def test_a_child_telling_us_about_themselves_gets_the_same_check(client):
    step(client, "who", {"reporter_type": "self"})
    response = step(client, "contact-you", {"name": "", "phone": "call me", "email": ""})
    assert PHONE_MESSAGE in response.content.decode()


def test_a_professional_must_give_a_real_number(client):
    step(client, "who", {"reporter_type": "professional"})
    organisation = {
        "organisation": "Harrowmere Primary",
        "agency_type": "school",
        "name": "Dee Lead",
        "role": "Designated safeguarding lead",
        "email": "dsl@school.example",
        "agency_reference": "",
    }
    missing = step(client, "organisation", {**organisation, "phone": ""}).content.decode()
    assert "Enter a phone number we can call you on" in missing
    wrong = step(client, "organisation", {**organisation, "phone": "0300"}).content.decode()
    assert PHONE_MESSAGE in wrong
    right = step(client, "organisation", {**organisation, "phone": "01632 960 001"})
    assert right.status_code == 302
