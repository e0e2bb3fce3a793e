"""In Chromium: a team manager of the demo council opens Measures, sees their team's
figures beside England's and their targets, chooses the DfE year so far, clicks a figure
and sees the children behind it, then opens the 24-month trends. Every page passes axe
and can be used with the keyboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe, keyboard_problems, sign_in
from safeguard.accounts.models import Role, User
from safeguard.demo.generator import DEMO_PASSWORD
from safeguard.performance.headlines import reporting_year_start

pytestmark = pytest.mark.django_db(transaction=True)


def _checked(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"
    problems = keyboard_problems(page)
    assert not problems, f"{page.url}\n" + "\n".join(problems)


def _fill_date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}-day").fill(str(day.day))
    page.locator(f"#id_{prefix}-month").fill(str(day.month))
    page.locator(f"#id_{prefix}-year").fill(str(day.year))


def test_a_team_manager_opens_their_measures_and_the_children_behind_a_figure(
    browser: Browser, live_server
) -> None:
    call_command("seed_demo", children=300, years=2, seed=11)
    manager = User.objects.filter(is_demo_account=True, role=Role.TEAM_MANAGER).first()
    assert manager is not None and manager.team is not None
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, manager.username, DEMO_PASSWORD)

    with page.expect_navigation():
        page.get_by_role("link", name="Measures").first.click()
    expect(page.locator("h1")).to_have_text("Performance measures")
    expect(page.locator(".govuk-caption-l")).to_have_text(manager.team.name)
    _checked(page)

    today = timezone.localdate()
    _fill_date(page, "period_start", reporting_year_start(today))
    _fill_date(page, "period_end", today)
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    referrals = page.locator("table", has=page.locator("caption", has_text="Referrals"))
    expect(referrals).to_contain_text("Re-referrals within 12 months")
    expect(referrals).to_contain_text("22.6% (2024-25)")  # England, beside the team's figure
    expect(page.locator("table", has_text="Assessments completed within 45 working days")).to_contain_text(
        "85.7%"
    )
    _checked(page)

    link = page.locator("a[href*='measure=referrals&part=numerator']").first
    with page.expect_navigation():
        link.click()
    expect(page.locator("h1")).to_contain_text("Referrals: the children counted")
    rows = page.locator("table tbody tr")
    assert rows.count() > 0, "the team has referrals this year"
    expect(rows.first.locator("a")).to_have_attribute("href", re.compile(r"^/children/"))
    _checked(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Back to the measures").click()
    with page.expect_navigation():
        page.get_by_role("link", name="See the trends over 24 months").click()
    expect(page.locator("h1")).to_have_text("Trends in the measures over 24 months")
    assert page.locator("figure svg[role='img']").count() > 0
    _checked(page)
