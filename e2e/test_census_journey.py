"""In Chromium: the demo council's performance analyst builds the CIN census, watches its
progress on the run page, downloads the file (which validates against the DfE schema),
opens the pre-submission report and filters it by team. Every page passes axe.

Jobs run as soon as the request commits in the test settings (the immediate backend), so
the run page the analyst lands on already shows the build finished, 100% read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe, sign_in
from safeguard.accounts.models import Role, Team, User
from safeguard.demo.generator import DEMO_PASSWORD
from safeguard.returns.cin_census.spec import schema_for
from safeguard.returns.models import ReturnRun, RunStatus

pytestmark = pytest.mark.django_db(transaction=True)


def _axe_clean(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def test_the_analyst_builds_downloads_and_checks_the_census(
    browser: Browser, live_server, tmp_path: Path
) -> None:
    call_command("seed_demo", children=150, years=2, seed=11)
    analyst = User.objects.get(is_demo_account=True, role=Role.PERFORMANCE_ANALYST)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, base, analyst.email, DEMO_PASSWORD)

    page.goto(f"{base}/returns/cin-census/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Children in need census")
    _axe_clean(page)
    page.get_by_label("Census year").select_option("2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Build the census file").click()

    # The run page: its status and how far the build has read.
    expect(page.get_by_role("heading", level=1)).to_have_text("Census build 2025 to 2026")
    expect(page.locator("main")).to_contain_text("Progress")
    expect(page.locator("main")).to_contain_text("children read (100%)")
    expect(page.locator("main")).to_contain_text("Built")
    _axe_clean(page)
    run = ReturnRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    assert run.children_count > 0

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the census file").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name.startswith("cin-census-2026-")
    tree = etree.parse(str(saved))
    schema = schema_for(2026)
    assert schema.validate(tree), schema.error_log
    assert len(tree.findall("Children/Child")) == run.children_count

    with page.expect_navigation():
        page.get_by_role("link", name="See every failure by child, team and worker").click()
    expect(page.get_by_role("heading", level=2, name="2025-26")).to_be_visible()
    _axe_clean(page)

    team = Team.objects.filter(episodes__isnull=False).distinct().order_by("name").first()
    assert team is not None
    page.get_by_label("Team").select_option(label=team.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Show the report").click()
    assert f"team={team.pk}" in page.url
    expect(page.get_by_label("Team")).to_have_value(str(team.pk))
    expect(page.locator("main")).to_contain_text("errors and")
    _axe_clean(page)
    context.close()
