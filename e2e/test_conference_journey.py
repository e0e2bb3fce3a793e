"""In Chromium: the worker proposes the initial conference from the section 47; a chair is
refused for being the worker's manager, then an independent chair is booked inside the
target; the chairs' diary shows it; the chair records attendance and a plan. Every page
passes axe and can be used with the keyboard.

Dates as in ``safeguard.conferences.tests.scenario``: strategy discussion Monday
2 November 2026, ICPC due Monday 23 November 2026; today is held at Monday 16 November,
then Friday 20 November 2026 for the record.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe, keyboard_problems
from safeguard.accounts.models import User
from safeguard.casework.models import ChildProtectionPlan
from safeguard.conferences.models import Conference
from safeguard.conferences.tests.scenario import build_case, today_is

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


def _sign_in(page: Page, base: str, user: User) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _checked(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"
    problems = keyboard_problems(page)
    assert not problems, f"{page.url}\n" + "\n".join(problems)


def _click(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _fill_date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}-day").fill(str(day.day))
    page.locator(f"#id_{prefix}-month").fill(str(day.month))
    page.locator(f"#id_{prefix}-year").fill(str(day.year))


def test_propose_schedule_and_record_an_initial_conference(browser: Browser, live_server) -> None:
    base = live_server.url
    case = build_case()
    with today_is(dt.date(2026, 11, 16)):
        page = browser.new_context().new_page()
        _sign_in(page, base, case.worker)
        page.goto(f"{base}/conferences/section-47/{case.enquiry.pk}/propose/")
        expect(page.locator("main")).to_contain_text("23 November 2026")
        _checked(page)
        _click(page, "Propose the conference")
        expect(page.get_by_role("heading", level=1)).to_have_text("Initial child protection conference")
        _checked(page)
        page.context.close()

        page = browser.new_context().new_page()
        _sign_in(page, base, case.chair)
        with page.expect_navigation():
            page.get_by_role("link", name="Conferences").first.click()
        expect(page.locator("main")).to_contain_text("Not scheduled: due by 23 November 2026")
        _checked(page)
        with page.expect_navigation():
            page.get_by_role("link", name=case.child.full_name).click()
        with page.expect_navigation():
            page.get_by_role("button", name="Schedule the conference").click()
        _checked(page)
        page.get_by_label("Tom Reid", exact=False).check()
        _fill_date(page, "day", dt.date(2026, 11, 19))
        page.get_by_label("Start time").fill("10:00")
        page.get_by_label("Room").fill("Room 2, Civic Centre")
        _click(page, "Schedule the conference")
        expect(page.locator(".govuk-error-summary")).to_contain_text("not independent of the case")
        expect(page.get_by_label("Room")).to_have_value("Room 2, Civic Centre")
        _checked(page)
        page.get_by_label("Grace Osei").check()
        _click(page, "Schedule the conference")
        expect(page.locator("main")).to_contain_text("19 November 2026")
        page.goto(f"{base}/conferences/")
        expect(page.locator("main")).to_contain_text("Within target")

    with today_is(dt.date(2026, 11, 20)):
        conference = Conference.objects.get()
        page.goto(f"{base}/conferences/{conference.pk}/record/")
        _checked(page)
        _fill_date(page, "held_on", dt.date(2026, 11, 19))
        for i, (name, agency) in enumerate(
            [("Priya Shah", "csc"), ("PC Dale Hurst", "police"), ("Jo Penn", "school")], start=1
        ):
            page.get_by_label(f"Name (person {i})").fill(name)
            page.get_by_label(f"Agency (person {i})").select_option(agency)
            page.get_by_label(f"Attendance (person {i})").select_option("present")
        page.locator("input[name=plan_needed][value=yes]").check()
        _click(page, "Record the conference")
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Choose the category of abuse for the plan")
        expect(page.get_by_label("Name (person 2)")).to_have_value("PC Dale Hurst")
        _checked(page)
        page.get_by_label("Neglect").check()
        page.get_by_label("Lead social worker").select_option(label="Priya Shah")
        _click(page, "Record the conference")
        expect(page.locator("main")).to_contain_text("Yes: Neglect")
        _checked(page)
    plan = ChildProtectionPlan.objects.get(child=case.child)
    assert plan.start_date == dt.date(2026, 11, 19)
