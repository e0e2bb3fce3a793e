"""A referral's whole journey in Chromium, across every role that touches it: a concern comes
in (from the public form, or from a partner agency's system), the front door decides it is a
referral and chooses the receiving team (by the child's postcode, or another), the front door
manager authorises it where the council's policy says so, the receiving team's manager finds
it under "Referrals to allocate" and allocates a worker by weighted caseload, the worker
finds it on their list and completes the assessment, and the manager finds it under
"Assessments to authorise" and signs it off. axe-core runs on every page of the hand-off.

Each step waits for the page it leads to, never for a fixed time."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe
from safeguard.accounts.models import Role, Team, TeamKind, User
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import Assessment, AssessmentStatus, CINEpisode, ClockKind, StatutoryClock
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.frontdoor.models import Contact, ContactStatus, PartnerAgency
from safeguard.frontdoor.services import partner_key_create
from safeguard.people.tests.factories import AddressFactory, ChildFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Council:
    front_door: User
    front_door_manager: User
    north: Team
    south: Team
    managers: dict[str, User]
    workers: dict[str, User]


def _council() -> Council:
    """Two receiving teams by locality, each with a manager and two workers; the first
    worker already holds a child on a protection plan (their weighted caseload is 1.5)."""
    mash = TeamFactory(name="Front Door (MASH)", kind=TeamKind.FRONT_DOOR)
    north = TeamFactory(name="North Assessment Team", postcode_districts="HM1 HM2")
    south = TeamFactory(name="South Assessment Team", postcode_districts="HM3 HM4")
    managers, workers = {}, {}
    for key, team, (first, second) in (
        ("north", north, ("Priya", "Tom")),
        ("south", south, ("Grace", "Idris")),
    ):
        managers[key] = UserFactory(
            role=Role.TEAM_MANAGER, team=team, first_name="Morgan", last_name=f"{key.title()}manager"
        )
        busy = UserFactory(role=Role.SOCIAL_WORKER, team=team, first_name=first, last_name="Busy")
        plan_episode = EpisodeFactory(team=team, worker=busy)
        CPPlanFactory(episode=plan_episode, child=plan_episode.child)
        workers[key] = UserFactory(role=Role.SOCIAL_WORKER, team=team, first_name=second, last_name="Free")
        workers[f"{key}_busy"] = busy
    return Council(
        front_door=UserFactory(
            role=Role.FRONT_DOOR_PRACTITIONER, team=mash, first_name="Fern", last_name="Door"
        ),
        front_door_manager=UserFactory(
            role=Role.FRONT_DOOR_MANAGER, team=mash, first_name="Frank", last_name="Doorman"
        ),
        north=north,
        south=south,
        managers=managers,
        workers=workers,
    )


def _check(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"
    assert page.locator("h1").count() == 1, page.url


def _as(browser: Browser, base: str, user: User) -> Page:
    """A fresh browser session signed in as ``user``, on their home page."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/home/")
    return page


def _click(page: Page, name: str, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def _continue(page: Page) -> None:
    _click(page, "Continue")


def _banner(page: Page) -> str:
    return str(page.locator(".govuk-notification-banner").first.inner_text())


def _fill_date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}-day").fill(str(day.day))
    page.locator(f"#id_{prefix}-month").fill(str(day.month))
    page.locator(f"#id_{prefix}-year").fill(str(day.year))


