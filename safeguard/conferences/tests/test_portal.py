"""Invitations, the agency report portal and the family page.

Dates as in ``scenario``: the conference is on Thursday 19 November 2026, so reports are
due (and released to the family) 2 working days before, on Tuesday 17 November 2026.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any
from unittest import mock

import pytest
import textstat
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from safeguard.audit.models import AuditEvent
from safeguard.conferences import invitations
from safeguard.conferences.models import (
    ConferenceInvitation,
    FamilyFeedback,
    FamilyQuestion,
    InviteeRole,
)
from safeguard.conferences.portal import (
    MAX_WRONG_CODES,
    Credentials,
    LinkState,
    code_check,
    credentials_issue,
    hash_token,
    invitation_for_token,
    released_reports,
    report_due,
    working_days_before,
)
from safeguard.conferences.services import conference_record
from safeguard.conferences.tests.scenario import QUORATE, Case, build_case, scheduled, today_is
from safeguard.conferences.worklist import work_items
from safeguard.people.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db
SITE = "http://testserver/"
DUE = dt.date(2026, 11, 17)
REPORT = {
    "what_we_know": "Registered with the practice since birth.",
    "worries": "Missed two immunisation appointments.",
    "what_is_working": "Mother brings her to urgent appointments.",
    "recommendation": "A child in need plan with health visitor support.",
    "not_for_sharing": False,
}


def _invite(case: Case, conference: Any, role: str = InviteeRole.GP, **extra: Any) -> ConferenceInvitation:
    values = {
        "name": extra.pop("name", "Dr Ana Ruiz"),
        "role": role,
        "organisation": extra.pop("organisation", "Larch Grove Surgery"),
        "email": extra.pop("email", "ana.ruiz@example.org"),
        "language": "English",
        "interpreter_needed": False,
        "accessibility_needs": "",
        **extra,
    }
    with today_is(dt.date(2026, 11, 10)):
        return invitations.invitation_create(
            actor=case.worker, conference=conference, values=values, site_url=SITE
        )


def _credentials(invitation: ConferenceInvitation) -> Credentials:
    credentials = credentials_issue(invitation)
    invitation.save()
    return credentials


def _sent_credentials(to: str) -> tuple[str, str]:
    """The link token and code emailed to ``to`` (the invitation and, separately, the code)."""
    bodies = [str(m.body) for m in mail.outbox if to in m.to]
    token = next(m for b in bodies for m in re.findall(r"/conferences/link/([A-Za-z0-9_-]+)/", b))
    code = next(m for b in bodies for m in re.findall(r"security code is: (\d{6})", b))
    return token, code


@pytest.fixture
def case() -> Case:
    return build_case()


@pytest.fixture
def conference(case: Case) -> Any:
    return scheduled(case)


def test_invitation_is_emailed_after_commit_with_calendar_and_separate_code(
    case: Case, conference: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = _invite(case, conference)
    assert mail.outbox == []  # nothing goes before the invitation is committed
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    invite, code_mail = mail.outbox
    assert invite.to == code_mail.to == ["ana.ruiz@example.org"]
    assert "due by 17 November 2026" in invite.subject
    (name, ics, mimetype) = invite.attachments[0]
    assert (name, mimetype) == ("conference.ics", "text/calendar")
    ics_text = ics.decode() if isinstance(ics, bytes) else ics
    assert "DTSTART" in ics_text and "Room 2\\, Civic Centre" in ics_text
    assert case.child.family_name not in ics_text  # calendars are shared: no child's name
    assert re.search(r"\d{6}", str(code_mail.body)) and not re.search(r"\d{6}", str(invite.body))
    token, code = _sent_credentials("ana.ruiz@example.org")
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    # Only hashes are stored: the token's SHA-256, the code's password hash.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash and code not in invitation.code_hash
    events = AuditEvent.objects.filter(action__startswith="conference_invitation")
    assert not any(token in str(e.changes) or invitation.code_hash in str(e.changes) for e in events)
    assert "ana.ruiz@example.org" not in str([e.changes for e in events])


def test_no_email_means_a_letter(case: Case, conference: Any) -> None:
    invitation = _invite(case, conference, role=InviteeRole.PARENT, name="Dawn Hughes", email="")
    assert mail.outbox == []
    context = invitations.invitation_letter(actor=case.worker, invitation=invitation, site_url=SITE)
    letter = render_to_string("conferences/invite_letter.html", context)
    assert context["code"] in letter and context["link"] in letter
    assert "What is a conference?" in letter
    state = invitation_for_token(context["link"].rstrip("/").rsplit("/", 1)[1])
    assert state == (invitation, LinkState.OK)


def test_letter_pdf_downloads_for_the_worker(case: Case, conference: Any, client: Client) -> None:
    invitation = _invite(case, conference, role=InviteeRole.PARENT, name="Dawn Hughes", email="")
    client.force_login(case.worker)
    response = client.post(reverse("conferences:invitation_letter", args=[invitation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_invitation_needs_a_scheduled_conference(case: Case) -> None:
    from django.core.exceptions import ValidationError

    from safeguard.conferences.services import conference_propose_initial

    proposed = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    with pytest.raises(ValidationError, match="Schedule the conference first"):
        _invite(case, proposed)


def test_link_expires_and_can_be_revoked(case: Case, conference: Any) -> None:
    invitation = _invite(case, conference, email="")
    credentials = _credentials(invitation)
    assert invitation_for_token(credentials.token)[1] == LinkState.OK
    assert invitation_for_token("not-a-real-token") == (None, LinkState.UNKNOWN)
    assert invitation.expires_at is not None
    after = invitation.expires_at + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after):
        assert invitation_for_token(credentials.token)[1] == LinkState.EXPIRED
    invitations.invitation_revoke(actor=case.worker, invitation=invitation)
    assert invitation_for_token(credentials.token)[1] == LinkState.REVOKED
    # A new letter makes a new link: the old one stays dead.
    assert invitation.token_hash == hash_token(credentials.token)


def test_five_wrong_codes_lock_the_link_even_for_the_right_code(case: Case, conference: Any) -> None:
    invitation = _invite(case, conference, email="")
    credentials = _credentials(invitation)
    wrong = "000000" if credentials.code != "000000" else "111111"
    for _ in range(MAX_WRONG_CODES - 1):
        assert not code_check(invitation, wrong)
    assert invitation.locked_at is None
    assert not code_check(invitation, wrong)
    invitation.refresh_from_db()
    assert invitation.failed_codes == MAX_WRONG_CODES and invitation.locked_at is not None
    assert not code_check(invitation, credentials.code)
    assert invitation_for_token(credentials.token)[1] == LinkState.LOCKED


def test_someone_elses_code_does_not_open_a_link(case: Case, conference: Any, client: Client) -> None:
    gp = _invite(case, conference, email="")
    police = _invite(case, conference, role=InviteeRole.POLICE, name="PC Dale Hurst", email="")
    gp_credentials, police_credentials = _credentials(gp), _credentials(police)
    url = reverse("conferences:portal", kwargs={"token": gp_credentials.token})
    response = client.post(url, {"code": police_credentials.code})
    assert response.status_code == 200
    assert "The security code is not right" in response.content.decode()
    gp.refresh_from_db()
    assert gp.failed_codes == 1
    # Without the code, the report page goes back to the code page.
    report_url = reverse("conferences:portal_report", kwargs={"token": gp_credentials.token})
    assert client.get(report_url)["Location"] == url
    response = client.post(url, {"code": gp_credentials.code})
    assert response["Location"] == report_url
    # The GP's browser cannot use the police officer's link without the police code.
    police_url = reverse("conferences:portal_report", kwargs={"token": police_credentials.token})
    assert client.get(police_url)["Location"] == reverse(
        "conferences:portal", kwargs={"token": police_credentials.token}
    )


def test_report_on_time_and_late(case: Case, conference: Any) -> None:
    gp = _invite(case, conference, email="")
    police = _invite(case, conference, role=InviteeRole.POLICE, name="PC Dale Hurst", email="")
    with today_is(DUE):
        on_time = invitations.agency_report_submit(invitation=gp, values=REPORT)
    with today_is(DUE + dt.timedelta(days=1)):
        late = invitations.agency_report_submit(invitation=police, values=REPORT)
    assert (on_time.late, late.late) == (False, True)
    rows = {r.invitation.name: r.status for r in invitations.invitation_rows(conference)}
    assert rows == {"Dr Ana Ruiz": "Submitted", "PC Dale Hurst": "Submitted late"}


def test_chair_and_worker_see_who_has_submitted(case: Case, conference: Any, client: Client) -> None:
    gp = _invite(case, conference, email="")
    _invite(case, conference, role=InviteeRole.SCHOOL, name="Jo Penn", organisation="Larch Primary", email="")
    with today_is(DUE):
        invitations.agency_report_submit(invitation=gp, values=REPORT)
    for user in (case.chair, case.worker):
        client.force_login(user)
        page = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
        assert "Dr Ana Ruiz" in page and "Jo Penn" in page
        assert "Not submitted" in page and "Submitted" in page
        assert "Reports are due by 17 November 2026" in page


def test_released_reports_only_from_the_release_day_and_never_not_for_sharing(
    case: Case, conference: Any
) -> None:
    assert report_due(conference) == DUE == working_days_before(dt.date(2026, 11, 19), 2)
    gp = _invite(case, conference, email="")
    police = _invite(case, conference, role=InviteeRole.POLICE, name="PC Dale Hurst", email="")
    with today_is(DUE):
        invitations.agency_report_submit(invitation=gp, values=REPORT)
        invitations.agency_report_submit(
            invitation=police, values={**REPORT, "worries": "Police intelligence", "not_for_sharing": True}
        )
    assert released_reports(conference, today=DUE - dt.timedelta(days=1)) == []
    released = released_reports(conference, today=DUE)
    assert [r.invitation for r in released] == [gp]


def _opened_family(case: Case, conference: Any, client: Client) -> tuple[ConferenceInvitation, str]:
    family = _invite(case, conference, role=InviteeRole.PARENT, name="Dawn Hughes", email="")
    credentials = _credentials(family)
    response = client.post(
        reverse("conferences:portal", kwargs={"token": credentials.token}), {"code": credentials.code}
    )
    assert response["Location"] == reverse("conferences:family", kwargs={"token": credentials.token})
    return family, credentials.token


def test_family_page_shows_released_reports_and_nothing_withheld(
    case: Case, conference: Any, client: Client
) -> None:
    AddressFactory(person=case.child, line_1="9 Hidden Lane", must_not_be_disclosed=True)
    gp = _invite(case, conference, email="")
    police = _invite(case, conference, role=InviteeRole.POLICE, name="PC Dale Hurst", email="")
    with today_is(DUE):
        invitations.agency_report_submit(invitation=gp, values=REPORT)
        invitations.agency_report_submit(
            invitation=police, values={**REPORT, "worries": "Police intelligence", "not_for_sharing": True}
        )
    _family, token = _opened_family(case, conference, client)
    url = reverse("conferences:family", kwargs={"token": token})
    with today_is(DUE - dt.timedelta(days=1)):
        before = client.get(url).content.decode()
    assert "Missed two immunisation appointments" not in before
    assert "from 17 November 2026" in before
    with today_is(DUE):
        page = client.get(url).content.decode()
    assert "Missed two immunisation appointments" in page
    assert "Police intelligence" not in page
    # The parent invited shares no part of this check: the page speaks to "Dawn Hughes".
    assert "9 Hidden Lane" not in page and case.child.family_name not in page.replace("Dawn Hughes", "")
    assert "Sign out" not in page and reverse("people:child_list") not in page


def test_family_page_has_no_staff_navigation_for_a_signed_in_worker(
    case: Case, conference: Any, client: Client
) -> None:
    client.force_login(case.worker)
    _family, token = _opened_family(case, conference, client)
    page = client.get(reverse("conferences:family", kwargs={"token": token})).content.decode()
    assert "Sign out" not in page and reverse("home:home") not in page


def test_family_question_goes_to_the_workers_work_list(case: Case, conference: Any, client: Client) -> None:
    family, token = _opened_family(case, conference, client)
    url = reverse("conferences:family", kwargs={"token": token})
    response = client.post(url, {"text": "Can my sister come with me?"})
    assert response["Location"] == url
    question = FamilyQuestion.objects.get()
    assert question.invitation == family
    items = work_items(user=case.worker, today=DUE)
    assert [i.group for i in items] == ["Questions from families"]
    assert work_items(user=case.chair, today=DUE) == []
    invitations.family_question_answered(actor=case.worker, question=question)
    assert work_items(user=case.worker, today=DUE) == []


def test_family_feedback_after_the_conference(case: Case, conference: Any, client: Client) -> None:
    family, token = _opened_family(case, conference, client)
    feedback_url = reverse("conferences:family_feedback", kwargs={"token": token})
    assert client.get(feedback_url).status_code == 302  # not before it is held
    with today_is(dt.date(2026, 11, 20)):
        conference_record(
            actor=case.chair,
            conference=conference,
            held_on=dt.date(2026, 11, 19),
            attendance=QUORATE,
            plan_needed=False,
        )
    answers = {"listened_to": "yes", "understood": "partly", "reports_in_time": "no", "anything_else": ""}
    response = client.post(feedback_url, answers)
    assert response.status_code == 302
    saved = FamilyFeedback.objects.get()
    assert (saved.invitation, saved.understood) == (family, "partly")
    assert invitations.feedback_counts()["reports_in_time"] == {"no": 1}


def test_agency_cannot_use_the_family_page(case: Case, conference: Any, client: Client) -> None:
    gp = _invite(case, conference, email="")
    credentials = _credentials(gp)
    client.post(
        reverse("conferences:portal", kwargs={"token": credentials.token}), {"code": credentials.code}
    )
    response = client.get(reverse("conferences:family", kwargs={"token": credentials.token}))
    assert response["Location"] == reverse("conferences:portal_report", kwargs={"token": credentials.token})


def _visible_text(page: str) -> str:
    tree = lxml_html.fromstring(page)
    main = tree.find(".//main")
    return " ".join(main.itertext()) if main is not None else ""


def test_family_words_are_plain_english(case: Case, conference: Any, client: Client) -> None:
    _family, token = _opened_family(case, conference, client)
    page = _visible_text(client.get(reverse("conferences:family", kwargs={"token": token})).content.decode())
    about = _visible_text("<main>" + render_to_string("conferences/family_about.html") + "</main>")
    family = _invite(case, conference, role=InviteeRole.PARENT, name="Dawn Hughes", email="")
    context = invitations.invitation_letter(actor=case.worker, invitation=family, site_url=SITE)
    email = render_to_string("conferences/invite_family_email.txt", context)
    for text in (page, about, email):
        assert textstat.flesch_reading_ease(text) >= 60, text


def test_portal_pages_are_public_and_a_bad_link_says_so(client: Client) -> None:
    for name in ("portal", "portal_report", "family", "family_feedback"):
        response = client.get(reverse(f"conferences:{name}", kwargs={"token": "nope"}))
        assert response["Location"] == reverse("conferences:portal_link_problem")
    page = client.get(reverse("conferences:portal_link_problem")).content.decode()
    assert "This link does not work" in page


def test_invite_page_for_the_worker_not_a_colleague_elsewhere(
    case: Case, conference: Any, client: Client, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(case.worker)
    url = reverse("conferences:invite", args=[conference.pk])
    assert client.get(url).status_code == 200
    with today_is(dt.date(2026, 11, 10)), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "name": "Jo Penn",
                "role": "school",
                "organisation": "Larch Primary",
                "email": "jo@example.org",
                "language": "English",
            },
        )
    assert response.status_code == 302
    assert ConferenceInvitation.objects.get().name == "Jo Penn"
    assert len(mail.outbox) == 2
    client.force_login(make_user("social_worker"))
    assert client.get(url).status_code == 404
