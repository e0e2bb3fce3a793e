"""A member of staff adds a child with the keyboard alone, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import axe_violations, describe, tab_to
from safeguard.accounts.models import User
from safeguard.accounts.tests.factories import UserFactory
from safeguard.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


def _continue(page: Page) -> None:
    tab_to(page, "button.govuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _check_page(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def test_add_a_child_with_the_keyboard_alone(page: Page, live_server) -> None:
    user: User = UserFactory(role="social_worker", username="kb@staff.example", email="kb@staff.example")
    base = live_server.url

    page.goto(f"{base}/accounts/sign-in/")
    # The first Tab reaches the skip link, as on every GOV.UK page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('govuk-skip-link')")
    tab_to(page, "#id_username")
    page.keyboard.type(user.username)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/home/")

    page.goto(f"{base}/children/")
    tab_to(page, "a.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/children/new/name/")

    # Submitting nothing: the error summary takes focus (GOV.UK Frontend's JavaScript ran).
    _continue(page)
    expect(page).to_have_title(
        "Error: What is the child's name? - Safeguard - Harrowmere Metropolitan Borough Council"
    )
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    _check_page(page)

    tab_to(page, "#id_given_name")
    page.keyboard.type("Maya")
    tab_to(page, "#id_family_name")
    page.keyboard.type("O'Neill")
    _continue(page)

    tab_to(page, "#id_born")  # the first radio; Space selects it ("Yes")
    page.keyboard.press("Space")
    _continue(page)

    tab_to(page, "#id_date_of_birth-day")
    page.keyboard.type("9")
    page.keyboard.press("Tab")
    page.keyboard.type("11")
    page.keyboard.press("Tab")
    page.keyboard.type("2020")
    _continue(page)

    tab_to(page, "#id_sex")
    page.keyboard.press("Space")
    _continue(page)

    _continue(page)  # NHS number is optional: leave it blank

    for selector, text in (
        ("#id_line_1", "7 Alder Road"),
        ("#id_town", "Harrowmere"),
        ("#id_postcode", "hm2 3bd"),
    ):
        tab_to(page, selector)
        page.keyboard.type(text)
    # Tab reaches a radio group once; the arrow keys choose within it.
    tab_to(page, "input[name=must_not_be_disclosed]")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "no"
    _continue(page)

    _continue(page)  # ethnicity: information not yet obtained
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the child's details")
    _check_page(page)
    assert "9 November 2020" in page.content() and "HM2 3BD" in page.content()

    tab_to(page, "button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/children/new/done/")
    expect(page.locator(".govuk-panel__title")).to_have_text("Child added")
    _check_page(page)
    child = Person.objects.get(given_name="Maya")
    assert child.la_child_id is not None and child.la_child_id in page.content()
    assert child.addresses.get().postcode == "HM2 3BD"
