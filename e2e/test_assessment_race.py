"""In Chromium: typing in an assessment section and pressing "Save and return" at once races
the page's own autosave; that must never look like someone else's save. A real conflict
(another person saved) shows both texts and loses nothing, and a submitted assessment's
sections are read-only, in the page and at the server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe
from safeguard.accounts.models import Role, User
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import Assessment, AssessmentSection
from safeguard.casework.services.assessments import (
    assessment_record_details,
    assessment_section_save,
    assessment_start,
    assessment_submit,
)
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
TRIES = 10
TITLE = "Analysis"


def _sign_in(page: Page, base: str, user: User) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _clean(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def _assessment(worker: User) -> Assessment:
    child = ChildFactory(given_name="Amara", family_name="Boateng")
    episode = EpisodeFactory(child=child, worker=worker, team=worker.team, referral_date=dt.date(2026, 8, 17))
    return assessment_start(actor=worker, episode=episode, start_date=dt.date(2026, 8, 18))


def _text(assessment: Assessment, key: str = "analysis") -> str:
    section = AssessmentSection.objects.filter(assessment=assessment, key=key).first()
    return section.text if section else ""


def _worker(username: str = "ama@staff.example") -> User:
    return UserFactory(role=Role.SOCIAL_WORKER, username=username)


def test_typing_and_saving_at_once_never_reports_a_false_conflict(browser: Browser, live_server) -> None:
    base = live_server.url
    worker = _worker()
    assessment = _assessment(worker)
    section_url = f"{base}/casework/assessments/{assessment.pk}/sections/analysis/"
    overview = re.compile(re.escape(f"{base}/casework/assessments/{assessment.pk}/") + "$")
    page = browser.new_context().new_page()
    _sign_in(page, base, worker)
    autosaves: list[int] = []
    page.on(
        "response",
        lambda response: autosaves.append(response.status) if "/autosave/" in response.url else None,
    )

    for attempt in range(TRIES):
        page.goto(section_url)
        if attempt == 0:
            expect(page.locator("[data-autosave-status]")).to_have_text(
                "Your draft is saved every 30 seconds and when you leave the box."
            )
        words = f"Attempt {attempt + 1}: Amara is safe at her nan's; the risk at home is at night."
        page.get_by_label(TITLE).fill(words)
        # Straight to the button: leaving the box starts an autosave as the form is sent.
        with page.expect_navigation():
            page.get_by_role("button", name="Save and return").click()
        expect(page).to_have_url(overview)
        expect(page.get_by_role("heading", level=1)).to_have_text("Child and family assessment")
        assert "Someone else" not in page.content()
        assert _text(assessment) == words

    # The autosave really did run alongside the save, every time, and was never refused.
    assert len(autosaves) >= TRIES and set(autosaves) == {200}, autosaves


# Both saves carry the version the page had when the box was left, as when an autosave and
# the form cross in flight; the page's script is bypassed so it cannot wait or catch up.
_AUTOSAVE_THEN_FORM = """async () => {
  const form = document.querySelector("form[data-autosave-url]");
  const response = await fetch(form.dataset.autosaveUrl, {method: "POST", body: new FormData(form)});
  if (!response.ok) throw new Error(`autosave refused: ${response.status}`);
  HTMLFormElement.prototype.submit.call(form);
}"""
_FORM_THEN_AUTOSAVE = """async () => {
  const form = document.querySelector("form[data-autosave-url]");
  const body = new FormData(form);
  const posted = await fetch(form.action || location.href, {method: "POST", body: new FormData(form)});
  const autosave = await fetch(form.dataset.autosaveUrl, {method: "POST", body});
  return {redirected: posted.redirected, autosave: autosave.status};
}"""


def test_the_autosave_and_the_form_crossing_in_flight_is_not_a_conflict(
    browser: Browser, live_server
) -> None:
    """The same race without the page's script waiting for its autosave: the server alone
    must know the page's own saves from someone else's, whichever arrives first."""
    base = live_server.url
    worker = _worker()
    assessment = _assessment(worker)
    section_url = f"{base}/casework/assessments/{assessment.pk}/sections/analysis/"
    page = browser.new_context().new_page()
    _sign_in(page, base, worker)
    for attempt in range(TRIES):
        page.goto(section_url)
        words = f"Crossing {attempt + 1}: the family agreed a safety plan."
        page.get_by_label(TITLE).fill(words)
        if attempt % 2 == 0:
            with page.expect_navigation():
                page.evaluate(_AUTOSAVE_THEN_FORM)
            expect(page.get_by_role("heading", level=1)).to_have_text("Child and family assessment")
            assert "Someone else" not in page.content()
        else:
            result = page.evaluate(_FORM_THEN_AUTOSAVE)
            assert result == {"redirected": True, "autosave": 200}, result
        assert _text(assessment) == words


def test_the_version_on_the_page_follows_each_autosave(browser: Browser, live_server) -> None:
    base = live_server.url
    worker = _worker()
    assessment = _assessment(worker)
    page = browser.new_context().new_page()
    _sign_in(page, base, worker)
    page.goto(f"{base}/casework/assessments/{assessment.pk}/sections/analysis/")
    box = page.get_by_label(TITLE)
    for n in range(1, 4):
        box.fill(f"Draft {n}")
        page.keyboard.press("Tab")  # leaving the box saves the draft
        expect(page.locator("input[name=version]")).to_have_value(str(n))
        expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at")
        box.focus()
    box.fill("Final words")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and return").click()
    assert _text(assessment) == "Final words"
    assert AssessmentSection.objects.get(assessment=assessment, key="analysis").version == 4


def test_someone_else_saving_in_between_shows_both_texts_and_loses_nothing(
    browser: Browser, live_server
) -> None:
    base = live_server.url
    worker = _worker()
    manager = UserFactory(role=Role.TEAM_MANAGER, username="tm@staff.example", team=worker.team)
    assessment = _assessment(worker)
    section_url = f"{base}/casework/assessments/{assessment.pk}/sections/analysis/"
    page = browser.new_context().new_page()
    _sign_in(page, base, worker)
    page.goto(section_url)
    mine = "The worker's analysis: school reports Amara tired and hungry most mornings."
    page.get_by_label(TITLE).fill(mine)

    other = browser.new_context().new_page()
    _sign_in(other, base, manager)
    other.goto(section_url)
    theirs = "The manager's analysis: the family needs an early help plan."
    other.get_by_label(TITLE).fill(theirs)
    with other.expect_navigation():
        other.get_by_role("button", name="Save and return").click()
    assert _text(assessment) == theirs

    # The worker's autosave is refused and says so; the words stay in the box.
    page.get_by_label(TITLE).focus()
    page.keyboard.press("Tab")
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("Someone else has saved this section")
    expect(page.get_by_label(TITLE)).to_have_value(mine)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and return").click()
    conflict = page.locator("[data-conflict]")
    expect(conflict).to_contain_text(f"What {manager.display_name} saved")
    expect(conflict).to_contain_text(theirs)
    expect(page.get_by_label(TITLE)).to_have_value(mine)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Someone else saved this section")
    assert _text(assessment) == theirs
    _clean(page)

    # The page now stands on the manager's version: the merged words save first time.
    merged = f"{theirs}\n{mine}"
    page.get_by_label(TITLE).fill(merged)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Child and family assessment")
    assert _text(assessment).replace("\r\n", "\n") == merged  # a browser sends new lines as CR LF


def test_a_submitted_assessments_sections_are_read_only(browser: Browser, live_server) -> None:
    base = live_server.url
    worker = _worker()
    assessment = _assessment(worker)
    for key, title, _hint in ASSESSMENT_SECTIONS:
        assessment_section_save(
            actor=worker,
            assessment=assessment,
            key=key,
            text=f"{title}: from the home visit.",
            based_on_version=0,
        )
    assessment_record_details(
        actor=worker,
        assessment=assessment,
        fields={"child_seen_date": dt.date(2026, 8, 20), "factors": ["3B"], "outcome": "services"},
    )
    section_url = f"{base}/casework/assessments/{assessment.pk}/sections/analysis/"
    page = browser.new_context().new_page()
    _sign_in(page, base, worker)
    page.goto(section_url)  # opened before it was sent for authorisation
    assessment_submit(actor=worker, assessment=assessment, on=dt.date(2026, 8, 25))

    page.get_by_label(TITLE).fill("A change typed after it was sent")
    page.keyboard.press("Tab")
    expect(page.locator("[data-autosave-status]")).to_contain_text("can no longer be changed")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and return").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("can no longer be changed")
    expect(page.locator("[data-unsaved-text]")).to_have_text("A change typed after it was sent")
    assert _text(assessment) == "Analysis: from the home visit."

    page.goto(f"{base}/casework/assessments/{assessment.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("[data-read-only]")).to_contain_text("sent for authorisation")
    expect(page.locator("[data-section-text]")).to_have_text("Analysis: from the home visit.")
    assert page.locator("textarea").count() == 0
    assert page.get_by_role("button", name="Save and return").count() == 0
    _clean(page)

    # The server refuses a write however it comes.
    status = page.evaluate(
        """async (url) => {
          const body = new FormData();
          // The page's own token, from the sign-out form every signed-in page has.
          body.append("csrfmiddlewaretoken", document.querySelector("input[name=csrfmiddlewaretoken]").value);
          body.append("text", "Sneaked in");
          body.append("version", "1");
          return (await fetch(url + "autosave/", {method: "POST", body})).status;
        }""",
        section_url,
    )
    assert status == 409
    assert _text(assessment) == "Analysis: from the home visit."