def _report_on_the_public_form(page: Page, base: str) -> str:
    page.goto(f"{base}/report-a-concern/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    page.get_by_label("A member of the public, for example a neighbour or friend").check()
    _continue(page)
    page.get_by_label("No", exact=True).check()
    _continue(page)
    page.get_by_label("What has happened?").fill("Lena is often outside alone late at night, without a coat.")
    _continue(page)
    page.get_by_label("First name (optional)").fill("Lena")
    page.get_by_label("Last name (optional)").fill("Ashworth")
    _fill_date(page, "date_of_birth", dt.date(2017, 3, 9))
    page.get_by_label("Postcode (optional)").fill("HM1 2XY")
    _continue(page)
    _continue(page)  # adults: not known
    _continue(page)  # about you: anonymous
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Your reference")
    return str(page.locator(".govuk-panel strong").inner_text()).strip()


def _report_through_the_api(base: str) -> str:
    agency = PartnerAgency.objects.create(name="Harrowmere Police", agency_type="police")
    _key, raw = partner_key_create(actor=None, agency=agency)
    body = {
        "concern": "Officers attended a domestic incident; Noah was present and frightened.",
        "child": {
            "given_name": "Noah",
            "family_name": "Pemberton",
            "date_of_birth": "2015-07-21",
            "postcode": "HM3 5QT",
        },
        "referrer": {"name": "PC Lane", "email": "pc.lane@police.example"},
        "consent": "not_sought",
        "consent_reason": "Police notification",
    }
    request = urllib.request.Request(  # noqa: S310 - the live test server on 127.0.0.1
        f"{base}/api/v1/contacts",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-API-Key": raw, "Idempotency-Key": "incident-5150"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 201
        return str(json.loads(response.read())["reference"])


def _front_door_refers(page: Page, reference: str, *, team: Team, default: Team, authorised: bool) -> None:
    """Find the contact in the queue, create the child's record, refer to ``team``."""
    _click(page, "Front door", role="link")
    _click(page, reference, role="link")
    _check(page)
    _click(page, "Create a new child's record from this contact")
    page.get_by_role("button", name="Decide what happens next").click()
    page.wait_for_url(re.compile(r"/decide/$"))
    _check(page)
    chooser = page.get_by_label("Which team will receive the referral?")
    expect(chooser).to_have_value(str(default.pk))  # the team covering the child's postcode
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Reason for the decision").fill("The concerns meet the threshold for an assessment.")
    if team != default:
        chooser.select_option(str(team.pk))
    _continue(page)
    _check(page)
    expect(page.locator("main")).to_contain_text(team.name)
    _click(page, "Send for authorisation" if authorised else "Record decision")
    _check(page)


def _manager_authorises_decision(page: Page, reference: str, team: Team) -> None:
    _click(page, "Front door", role="link")
    _click(page, reference, role="link")
    page.get_by_role("button", name="Authorise the decision").click()
    page.wait_for_url(re.compile(r"/authorise/$"))
    _check(page)
    expect(page.get_by_label("Which team will receive the referral?")).to_have_value(str(team.pk))
    page.get_by_label("Yes, authorise it").check()
    _click(page, "Save")
    assert "Decision authorised" in _banner(page)


def _handed_off(page: Page, child_name: str, team: Team) -> CINEpisode:
    """The contact page links the episode the decision opened, now with ``team``."""
    expect(page.locator("main")).to_contain_text(f"With {team.name}: waiting for a worker")
    episode = CINEpisode.objects.get(child__given_name=child_name.split()[0], closure_date__isnull=True)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Episode from")).click()
    _check(page)
    expect(page.locator("main")).to_contain_text(team.name)
    # Once with the team, the front door neither sends it on again nor allocates it.
    expect(page.get_by_role("button", name="Send to a team")).to_have_count(0)
    expect(page.get_by_role("button", name="Allocate a worker")).to_have_count(0)
    return episode


def _manager_allocates(page: Page, child_name: str, worker: User, busy: User) -> None:
    assert worker.team is not None and busy.team is not None
    waiting = page.get_by_role("table", name=re.compile(r"^Referrals to allocate"))
    expect(waiting).to_contain_text(child_name)
    expect(waiting).to_contain_text("Due in")  # the assessment clock, from the referral date
    _check(page)
    _click(page, f"Allocate {child_name}", role="link")
    _check(page)
    expect(page.locator("main")).to_contain_text(
        f"{busy.display_name} ({busy.team.name}): 1 child, weighted caseload 1.5 against 18 for their hours"
    )
    page.get_by_label(
        re.compile(re.escape(f"{worker.display_name} ({worker.team.name}): 0 children"))
    ).check()
    _click(page, "Allocate")
    assert "The case is allocated" in _banner(page)


def _worker_assesses(page: Page, base: str, child_name: str) -> Assessment:
    mine = page.get_by_role("table", name=re.compile(r"^Your children"))
    expect(mine).to_contain_text(child_name)
    _check(page)
    # The child's clocks on the home page link to the episode too: open the child from the list.
    with page.expect_navigation():
        mine.get_by_role("link", name=child_name).click()
    today = dt.date.today()
    with page.expect_navigation():
        history = page.get_by_role("table", name=re.compile("^Contacts and referrals"))
        history.get_by_role("link", name=re.compile("^Referral from")).first.click()
    _click(page, "Start an assessment", role="button")
    _fill_date(page, "start_date", today)
    _click(page, "Start the assessment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Child and family assessment")
    assessment = Assessment.objects.get(episode__child__given_name=child_name.split()[0])
    for key, title, _hint in ASSESSMENT_SECTIONS:
        page.goto(f"{base}/casework/assessments/{assessment.pk}/sections/{key}/")
        page.get_by_label(title).fill(f"{title}: recorded at the home visit.")
        _click(page, "Save and return")
    page.goto(f"{base}/casework/assessments/{assessment.pk}/details/")
    _fill_date(page, "child_seen_date", today)
    page.locator("input[name=child_seen_alone][value=yes]").check()
    page.get_by_label("Domestic abuse: parent or carer").check()
    page.get_by_label("Services needed").check()
    _click(page, "Save and return")
    _click(page, "Submit for authorisation")
    assert "sent to your manager" in _banner(page)
    return assessment


def _manager_authorises_assessment(page: Page, child_name: str) -> None:
    waiting = page.get_by_role("table", name=re.compile(r"^Assessments to authorise"))
    expect(waiting).to_contain_text(child_name)
    expect(waiting).to_contain_text("Due in")
    _check(page)
    with page.expect_navigation():
        waiting.get_by_role("link", name=child_name).click()
    _click(page, "Authorise the assessment")
    _check(page)
    _click(page, "Authorise")
    assert "authorised" in _banner(page)


def _after(browser: Browser, base: str, council: Council, key: str, child_name: str, team: Team) -> None:
    """From the receiving team's manager onwards: the same for every way a referral arrives."""
    manager, worker, busy = council.managers[key], council.workers[key], council.workers[f"{key}_busy"]
    page = _as(browser, base, manager)
    _manager_allocates(page, child_name, worker, busy)
    page.context.close()

    page = _as(browser, base, worker)
    assessment = _worker_assesses(page, base, child_name)
    page.context.close()

    page = _as(browser, base, manager)
    _manager_authorises_assessment(page, child_name)
    page.context.close()

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.AUTHORISED and assessment.authorised_by == manager
    episode = assessment.episode
    assert episode.worker == worker and episode.team == team
    # One assessment clock, started from the referral date and met on authorisation.
    [clock] = StatutoryClock.objects.filter(episode=episode, kind=ClockKind.ASSESSMENT)
    assert clock.start_date == episode.referral_date and clock.met_date == dt.date.today()
    trail = list(
        AuditEvent.objects.filter(object_id=str(episode.pk))
        .order_by("occurred_at")
        .values_list("action", flat=True)
    )
    assert trail[:3] == ["episode_open", "episode_send_to_team", "episode_allocate"], trail


def test_a_public_concern_is_referred_allocated_assessed_and_authorised(
    browser: Browser, live_server
) -> None:
    base = live_server.url
    council = _council()

    page = browser.new_context().new_page()
    reference = _report_on_the_public_form(page, base)
    page.context.close()

    page = _as(browser, base, council.front_door)
    _front_door_refers(page, reference, team=council.north, default=council.north, authorised=False)
    assert "The referral is with North Assessment Team" in _banner(page)
    contact = Contact.objects.get(reference=reference)
    assert contact.status == ContactStatus.DECIDED
    episode = _handed_off(page, "Lena Ashworth", council.north)
    assert contact.episode == episode
    page.context.close()

    _after(browser, base, council, "north", "Lena Ashworth", council.north)


def test_a_police_referral_is_authorised_at_the_front_door_then_allocated_and_assessed(
    browser: Browser, live_server, settings
) -> None:
    # This council's policy: a manager authorises every referral at the front door.
    settings.FRONT_DOOR_AUTHORISED_DECISIONS = ["nfa", "strategy", "referral"]
    base = live_server.url
    council = _council()
    reference = _report_through_the_api(base)

    # The practitioner sends it south, as proposed by the postcode (HM3).
    page = _as(browser, base, council.front_door)
    _front_door_refers(page, reference, team=council.south, default=council.south, authorised=True)
    assert "Decision sent to a front door manager" in _banner(page)
    assert not CINEpisode.objects.filter(child__given_name="Noah").exists()
    page.context.close()

    page = _as(browser, base, council.front_door_manager)
    _manager_authorises_decision(page, reference, council.south)
    _handed_off(page, "Noah Pemberton", council.south)
    page.context.close()

    _after(browser, base, council, "south", "Noah Pemberton", council.south)


def test_a_referral_left_with_the_front_door_is_sent_on_then_transferred(
    browser: Browser, live_server
) -> None:
    """A referral still with the front door (accepted before receiving teams were chosen)
    is sent from its episode page; later a service manager transfers it to another team."""
    base = live_server.url
    council = _council()
    child = ChildFactory(given_name="Ava", family_name="Lindqvist")
    AddressFactory(person=child, postcode="HM2 8RT")
    episode = EpisodeFactory(child=child, team=council.front_door.team, referral_date=dt.date.today())

    page = _as(browser, base, council.front_door)
    waiting = page.get_by_role("table", name=re.compile(r"^Referrals to send to a team"))
    expect(waiting).to_contain_text("Ava Lindqvist")
    _check(page)
    _click(page, "Ava Lindqvist", role="link")
    _click(page, "Send to a team")
    _check(page)
    chooser = page.get_by_label("Which team will receive the referral?")
    expect(chooser).to_have_value(str(council.north.pk))  # HM2 is the north's
    _click(page, "Send the referral")
    assert "now with North Assessment Team" in _banner(page)
    _check(page)
    page.context.close()

    service_manager = UserFactory(
        role=Role.SERVICE_MANAGER, team=council.north, first_name="Sam", last_name="Service"
    )
    page = _as(browser, base, service_manager)
    page.goto(f"{base}/casework/episodes/{episode.pk}/")
    _click(page, "Transfer to another team")
    _check(page)
    page.get_by_label("Which team will hold the case?").select_option(str(council.south.pk))
    _click(page, "Transfer the case")  # no reason: asked for, and the choice is kept
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the transfer")
    _check(page)
    expect(page.get_by_label("Which team will hold the case?")).to_have_value(str(council.south.pk))
    page.get_by_label("Why is the case moving?").fill("The family moved to the south of the borough.")
    _click(page, "Transfer the case")
    assert "now with South Assessment Team" in _banner(page)
    page.context.close()

    page = _as(browser, base, council.managers["south"])
    expect(page.get_by_role("table", name=re.compile(r"^Referrals to allocate"))).to_contain_text(
        "Ava Lindqvist"
    )
    page.context.close()
    actions = set(AuditEvent.objects.filter(object_id=str(episode.pk)).values_list("action", flat=True))
    assert {"episode_send_to_team", "episode_transfer"} <= actions
