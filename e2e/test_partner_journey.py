"""A school's safeguarding lead, end to end in Chromium: signs in, makes a referral through
the web (correcting a phone number on the way), sees it on their organisation's referrals,
and after the front door's decision sees the outcome and what happens next; another
agency's referral is never shown. The public start page leads to reporting a concern.
axe-core is run on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import axe_violations, describe, keyboard_problems, sign_in
from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.frontdoor.models import AgencyType, Contact, PartnerAgency
from safeguard.frontdoor.partner_services import partner_membership_set
from safeguard.frontdoor.services import contact_decide
from safeguard.frontdoor.tests.test_partner_views import agency_contact

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


def _check(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"
    assert page.locator("h1").count() == 1, page.url
    # The council's identity, never central government's.
    expect(page.locator(".govuk-footer__crown, .govuk-footer__copyright-logo")).to_have_count(0)


def _continue(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def test_public_start_page_leads_to_reporting_a_concern(page: Page, live_server) -> None:
    page.goto(live_server.url + "/")
    _check(page)
    warning = page.locator(".govuk-warning-text")
    expect(warning).to_contain_text("If a child is in immediate danger, call 999.")
    assert not keyboard_problems(page)
    page.get_by_role("button", name="Report a concern about a child").click()
    expect(page.locator("h1")).to_have_text("Report a concern about a child")
    page.get_by_role("link", name="Contact Harrowmere children's services").click()
    _check(page)


def test_a_school_makes_a_referral_and_sees_what_happened(page: Page, live_server) -> None:
    base = live_server.url
    school = PartnerAgency.objects.create(name="Larchfield Primary School", agency_type=AgencyType.SCHOOL)
    police = PartnerAgency.objects.create(name="Harrowmere Police", agency_type=AgencyType.POLICE)
    dsl = UserFactory(
        role=Role.PARTNER_AGENCY,
        username="dsl@larchfield.example",
        email="dsl@larchfield.example",
        first_name="Dee",
        last_name="Lead",
    )
    partner_membership_set(actor=None, user=dsl, agency=school)
    theirs = agency_contact(police, "Bethan", "Morgan")
    manager = UserFactory(role=Role.FRONT_DOOR_MANAGER)

    sign_in(page, base, "dsl@larchfield.example", PASSWORD)
    _check(page)
    assert not keyboard_problems(page)
    page.get_by_role("link", name="Make a referral").click()
    _check(page)
    page.get_by_role("button", name="Start now").click()
    _check(page)
    page.get_by_label("No", exact=True).check()
    _continue(page)
    _check(page)
    page.get_by_label("What has happened?").fill("Came to school hungry every day this week.")
    _continue(page)
    _check(page)
    page.get_by_label("First name (optional)").fill("Amira")
    page.get_by_label("Last name (optional)").fill("Hughes")
    page.get_by_label("Postcode (optional)").fill("hm1 4ab")
    _continue(page)
    _check(page)
    _continue(page)  # adults: not known
    _check(page)
    page.get_by_label("Your role").fill("Designated safeguarding lead")
    page.get_by_label("Phone number").fill("the school office")
    _continue(page)
    # A number that is not one: the GOV.UK message, and what was typed is still there.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a telephone number, like 01632 960 001")
    expect(page.get_by_label("Your role")).to_have_value("Designated safeguarding lead")
    _check(page)
    page.get_by_label("Phone number").fill("01632 960 001")
    _continue(page)
    _check(page)
    page.get_by_label("Yes, the family knows and agrees").check()
    _continue(page)
    _check(page)
    page.get_by_label("Level 2: early help").check()
    _continue(page)
    _check(page)
    expect(page.locator("h1")).to_have_text("Check your answers before sending your referral")
    expect(page.locator("main")).to_contain_text("01632 960001")
    with page.expect_navigation():
        page.get_by_role("button", name="Send referral").click()
    _check(page)
    reference = str(page.locator(".govuk-panel strong").inner_text()).strip()
    contact = Contact.objects.get(reference=reference)
    assert contact.agency == school and contact.referrer.phone == "+441632960001"

    page.get_by_role("link", name="See your organisation's referrals").click()
    _check(page)
    main = page.locator("main")
    expect(main).to_contain_text(reference)
    expect(main).to_contain_text("A H")
    expect(main).to_contain_text("Received")
    expect(main).not_to_contain_text("Amira")
    expect(main).not_to_contain_text(theirs.reference)

    contact_decide(actor=manager, contact=contact, decision="early_help", reason="Mother asked for support")
    page.reload()
    _check(page)
    expect(main).to_contain_text("Decided")
    page.get_by_role("link", name=reference).click()
    _check(page)
    expect(main).to_contain_text("We have offered the family support from our early help service.")
    expect(main).not_to_contain_text("Mother asked for support")

    # Another agency's referral, by its key: as if it did not exist.
    response = page.goto(f"{base}/partner/referrals/{theirs.pk}/")
    assert response is not None and response.status == 404
    # And nothing else: no search of children.
    response = page.goto(f"{base}/children/")
    assert response is not None and response.status == 403
