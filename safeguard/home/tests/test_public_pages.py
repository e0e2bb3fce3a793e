"""The council's own identity on every page, and the way in to report a concern."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["home:start", "home:contact", "home:accessibility", "frontdoor:start", "accounts:login"]


@pytest.mark.parametrize("name", PAGES)
def test_no_page_wears_central_governments_crown_coat_of_arms_or_crown_copyright(client, name):
    html = client.get(reverse(name)).content.decode()
    for mark in ("govuk-footer__crown", "govuk-footer__copyright-logo", "govuk-logo", "govuk-crown"):
        assert mark not in html, mark
    assert "Crown copyright" not in html and "nationalarchives.gov.uk" not in html
    assert "Open Government Licence" not in html


@pytest.mark.parametrize("name", PAGES)
def test_every_page_names_the_council_that_runs_it(client, name):
    html = client.get(reverse(name)).content.decode()
    assert '<footer class="govuk-template__footer">' in html  # the footer landmark is kept
    assert f"&copy; {settings.COUNCIL_NAME}" in html
    assert f"is run by {settings.COUNCIL_NAME}" in html
    assert settings.COUNCIL_LOGO_TEXT in html  # the header's identity
    for page in ("home:accessibility", "home:privacy", "home:cookies", "home:contact"):
        assert f'href="{reverse(page)}"' in html


def test_the_start_page_leads_to_reporting_a_concern_and_says_call_999(client):
    html = client.get(reverse("home:start")).content.decode()
    report = reverse("frontdoor:start")
    assert f'href="{report}"' in html
    assert "Report a concern about a child" in html and "govuk-button--start" in html
    assert "If a child is in immediate danger, call 999." in html
    # One start button: signing in is secondary, so the public see one way to begin.
    assert html.count("govuk-button--start") == 1


def test_the_contact_page_gives_the_councils_numbers_and_email(client):
    html = client.get(reverse("home:contact")).content.decode()
    assert settings.COUNCIL_PHONE in html and settings.COUNCIL_OUT_OF_HOURS_PHONE in html
    assert settings.COUNCIL_EMAIL in html and "call 999" in html
