"""In Chromium, with a real SMTP server on localhost: an initial conference is scheduled
inside its target; the worker invites a GP, a parent and the child, and the invitations
(with their calendar files) and the separate codes are read from the SMTP server; the GP
sends a report through the portal with the one-time code; the child sends their views; the
family page shows the released report; the chair records attendance and the decision; the
plan's PDF holds no referrer and no withheld address; the review conference and the first
core group show their due dates; the family's feedback is recorded. Every page passes axe.

Dates as in ``safeguard.conferences.tests.scenario``: strategy discussion Monday 2 November
2026, ICPC due Monday 23 November 2026, held Thursday 19 November; reports due (and shown
to the family) Tuesday 17 November 2026.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pypdf
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import axe_violations, describe
from safeguard.accounts.models import User
from safeguard.conferences.models import (
    AgencyReport,
    ChildViews,
    Conference,
    ConferenceKind,
    FamilyFeedback,
)
from safeguard.conferences.services import conference_propose_initial
from safeguard.conferences.tests.scenario import Case, build_case, today_is
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
REFERRER = "Nadia Quincebury"
HIDDEN_STREET = "9 Hidden Lane"
GP_EMAIL = "ana.ruiz@surgery.example"
PARENT_EMAIL = "dawn.hughes@home.example"
CHILD_EMAIL = "kai.hughes@home.example"


@dataclass
class Inbox:
    """What the SMTP server on localhost received, as parsed messages."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def link_and_code(self, address: str) -> tuple[str, str]:
        bodies = [m.get_body(preferencelist=("plain",)) for m in self.to(address)]
        texts = [b.get_content() for b in bodies if b is not None]
        link = next(m for t in texts for m in re.findall(r"https?://\S+/conferences/link/[A-Za-z0-9_-]+/", t))
        code = next(m for t in texts for m in re.findall(r"security code is: (\d{6})", t))
        return link, code


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on localhost; Django (and so the live server) sends mail to it."""
    received = Inbox()
    port = _free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield received
    finally:
        controller.stop()


def _checked(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def _click(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _fill_date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}-day").fill(str(day.day))
    page.locator(f"#id_{prefix}-month").fill(str(day.month))
    page.locator(f"#id_{prefix}-year").fill(str(day.year))


def _staff(browser: Browser, base: str, user: User) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page


def _outsider(browser: Browser, inbox: Inbox, address: str) -> Page:
    """Someone outside the council opens their link and gives their code."""
    link, code = inbox.link_and_code(address)
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    _checked(page)
    page.get_by_label("Security code").fill(code)
    _click(page, "Continue")
    return page


def _invite(page: Page, base: str, conference: Conference, name: str, role: str, address: str) -> None:
    page.goto(f"{base}/conferences/{conference.pk}/invite/")
    page.get_by_label("Full name").fill(name)
    page.get_by_label(role, exact=True).check()
    page.get_by_label("Email address").fill(address)
    _click(page, "Send the invitation")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{name} is invited")


def _seed(case: Case) -> None:
    """A referrer and a withheld address on the child's record, for the PDF to leave out."""
    contact = make_contact(referrer={"name": REFERRER, "phone": "07700 900123"})
    Contact.objects.filter(pk=contact.pk).update(child=case.child)
    AddressFactory(person=case.child, line_1=HIDDEN_STREET, must_not_be_disclosed=True)


