"""The front door, end to end in Chromium: a member of the public reports a concern; a
practitioner finds it, matches it to the right child, sees the repeat-concern alert and
refers; a professional referrer hears the outcome; an agency's API retries create one
contact. axe-core is run on every page."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from e2e.conftest import axe_violations, describe, keyboard_problems, sign_in
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.models import CINEpisode
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.frontdoor.models import Contact, ContactStatus, PartnerAgency
from safeguard.frontdoor.services import partner_key_create
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import AddressFactory, ChildFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


def _check(page: Page, *, public: bool = False) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"
    assert page.locator("h1").count() == 1, page.url
    if public:
        expect(page.locator(".govuk-exit-this-page")).to_have_count(1)


def _continue(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def _report_as_public(page: Page, base: str) -> str:
    page.goto(f"{base}/report-a-concern/")
    _check(page, public=True)
    assert not keyboard_problems(page)
    page.get_by_role("button", name="Start now").click()
    _check(page, public=True)
    page.get_by_label("A member of the public, for example a neighbour or friend").check()
    _continue(page)
    _check(page, public=True)
    page.get_by_label("No", exact=True).check()
    _continue(page)
    # An empty required answer: a specific message, and nothing lost.
    _continue(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tell us what has happened")
    _check(page, public=True)
    page.get_by_label("What has happened?").fill("The children are left alone at night and cry for hours.")
    _continue(page)
    _check(page, public=True)
    page.get_by_label("First name (optional)").fill("Amira")
    page.get_by_label("Last name (optional)").fill("Hewes")  # misspelt: matching must still find her
    page.locator("#id_date_of_birth-day").fill("14")
    page.locator("#id_date_of_birth-month").fill("5")
    page.locator("#id_date_of_birth-year").fill("2016")
    page.get_by_label("Postcode (optional)").fill("hm1 4ab")
    _continue(page)
    _check(page, public=True)
    _continue(page)  # adults: not known
    _check(page, public=True)
    _continue(page)  # about you: anonymous
    _check(page, public=True)
    expect(page.locator("h1")).to_have_text("Check your answers before sending your report")
    assert "Amira" not in page.title() and "Amira" not in page.url
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    _check(page, public=True)
    expect(page.locator(".govuk-panel")).to_contain_text("Your reference")
    expect(page.locator("main")).to_contain_text("within one working day")
    return str(page.locator(".govuk-panel strong").inner_text()).strip()


def test_report_triage_refer_and_feedback(page: Page, live_server) -> None:
    base = live_server.url
    today = dt.date.today()
    child = ChildFactory(given_name="Amira", family_name="Hughes", date_of_birth=dt.date(2016, 5, 14))
    AddressFactory(person=child, postcode="HM1 4AB")
    ChildFactory(given_name="Jack", family_name="Nowak", date_of_birth=dt.date(2012, 1, 1))
    # A referral eight months ago, closed: a new referral is a re-referral.
    EpisodeFactory(
        child=child,
        referral_date=today - dt.timedelta(days=240),
        closure_date=today - dt.timedelta(days=100),
        reason_for_closure="RC7",
    )
    earlier = make_contact(given_name="Amira", family_name="Hughes")
    earlier.child = child
    earlier.save()
    UserFactory(role="front_door_practitioner", username="fd@staff.example", email="fd@staff.example")

    reference = _report_as_public(page, base)
    contact = Contact.objects.get(reference=reference)
    assert contact.referral_source == "9" and contact.child_id is None

    sign_in(page, base, "fd@staff.example", PASSWORD)
    page.get_by_role("link", name="Front door").click()
    _check(page)
    page.get_by_role("link", name=reference).click()
    _check(page)
    expect(page.locator("main")).to_contain_text("Amira Hughes")
    expect(page.locator("main")).not_to_contain_text("Jack Nowak")
    with page.expect_navigation():
        page.locator("button", has_text="This is the child: Amira Hughes").click()
    _check(page)
    banner = page.locator(".govuk-notification-banner", has_text="Repeat concern")
    expect(banner).to_contain_text("2 contacts about this child within 7 days")
    expect(banner).to_contain_text("re-referral")

    page.get_by_role("button", name="Decide what happens next").click()
    _check(page)
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Reason for the decision").fill("Repeated concerns; an assessment is needed.")
    page.get_by_label("Which team will receive the referral?").select_option(index=1)
    _continue(page)
    _check(page)
    expect(page.locator("h1")).to_have_text("Check your decision")
    with page.expect_navigation():
        page.get_by_role("button", name="Record decision").click()
    _check(page)
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED and contact.child == child
    episode = CINEpisode.objects.get(child=child, closure_date__isnull=True)
    assert episode.referral_date == contact.received_on and episode.referral_source == "9"

    # A professional's contact: the referrer is told the outcome, without detail.
    professional = make_contact(
        reporter_type="professional",
        given_name="Kofi",
        family_name="Okafor",
        referrer={"name": "Dee Lead", "email": "dsl@school.example"},
    )
    page.goto(f"{base}/front-door/contacts/{professional.pk}/")
    _check(page)
    page.get_by_role("button", name="Decide what happens next").click()
    page.get_by_label("Information and advice").check()
    page.get_by_label("Reason for the decision").fill("Advice about the school's own support plan.")
    _continue(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Record decision").click()
    outcome = [m for m in mail.outbox if m.to == ["dsl@school.example"]]
    assert len(outcome) == 1
    assert professional.reference in outcome[0].body and "Okafor" not in outcome[0].body


def _api_post(
    url: str, key: str, body: dict[str, object], idempotency_key: str
) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(  # noqa: S310 - the live test server on 127.0.0.1
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-API-Key": key, "Idempotency-Key": idempotency_key},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def test_partner_api_with_retries(page: Page, live_server) -> None:
    agency = PartnerAgency.objects.create(name="Harrowmere Police", agency_type="police")
    _key, raw = partner_key_create(actor=None, agency=agency)
    body = {
        "concern": "Officers attended a domestic incident; two children present.",
        "child": {"given_name": "Ruby", "family_name": "Evans", "date_of_birth": "2018-02-03"},
        "referrer": {"name": "PC Lane"},
        "consent": "not_sought",
        "consent_reason": "Police notification",
    }
    url = f"{live_server.url}/api/v1/contacts"
    answers = [_api_post(url, raw, body, "incident-4711") for _ in range(3)]
    assert {status for status, _ in answers} == {201}
    assert len({answer["reference"] for _, answer in answers}) == 1
    assert Contact.objects.filter(agency=agency).count() == 1
    page.goto(f"{live_server.url}/api/v1/docs")
    _check(page)
