"""In Chromium: an assessment survives the idle timeout word for word, is completed and
authorised; a strategy discussion starts a section 47 whose ICPC is due across a bank
holiday; the episode closes with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe
from safeguard.accounts.models import Role, User
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import Assessment, CINEpisode
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
WORDS = "Amara said she feels safe at her nan's. She was quiet when talking about home at night."


def _sign_in(page: Page, base: str, user: User) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _clean(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def _fill_date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}-day").fill(str(day.day))
    page.locator(f"#id_{prefix}-month").fill(str(day.month))
    page.locator(f"#id_{prefix}-year").fill(str(day.year))


def _click(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_assessment_to_closure(browser: Browser, live_server, settings) -> None:
    settings.SESSION_COOKIE_AGE = 16  # a short idle timeout: warning at 8 seconds, signed out at 16
    base = live_server.url
    worker: User = UserFactory(role=Role.SOCIAL_WORKER, username="ama@staff.example")
    manager: User = UserFactory(role=Role.TEAM_MANAGER, username="tm@staff.example", team=worker.team)
    child = ChildFactory(given_name="Amara", family_name="Boateng")
    episode: CINEpisode = EpisodeFactory(
        child=child, worker=worker, team=worker.team, referral_date=dt.date(2026, 8, 17)
    )
    today = dt.date.today()

    page = browser.new_context().new_page()
    _sign_in(page, base, worker)
    page.goto(f"{base}/casework/episodes/{episode.pk}/")
    _clean(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Start an assessment").click()
    _fill_date(page, "start_date", dt.date(2026, 8, 18))
    _click(page, "Start the assessment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Child and family assessment")
    _clean(page)

    with page.expect_navigation():
        page.get_by_role("link", name="The child's views, in their own words").click()
    box = page.get_by_label("The child's views, in their own words")
    box.fill(WORDS)
    page.keyboard.press("Tab")  # leaving the box saves the draft
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at")
    _clean(page)

    # Walk away: the page warns, then signs out when the idle time is up.
    page.wait_for_url(f"{base}/accounts/sign-in/?timed_out=1", timeout=40_000)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your saved answers have been kept")
    _sign_in(page, base, worker)
    assessment = Assessment.objects.get()
    page.goto(f"{base}/casework/assessments/{assessment.pk}/sections/child_views/")
    expect(page.get_by_label("The child's views, in their own words")).to_have_value(WORDS)
    settings.SESSION_COOKIE_AGE = 1800

    for key, title, _hint in ASSESSMENT_SECTIONS:
        if key == "child_views":
            continue
        page.goto(f"{base}/casework/assessments/{assessment.pk}/sections/{key}/")
        page.get_by_label(title).fill(f"{title}: recorded during the home visit.")
        _click(page, "Save and return")
    page.goto(f"{base}/casework/assessments/{assessment.pk}/details/")
    _fill_date(page, "child_seen_date", dt.date(2026, 8, 20))
    page.locator("input[name=child_seen_alone][value=yes]").check()
    page.get_by_label("Domestic abuse: parent or carer").check()
    page.get_by_label("Services needed").check()
    # A review dated before the assessment began is refused on its field, the rest kept.
    _fill_date(page, "internal_review_date", dt.date(2026, 8, 14))
    _click(page, "Save and return")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The internal review must be on or after the day the assessment started (18 August 2026)"
    )
    expect(page.get_by_label("Services needed")).to_be_checked()
    _clean(page)
    # The midway review on the 20th working day (31 August is a bank holiday).
    _fill_date(page, "internal_review_date", dt.date(2026, 9, 16))
    _click(page, "Save and return")
    expect(page.locator("main")).to_contain_text("Reviewed part-way by a manager on 16 September 2026")
    _click(page, "Submit for authorisation")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sent to your manager")
    page.context.close()

    page = browser.new_context().new_page()
    _sign_in(page, base, manager)
    page.goto(f"{base}/casework/assessments/{assessment.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Authorise the assessment").click()
    _clean(page)
    page.get_by_label("Why was the assessment late?").fill("Family away for three weeks.")
    _click(page, "Authorise")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("authorised")

    # A strategy discussion on 20 August 2026 starts a section 47: 15 working days, skipping
    # the summer bank holiday on 31 August, puts the conference at 11 September 2026.
    with page.expect_navigation():
        page.get_by_role("button", name="Record a strategy discussion").click()
    _fill_date(page, "held_on", dt.date(2026, 8, 20))
    for agency in ("Children's social care", "Police", "Health"):
        page.get_by_label(agency, exact=True).check()
    page.get_by_label("Information shared").fill("Police attended a domestic incident on 19 August.")
    page.get_by_label("Immediate actions to keep the child safe").fill("Amara stays with her grandmother.")
    page.locator("input[name=start_section_47][value=yes]").check()
    _click(page, "Save the strategy discussion")
    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, errors.inner_text()
    expect(page.get_by_role("table", name="Section 47 enquiries")).to_contain_text("11 September 2026")
    expect(page.get_by_role("table", name="Statutory clocks")).to_contain_text("11 September 2026")
    _clean(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("Concerns not substantiated").check()
    _click(page, "Save the outcome")

    with page.expect_navigation():
        page.get_by_role("button", name="Close the episode").click()
    _fill_date(page, "closure_date", today)
    page.get_by_label("Services ceased for any other reason, including no longer in need").check()
    _click(page, "Close the episode")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The episode is closed")
    episode.refresh_from_db()
    assert episode.closure_date == today and episode.reason_for_closure == "RC7"
    page.context.close()
