"""In Chromium: sign in with a security code, use emergency access with a reason, and the
child's manager sees it under "Who has looked at this record"; the idle warning works."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe
from safeguard.accounts.models import Role, User
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.accounts.tests.test_mfa import current_code, next_time_step
from safeguard.audit.models import AuditEvent
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
REASON = "Police called at 2am: the child is missing and we need the family's address."


def _enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def _sign_in_with_code(page: Page, base: str, user: User, device: TOTPDevice) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    _no_axe_violations(page)
    next_time_step(device)
    page.get_by_label("Enter your security code").fill(current_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/home/")


def _no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def test_mfa_break_glass_and_who_has_looked(browser: Browser, live_server, settings) -> None:
    settings.REQUIRE_MFA = True
    base = live_server.url
    worker: User = UserFactory(role=Role.SOCIAL_WORKER, username="sw@staff.example", email="sw@staff.example")
    far_team = TeamFactory()
    manager: User = UserFactory(role=Role.TEAM_MANAGER, team=far_team, username="tm@staff.example")
    child = ChildFactory(given_name="Nadia", family_name="Osei")
    EpisodeFactory(child=child, team=far_team)
    worker_device, manager_device = _enrolled(worker), _enrolled(manager)

    page = browser.new_context().new_page()
    _sign_in_with_code(page, base, worker, worker_device)
    page.goto(f"{base}/children/{child.pk}/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Page not found" or "Nadia" not in page.content()
    )

    page.goto(f"{base}/children/emergency-access/")
    _no_axe_violations(page)
    page.get_by_label("Local child identifier").fill(str(child.la_child_id))
    page.get_by_label("Why do you need to see this record now?").fill(REASON)
    page.get_by_label("Your password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nadia Osei")
    assert "emergency access to this record until" in page.content()
    _no_axe_violations(page)
    page.context.close()

    page = browser.new_context().new_page()
    _sign_in_with_code(page, base, manager, manager_device)
    page.goto(f"{base}/children/{child.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Who has looked at this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has looked at this record")
    # The worker's first try, before the emergency grant, shows too, as refused.
    refused = page.get_by_role("row").filter(has_text=worker.display_name).filter(has_text="Refused")
    expect(refused).to_contain_text("outside the user")
    row = page.get_by_role("row").filter(has_text=worker.display_name).filter(has_text="Viewed")
    expect(row).to_contain_text("Emergency access")
    expect(row).to_contain_text(REASON)
    _no_axe_violations(page)
    page.context.close()
    assert AuditEvent.objects.filter(action="break_glass_open", actor=worker, child_id=child.pk).exists()


def test_idle_warning_lets_a_keyboard_user_stay_signed_in(page: Page, live_server, settings) -> None:
    settings.SESSION_COOKIE_AGE = 12  # the warning shows halfway through a short timeout: after 6 seconds
    user: User = UserFactory(role=Role.SOCIAL_WORKER, username="idle@staff.example")
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    dialog = page.locator("dialog[data-session-timeout]")
    expect(dialog).to_be_visible(timeout=10_000)
    _no_axe_violations(page)
    # The modal dialog has focus: Enter on its first button keeps the session.
    assert page.evaluate("document.activeElement.hasAttribute('data-stay-signed-in')")
    with page.expect_response(lambda r: r.url.endswith("/accounts/keep-alive/")) as keep:
        page.keyboard.press("Enter")
    assert keep.value.status == 204
    expect(dialog).to_be_hidden()
