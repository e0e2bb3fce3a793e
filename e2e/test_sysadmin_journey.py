"""In Chromium: the demo system administrator adds a team, adds an account to it, changes
its role and deactivates it, with axe-core checking every page on the way."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe, sign_in
from safeguard.accounts.models import Role, Team, User
from safeguard.audit.models import AuditEvent
from safeguard.demo.generator import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _checked(page: Page, heading: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_administrator_adds_a_team_and_an_account_then_changes_and_deactivates_it(
    browser: Browser, live_server
) -> None:
    call_command("seed_demo", children=20, years=1, seed=5)
    administrator = User.objects.get(is_demo_account=True, role=Role.SYSTEM_ADMINISTRATOR)
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, administrator.email, DEMO_PASSWORD)

    with page.expect_navigation():
        page.get_by_role("link", name="Manage", exact=True).click()
    _checked(page, "Manage the service")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name="Teams").click()
    _checked(page, "Teams")
    with page.expect_navigation():
        page.get_by_role("button", name="Add a team").click()
    _checked(page, "Add a team")
    page.get_by_label("Team name").fill("Assessment Team Riverside")
    page.get_by_label("Kind of team").select_option("assessment")
    page.get_by_label("Service", exact=True).select_option(index=1)
    page.get_by_label("Caseload policy").fill("")
    _submit(page, "Add team")
    # A mistake keeps everything typed and says what to fix.
    _checked(page, "Add a team")
    expect(page.get_by_role("alert")).to_contain_text("Enter the caseload policy")
    expect(page.get_by_label("Team name")).to_have_value("Assessment Team Riverside")
    page.get_by_label("Caseload policy").fill("16")
    _submit(page, "Add team")
    _checked(page, "Teams")
    team = Team.objects.get(name="Assessment Team Riverside")

    page.goto(f"{base}/accounts/manage/teams/{team.pk}/")
    _checked(page, "Change Assessment Team Riverside")
    with page.expect_navigation():
        page.get_by_role("link", name="Add an account to Assessment Team Riverside").click()
    _checked(page, "Add an account")
    page.get_by_label("First name").fill("Sana")
    page.get_by_label("Last name").fill("Quayle")
    page.get_by_label("Email address").fill("sana.quayle@staff.example")
    page.get_by_label("Role", exact=True).select_option("social_worker")
    expect(page.get_by_label("Team", exact=True)).to_have_value(str(team.pk))
    _submit(page, "Add account")
    _checked(page, "Sana Quayle")
    expect(page.get_by_text("emailed a link to choose a password")).to_be_visible()
    account = User.objects.get(email="sana.quayle@staff.example")
    assert account.team == team and not account.has_usable_password()

    with page.expect_navigation():
        page.get_by_role("link", name="Change their role or team").click()
    _checked(page, "Change role and team")
    page.get_by_label("Role", exact=True).select_option("senior_practitioner")
    page.get_by_label("Why are you changing their role or team?").fill("Promoted after ASYE year")
    _submit(page, "Save role and team")
    _checked(page, "Sana Quayle")
    expect(page.get_by_text("Senior practitioner")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Deactivate this account").click()
    _checked(page, "Deactivate this account")
    page.get_by_label("Why are you deactivating this account?").fill("Moved to another council")
    _submit(page, "Deactivate account")
    _checked(page, "Sana Quayle")
    expect(page.get_by_text("Deactivated", exact=True)).to_be_visible()

    page.goto(f"{base}/accounts/manage/accounts/?q=quayle")
    _checked(page, "Accounts")
    expect(page.get_by_role("link", name="Sana Quayle")).to_be_visible()
    page.context.close()

    account.refresh_from_db()
    assert not account.is_active and account.role == Role.SENIOR_PRACTITIONER
    actions = set(AuditEvent.objects.filter(actor=administrator).values_list("action", flat=True))
    assert {"team_create", "account_create", "account_role_change", "account_deactivate"} <= actions
