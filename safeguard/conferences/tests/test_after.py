"""After the conference is scheduled: moving it, cancelling it, the diary's readiness, and
after it is held: the outcome letter and record on the chair's work list, the first core
group and the first review with their due dates.

Dates as in ``scenario``: the conference is held on Thursday 19 November 2026.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from safeguard.casework.models import ClockKind, StatutoryClock
from safeguard.conferences import invitations
from safeguard.conferences.models import (
    AgencyReport,
    ChildViews,
    Conference,
    ConferenceInvitation,
    ConferenceKind,
    ConferenceStatus,
    InviteeRole,
)
from safeguard.conferences.portal import LinkState, credentials_issue, invitation_for_token
from safeguard.conferences.selectors import chairs_diary, what_comes_next
from safeguard.conferences.services import (
    conference_cancel,
    conference_letter_sent,
    conference_propose_initial,
    conference_record,
    conference_record_complete,
    conference_schedule,
)
from safeguard.conferences.tests.scenario import QUORATE, Case, at, build_case, scheduled, today_is
from safeguard.conferences.worklist import work_items

pytestmark = pytest.mark.django_db
HELD = dt.date(2026, 11, 19)


@pytest.fixture
def case() -> Case:
    return build_case()


@pytest.fixture
def conference(case: Case) -> Any:
    return scheduled(case)


def _invite(case: Case, conference: Any, role: str, name: str, email: str = "", **extra: Any) -> Any:
    with today_is(dt.date(2026, 11, 10)):
        return invitations.invitation_create(
            actor=case.worker,
            conference=conference,
            values={"name": name, "role": role, "email": email, "language": "English", **extra},
            site_url="http://testserver/",
        )


def _held(case: Case, conference: Any) -> Any:
    with today_is(dt.date(2026, 11, 20)):
        return conference_record(
            actor=case.chair,
            conference=conference,
            held_on=HELD,
            attendance=QUORATE,
            plan_needed=True,
            category="EMO",
            lead_worker=case.worker,
        )


def test_holding_it_puts_the_letter_and_record_on_the_chairs_work_list(case: Case, conference: Any) -> None:
    _held(case, conference)
    conference.refresh_from_db()
    # 1 working day: Friday 20 November; 15 working days: Thursday 10 December 2026.
    assert (conference.letter_due, conference.record_due) == (dt.date(2026, 11, 20), dt.date(2026, 12, 10))
    items = work_items(user=case.chair, today=dt.date(2026, 11, 20))
    assert {(i.group, i.due) for i in items} == {
        ("Outcome letters to send", dt.date(2026, 11, 20)),
        ("Conference records to finish", dt.date(2026, 12, 10)),
    }
    assert not work_items(user=case.other_chair, today=dt.date(2026, 11, 20))
    with today_is(dt.date(2026, 11, 20)):
        with pytest.raises(PermissionDenied):
            conference_letter_sent(
                actor=case.other_chair, conference=conference, sent_on=dt.date(2026, 11, 20)
            )
        with pytest.raises(ValidationError, match="between the conference and today"):
            conference_letter_sent(actor=case.chair, conference=conference, sent_on=dt.date(2026, 11, 18))
        conference_letter_sent(actor=case.chair, conference=conference, sent_on=dt.date(2026, 11, 20))
    assert [i.group for i in work_items(user=case.chair, today=dt.date(2026, 11, 20))] == [
        "Conference records to finish"
    ]
    with today_is(dt.date(2026, 12, 1)):
        conference_record_complete(actor=case.chair, conference=conference, completed_on=dt.date(2026, 12, 1))
    assert work_items(user=case.chair, today=dt.date(2026, 12, 1)) == []


def test_a_plan_brings_the_first_core_group_and_review_with_their_due_dates(
    case: Case, conference: Any, client: Client
) -> None:
    _held(case, conference)
    conference.refresh_from_db()
    core_group = StatutoryClock.objects.get(kind=ClockKind.CORE_GROUP, source_id=conference.plan_id)
    # 10 working days from Thursday 19 November 2026: Thursday 3 December 2026.
    assert (core_group.start_date, core_group.due_date) == (HELD, dt.date(2026, 12, 3))
    next_steps = what_comes_next(conference)
    assert next_steps.review is not None and next_steps.review.target_date == dt.date(2027, 2, 19)
    assert next_steps.core_group == core_group
    client.force_login(case.chair)
    page = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "Due by 19 February 2027" in page and "Due by 3 December 2026" in page


def test_no_plan_means_no_core_group(case: Case, conference: Any) -> None:
    with today_is(dt.date(2026, 11, 20)):
        conference_record(
            actor=case.chair, conference=conference, held_on=HELD, attendance=QUORATE, plan_needed=False
        )
    assert not StatutoryClock.objects.filter(kind=ClockKind.CORE_GROUP).exists()
    assert what_comes_next(conference).review is None


def test_moving_it_tells_everyone_invited_and_retimes_their_links(
    case: Case, conference: Any, django_capture_on_commit_callbacks: Any
) -> None:
    gp = _invite(case, conference, InviteeRole.GP, "Dr Ana Ruiz", "ana@example.org")
    parent = _invite(case, conference, InviteeRole.PARENT, "Dawn Hughes")  # a letter, no email
    credentials = credentials_issue(parent)
    parent.save()
    before = parent.expires_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conference_schedule(
            actor=case.chair,
            conference=conference,
            chair=case.chair,
            starts_at=at(dt.date(2026, 11, 20)),
            room="Room 4",
        )
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    moved = mail.outbox[0]
    assert "moved to 20 November 2026" in moved.subject
    assert "now due by 18 November 2026" in str(moved.body)
    ics = moved.attachments[0][1]
    ics_text = ics.decode() if isinstance(ics, bytes) else ics
    assert "SEQUENCE:1" in ics_text and "Room 4" in ics_text
    parent.refresh_from_db()
    # A fortnight after the new date (or after now, if that is later), and later than before.
    assert parent.expires_at is not None and before is not None and parent.expires_at > before
    assert parent.expires_at >= at(dt.date(2026, 11, 20)) + dt.timedelta(days=14)
    assert invitation_for_token(credentials.token)[1] == LinkState.OK
    # Saving it again unchanged tells nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conference_schedule(
            actor=case.chair,
            conference=conference,
            chair=case.chair,
            starts_at=at(dt.date(2026, 11, 20)),
            room="Room 4",
        )
    assert mail.outbox == []
    assert gp.pk  # the agency was invited with an email address, so it was told above


def test_cancelling_tells_everyone_stops_their_links_and_another_can_be_proposed(
    case: Case, conference: Any, django_capture_on_commit_callbacks: Any
) -> None:
    gp = _invite(case, conference, InviteeRole.GP, "Dr Ana Ruiz", "ana@example.org")
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        conference_cancel(actor=case.chair, conference=conference, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        conference_cancel(actor=case.chair, conference=conference, reason="The child is in hospital")
    conference.refresh_from_db()
    assert (conference.status, conference.cancelled_reason) == (
        ConferenceStatus.CANCELLED,
        "The child is in hospital",
    )
    gp.refresh_from_db()
    assert gp.revoked_at is not None
    (told,) = mail.outbox
    assert "cancelled" in told.subject
    ics = told.attachments[0][1]
    assert "METHOD:CANCEL" in (ics.decode() if isinstance(ics, bytes) else ics)
    again = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    assert again.kind == ConferenceKind.INITIAL and again.pk != conference.pk
    with pytest.raises(ValidationError, match="Only a proposed or scheduled"):
        conference_cancel(actor=case.chair, conference=conference, reason="Twice")


def test_the_diary_shows_reports_views_and_interpreters(case: Case, conference: Any) -> None:
    gp = _invite(case, conference, InviteeRole.GP, "Dr Ana Ruiz")
    _invite(case, conference, InviteeRole.POLICE, "PC Dale Hurst")
    parent = _invite(
        case, conference, InviteeRole.PARENT, "Dawn Hughes", interpreter_needed=True, language="Polish"
    )
    (row,) = chairs_diary(user=case.chair, today=dt.date(2026, 11, 16))
    assert (row.reports_in, row.reports_expected, row.views_in) == (0, 2, False)
    assert (row.interpreters_needed, row.interpreters_booked, row.interpreters_ready) == (1, 0, False)
    assert not row.ready
    AgencyReport.objects.create(
        invitation=gp,
        what_we_know="a",
        worries="b",
        what_is_working="c",
        recommendation="d",
        submitted_at=at(dt.date(2026, 11, 16)),
    )
    ChildViews.objects.create(
        conference=conference,
        child=case.child,
        helped_by="own",
        safe_at_home=4,
        submitted_at=at(dt.date(2026, 11, 16)),
    )
    invitations.invitation_interpreter_booked(actor=case.worker, invitation=parent)
    with pytest.raises(ValidationError):
        invitations.invitation_interpreter_booked(actor=case.worker, invitation=parent)
    (row,) = chairs_diary(user=case.chair, today=dt.date(2026, 11, 16))
    assert (row.reports_in, row.views_in, row.interpreters_ready) == (1, True, True)
    assert not row.all_reports_in


def test_the_pages_and_buttons(case: Case, conference: Any, client: Client, make_user: Any) -> None:
    client.force_login(case.chair)
    diary = client.get(reverse("conferences:diary")).content.decode()
    assert "Agency reports" in diary and "Interpreters" in diary
    cancel = reverse("conferences:cancel", args=[conference.pk])
    assert client.get(cancel).status_code == 200
    response = client.post(cancel, {"reason": ""})
    assert "Give the reason the conference is cancelled" in response.content.decode()
    client.force_login(make_user("social_worker"))
    assert client.get(cancel).status_code == 404
    client.force_login(case.chair)
    _held(case, conference)
    # Another chair may see the conference, but the letter is the chair's own.
    client.force_login(case.other_chair)
    assert client.post(reverse("conferences:letter_sent", args=[conference.pk])).status_code == 403
    client.force_login(case.chair)
    with today_is(dt.date(2026, 11, 20)):
        client.post(reverse("conferences:letter_sent", args=[conference.pk]))
        client.post(reverse("conferences:record_complete", args=[conference.pk]))
    conference.refresh_from_db()
    assert (conference.letter_sent_on, conference.record_completed_on) == (dt.date(2026, 11, 20),) * 2
    assert Conference.objects.filter(kind=ConferenceKind.REVIEW).count() == 1
    assert ConferenceInvitation.objects.count() == 0
