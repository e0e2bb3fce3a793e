"""In Chromium: the director's demo login opens the analysis of need from the header, sees
the forecasts with their intervals and backtests, opens a chart's table, and downloads the
partnership's need profile. The page passes axe and can be used with the keyboard."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from e2e.conftest import axe_violations, describe, keyboard_problems, sign_in
from safeguard.accounts.models import Role, User
from safeguard.demo.generator import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_director_reads_the_need_analysis_and_downloads_the_profile(
    browser: Browser, live_server
) -> None:
    # Four years of history: two to learn the seasons, one more to fit, and one to test on.
    call_command("seed_demo", children=600, years=4, seed=14)
    director = User.objects.filter(is_demo_account=True, role=Role.DIRECTOR).order_by("email").first()
    assert director is not None
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)  # the first view fits the forecasts
    sign_in(page, base, director.email, DEMO_PASSWORD)

    page.get_by_role("link", name="Need", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Analysis of safeguarding need")
    expect(page.get_by_role("img", name="Referrals by month, with a forecast")).to_be_visible()
    expect(page.get_by_role("img", name="Contacts by month, with a forecast")).to_be_visible()
    expect(page.get_by_text("Referrals: backtest over the last 12 months")).to_be_visible()
    expect(page.get_by_text("Same month the year before (seasonal naive)").first).to_be_visible()
    backtest = page.locator("p.app-chart__summary", has_text="Fitted without the last 12 months")
    expect(backtest.first).to_contain_text("repeating the year before was out by")

    problems = keyboard_problems(page)
    assert not problems, "\n".join(problems)
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # A chart's figures, as a table, for anyone who cannot see it
    page.get_by_text("Show the figures as a table").first.click()
    table = page.locator("details[open] table").first
    expect(table).to_be_visible()
    expect(table.locator("th").first).to_have_text("Month")
    expect(table.get_by_text("95% interval: lower")).to_be_visible()

    violations = axe_violations(page)
    assert not violations, describe(violations)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the need profile for the safeguarding partnership").click()
    download = download_info.value
    assert download.suggested_filename.startswith("need-profile-")
    path = download.path()
    assert path is not None
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    context.close()