def test_the_conference_with_agencies_the_child_and_the_family(
    browser: Browser, live_server: Any, inbox: Inbox
) -> None:
    base = live_server.url
    case = build_case()
    _seed(case)
    conference_propose_initial(actor=case.worker, enquiry=case.enquiry)

    with today_is(dt.date(2026, 11, 10)):
        # The chair schedules it inside its target.
        chair = _staff(browser, base, case.chair)
        conference = Conference.objects.get(kind=ConferenceKind.INITIAL)
        chair.goto(f"{base}/conferences/{conference.pk}/schedule/")
        _checked(chair)
        chair.get_by_label("Grace Osei").check()
        _fill_date(chair, "day", dt.date(2026, 11, 19))
        chair.get_by_label("Start time").fill("10:00")
        chair.get_by_label("Room").fill("Room 2, Civic Centre")
        _click(chair, "Schedule the conference")
        chair.goto(f"{base}/conferences/")
        expect(chair.locator("main")).to_contain_text("Within target")
        _checked(chair)

        # The worker invites the GP, a parent and the child; the mail goes to the SMTP server.
        worker = _staff(browser, base, case.worker)
        _invite(worker, base, conference, "Dr Ana Ruiz", "GP", GP_EMAIL)
        _checked(worker)
        _invite(worker, base, conference, "Dawn Hughes", "Parent", PARENT_EMAIL)
        _invite(worker, base, conference, case.child.full_name, "Child or young person", CHILD_EMAIL)
        for address in (GP_EMAIL, PARENT_EMAIL, CHILD_EMAIL):
            invitation, code_mail = inbox.to(address)
            (ics,) = [
                part for part in invitation.iter_attachments() if part.get_filename() == "conference.ics"
            ]
            calendar = ics.get_content()
            calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
            assert "BEGIN:VEVENT" in calendar and "Room 2\\, Civic Centre" in calendar
            assert case.child.family_name not in calendar
            assert not list(code_mail.iter_attachments())

    with today_is(dt.date(2026, 11, 16)):
        # The GP sends a report through the portal with the code.
        gp = _outsider(browser, inbox, GP_EMAIL)
        expect(gp.get_by_role("heading", level=1)).to_have_text(
            "Your report for the child protection conference"
        )
        _checked(gp)
        gp.get_by_label("What you know about the child and family").fill("Registered since birth.")
        gp.get_by_label("What you are worried about").fill("Missed two immunisation appointments.")
        gp.get_by_label("What is working well").fill("Mum brings her to urgent appointments.")
        gp.get_by_label("Your recommendation to the conference").fill("Health visitor support weekly.")
        _click(gp, "Send the report")
        expect(gp.locator("main")).to_contain_text("Your report was received")
        _checked(gp)
        assert AgencyReport.objects.get().late is False

        # The child sends their views through their own page.
        child = _outsider(browser, inbox, CHILD_EMAIL)
        with child.expect_navigation():
            child.get_by_role("button", name="Say what you think").click()
        expect(child.get_by_role("heading", level=1)).to_have_text("Tell the meeting what you think")
        _checked(child)
        child.get_by_label("On my own").check()
        child.get_by_label("What is going well for you?").fill("Football and my nan.")
        child.get_by_label("What worries you?").fill("Shouting at night.")
        # The scale is radios: reachable and chosen with the keyboard.
        child.get_by_label("3: Sometimes safe").focus()
        child.keyboard.press("ArrowRight")
        expect(child.get_by_label("4: Safe")).to_be_checked()
        child.get_by_label("Who would you like to be at the meeting?").fill("My nan.")
        _click(child, "Send what I think")
        expect(child.locator("main")).to_contain_text("Thank you")
        _checked(child)
        assert ChildViews.objects.get().safe_at_home == 4

    with today_is(dt.date(2026, 11, 17)):
        # Released to the family 2 working days before.
        family = _outsider(browser, inbox, PARENT_EMAIL)
        expect(family.get_by_role("heading", level=1)).to_contain_text("The conference about")
        expect(family.locator("main")).to_contain_text("Missed two immunisation appointments.")
        _checked(family)
        # The chair sees the child's views before the conference.
        chair.goto(f"{base}/conferences/{conference.pk}/")
        expect(chair.locator("#child-views")).to_be_visible()
        expect(chair.locator("main")).to_contain_text("4 out of 5: Safe")
        expect(chair.locator("main")).to_contain_text("Submitted")
        _checked(chair)

    with today_is(dt.date(2026, 11, 20)):
        chair.goto(f"{base}/conferences/{conference.pk}/record/")
        _fill_date(chair, "held_on", dt.date(2026, 11, 19))
        for i, (name, agency) in enumerate(
            [
                ("Priya Shah", "csc"),
                ("PC Dale Hurst", "police"),
                ("Dr Ana Ruiz", "gp"),
                ("Jo Penn", "school"),
            ],
            start=1,
        ):
            chair.get_by_label(f"Name (person {i})").fill(name)
            chair.get_by_label(f"Agency (person {i})").select_option(agency)
            chair.get_by_label(f"Attendance (person {i})").select_option("present")
        chair.locator("input[name=plan_needed][value=yes]").check()
        chair.get_by_label("Neglect").check()
        chair.get_by_label("Lead social worker").select_option(label="Priya Shah")
        _click(chair, "Record the conference")
        main = chair.locator("main")
        expect(main).to_contain_text("Yes: Neglect")
        # The first review within 3 months; the first core group within 10 working days.
        expect(main).to_contain_text("Due by 19 February 2027")
        expect(main).to_contain_text("Due by 3 December 2026")
        _checked(chair)

        # The worker writes an outcome; the plan's PDF leaves out the referrer and the address.
        conference.refresh_from_db()
        assert conference.plan_id is not None
        worker.goto(f"{base}/conferences/plans/{conference.plan_id}/outcomes/new/")
        _checked(worker)
        worker.get_by_label("What needs to change").fill("Kai gets to school on time every day")
        worker.get_by_label("Who does what").fill("Mum walks Kai to school.")
        _fill_date(worker, "by_when", dt.date(2027, 2, 1))
        worker.get_by_label("How we will know it has happened").fill("The register shows Kai on time.")
        _click(worker, "Add the outcome")
        expect(worker.locator("main")).to_contain_text("Kai gets to school on time every day")
        _checked(worker)
        with worker.expect_download() as download:
            worker.get_by_role("button", name="Download the plan (PDF)").click()
        path = download.value.path()
        reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
        text = " ".join(p.extract_text() for p in reader.pages)
        assert "Kai gets to school on time every day" in text
        for secret in (REFERRER, "07700 900123", HIDDEN_STREET):
            assert secret not in text

        # The family gives feedback.
        family.reload()
        expect(family.locator("main")).to_contain_text("Kai gets to school on time every day")
        _checked(family)
        with family.expect_navigation():
            family.get_by_role("button", name="Give feedback").click()
        _checked(family)
        family.get_by_role("group", name="Did you feel listened to?").get_by_label("Yes").check()
        family.get_by_role("group", name="Did you understand what was decided?").get_by_label(
            "Partly"
        ).check()
        family.get_by_role("group", name="Did you get the reports in time to read them?").get_by_label(
            "Yes"
        ).check()
        _click(family, "Send your feedback")
        expect(family.locator("main")).to_contain_text("Thank you")
        _checked(family)
    feedback = FamilyFeedback.objects.get()
    assert (feedback.listened_to, feedback.understood) == ("yes", "partly")
