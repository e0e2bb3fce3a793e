"""Inviting agencies and the family to a conference, and what they send back.

Staff writes take the acting user; writes from the portal and the family page are made by
no account (``actor=None``) and say whose link made them. Emails are sent by a job after
the invitation is committed (ADR 9); someone with no email gets a printed letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.audit.services import audited_create, audited_update
from safeguard.conferences.models import (
    AgencyReport,
    Conference,
    ConferenceInvitation,
    ConferenceStatus,
    FamilyFeedback,
    FamilyQuestion,
)
from safeguard.conferences.portal import Credentials, conference_day, credentials_issue, report_due
from safeguard.conferences.selectors import may_schedule, may_see
from safeguard.people.permissions import can

_INVITE_FIELDS = ["conference", "role", "language", "interpreter_needed"]


def may_invite(user: User, conference: Conference) -> bool:
    """The conference's chair, the conference chairs who may schedule it, and those who
    may edit the child's record (the worker and their managers)."""
    if conference.status not in (ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED):
        return False
    return may_see(user, conference) and (
        conference.chair_id == user.pk
        or may_schedule(user, conference)
        or can(user, Action.EDIT, conference.child)
    )


def invitation_create(
    *, actor: User, conference: Conference, values: dict[str, Any], site_url: str
) -> ConferenceInvitation:
    """Invite someone; with an email address the invitation (and, separately, the code)
    is emailed once this is committed."""
    if conference.status != ConferenceStatus.SCHEDULED:
        raise ValidationError("Schedule the conference first: an invitation needs its date and place")
    if not may_invite(actor, conference):
        raise PermissionDenied("You cannot invite people to this conference")
    with transaction.atomic():
        invitation = audited_create(
            ConferenceInvitation,
            actor=actor,
            action="conference_invitation_create",
            values={"conference": conference, **values},
            audit=_INVITE_FIELDS,  # never the name or address of someone outside the council
            child_id=conference.child_id,
            validate=True,
        )
        if invitation.email:
            # imported here to break the cycle invitations -> jobs -> invitations
            from safeguard.conferences import jobs

            invitation_id = str(invitation.pk)
            transaction.on_commit(
                lambda: jobs.conference_invitation_send.enqueue(
                    invitation_id=invitation_id, site_url=site_url
                )
            )
    return invitation


def _link(site_url: str, token: str) -> str:
    return site_url.rstrip("/") + reverse("conferences:portal", kwargs={"token": token})


def _letter_context(
    invitation: ConferenceInvitation, credentials: Credentials, site_url: str
) -> dict[str, Any]:
    conference = invitation.conference
    return {
        "invitation": invitation,
        "conference": conference,
        "child_first_name": conference.child.given_name,
        "day": conference_day(conference),
        "starts_at": timezone.localtime(conference.starts_at) if conference.starts_at else None,
        "due": report_due(conference),
        "link": _link(site_url, credentials.token),
        "code": credentials.code,
    }


def calendar_file(conference: Conference) -> bytes:
    """The conference as an iCalendar event. It does not name the child: calendars are
    shared and synced more widely than mail."""
    import icalendar

    cancelled = conference.status == ConferenceStatus.CANCELLED
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Safeguard//Conferences//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{conference.pk}@safeguard")
    event.add("sequence", conference.calendar_sequence)
    if cancelled:
        event.add("status", "CANCELLED")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", conference.starts_at)
    event.add("dtend", conference.ends_at)
    event.add("summary", "Child protection conference")
    event.add("location", conference.room or conference.video_link)
    if conference.video_link:
        event.add("url", conference.video_link)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def invitation_send(*, invitation_id: str, site_url: str) -> bool:
    """Email the invitation with its link and calendar file, then the code on its own (a
    job). Sending again makes a new link and code. False if there is nothing to send."""
    invitation = (
        ConferenceInvitation.objects.select_related("conference__child").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.email or invitation.revoked_at is not None:
        return False
    if invitation.conference.status != ConferenceStatus.SCHEDULED:
        return False
    credentials = credentials_issue(invitation)
    context = _letter_context(invitation, credentials, site_url)
    kind = "family" if invitation.is_family else "agency"
    message = EmailMessage(
        subject=render_to_string(f"conferences/invite_{kind}_subject.txt", context).strip(),
        body=render_to_string(f"conferences/invite_{kind}_email.txt", context),
        to=[invitation.email],
    )
    message.attach("conference.ics", calendar_file(invitation.conference), "text/calendar")
    message.send()
    EmailMessage(
        subject=render_to_string("conferences/invite_code_subject.txt", context).strip(),
        body=render_to_string("conferences/invite_code_email.txt", context),
        to=[invitation.email],
    ).send()
    audited_update(
        invitation,
        actor=None,
        action="conference_invitation_send",
        values={
            "token_hash": invitation.token_hash,
            "code_hash": invitation.code_hash,
            "expires_at": invitation.expires_at,
            "failed_codes": 0,
            "locked_at": None,
            "sent_at": timezone.now(),
        },
        audit=["sent_at", "expires_at"],
        child_id=invitation.conference.child_id,
    )
    return True


def conference_change_tell(*, invitation_id: str, change: str) -> bool:
    """Tell one person invited that the conference has moved (with the new calendar
    entry, replacing the old) or is cancelled (a job). Their link and code stay as sent."""
    invitation = (
        ConferenceInvitation.objects.select_related("conference__child").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.email:
        return False
    conference = invitation.conference
    gone = invitation.revoked_at is not None or conference.status != ConferenceStatus.SCHEDULED
    if change == "moved" and gone:
        return False
    context = {
        "invitation": invitation,
        "conference": conference,
        "child_first_name": conference.child.given_name,
        "day": conference_day(conference),
        "starts_at": timezone.localtime(conference.starts_at) if conference.starts_at else None,
        "due": report_due(conference),
        "change": change,
    }
    message = EmailMessage(
        subject=render_to_string("conferences/change_subject.txt", context).strip(),
        body=render_to_string("conferences/change_email.txt", context),
        to=[invitation.email],
    )
    message.attach("conference.ics", calendar_file(conference), "text/calendar")
    message.send()
    return True


def invitation_interpreter_booked(*, actor: User, invitation: ConferenceInvitation) -> ConferenceInvitation:
    """The interpreter someone needs is booked (for the diary's readiness)."""
    if not may_invite(actor, invitation.conference):
        raise PermissionDenied("You cannot change this invitation")
    if not invitation.interpreter_needed or invitation.interpreter_booked:
        raise ValidationError("No interpreter is waiting to be booked for this person")
    audited_update(
        invitation,
        actor=actor,
        action="conference_interpreter_booked",
        values={"interpreter_booked": True},
        child_id=invitation.conference.child_id,
    )
    return invitation


def invitation_letter(*, actor: User, invitation: ConferenceInvitation, site_url: str) -> dict[str, Any]:
    """A new link and code for a printed letter (earlier ones stop working): the context
    for the letter's template."""
    if not may_invite(actor, invitation.conference) or invitation.revoked_at is not None:
        raise PermissionDenied("You cannot print this letter")
    credentials = credentials_issue(invitation)
    audited_update(
        invitation,
        actor=actor,
        action="conference_invitation_letter",
        values={
            "token_hash": invitation.token_hash,
            "code_hash": invitation.code_hash,
            "expires_at": invitation.expires_at,
            "failed_codes": 0,
            "locked_at": None,
            "sent_at": timezone.now(),
        },
        audit=["sent_at", "expires_at"],
        child_id=invitation.conference.child_id,
    )
    return _letter_context(invitation, credentials, site_url)


def invitation_revoke(*, actor: User, invitation: ConferenceInvitation) -> ConferenceInvitation:
    """Stop the invitation's link working at once (sent to the wrong person, or they left)."""
    if not may_invite(actor, invitation.conference):
        raise PermissionDenied("You cannot revoke this invitation")
    if invitation.revoked_at is not None:
        raise ValidationError("This invitation is already revoked")
    audited_update(
        invitation,
        actor=actor,
        action="conference_invitation_revoke",
        values={"revoked_at": timezone.now()},
        child_id=invitation.conference.child_id,
    )
    return invitation


# -- from the portal and the family page (no account) ----------------------------------


def agency_report_submit(*, invitation: ConferenceInvitation, values: dict[str, Any]) -> AgencyReport:
    """An agency's report for the conference. Late ones (after the due day) are taken
    and marked late, for the chair to see."""
    conference = invitation.conference
    if invitation.is_family:
        raise PermissionDenied("Reports are sent by agencies")
    if conference.status != ConferenceStatus.SCHEDULED:
        raise ValidationError("This conference is no longer taking reports")
    if AgencyReport.objects.filter(invitation=invitation).exists():
        raise ValidationError("Your report has already been sent")
    now = timezone.now()
    return audited_create(
        AgencyReport,
        actor=None,
        action="conference_agency_report_submit",
        values={
            "invitation": invitation,
            **values,
            "submitted_at": now,
            "late": timezone.localdate() > report_due(conference),
        },
        audit=["invitation", "not_for_sharing", "late"],
        child_id=conference.child_id,
    )


def family_question_ask(*, invitation: ConferenceInvitation, text: str) -> FamilyQuestion:
    """A question from the family: it goes on the allocated worker's work list."""
    if not invitation.is_family:
        raise PermissionDenied("Questions come from the family")
    if not text.strip():
        raise ValidationError({"text": "Enter your question"})
    return audited_create(
        FamilyQuestion,
        actor=None,
        action="conference_family_question",
        values={"invitation": invitation, "text": text.strip()},
        audit=["invitation"],
        child_id=invitation.conference.child_id,
    )


def family_question_answered(*, actor: User, question: FamilyQuestion) -> FamilyQuestion:
    conference = question.invitation.conference
    if not (may_see(actor, conference) and can(actor, Action.EDIT, conference.child)):
        raise PermissionDenied("You cannot answer this question")
    if question.answered_at is not None:
        raise ValidationError("This question is already marked answered")
    audited_update(
        question,
        actor=actor,
        action="conference_family_question_answered",
        values={"answered_at": timezone.now()},
        child_id=conference.child_id,
    )
    return question


def family_feedback_submit(*, invitation: ConferenceInvitation, values: dict[str, Any]) -> FamilyFeedback:
    """The family's feedback once the conference has been held (one each)."""
    if not invitation.is_family:
        raise PermissionDenied("Feedback comes from the family")
    if invitation.conference.status != ConferenceStatus.HELD:
        raise ValidationError("You can give feedback after the conference")
    if FamilyFeedback.objects.filter(invitation=invitation).exists():
        raise ValidationError("Thank you: you have already given your feedback")
    return audited_create(
        FamilyFeedback,
        actor=None,
        action="conference_family_feedback",
        values={"invitation": invitation, **values},
        audit=["invitation", "listened_to", "understood", "reports_in_time"],
        child_id=invitation.conference.child_id,
    )


# -- for the conference page ------------------------------------------------------------


@dataclass(frozen=True)
class InvitationRow:
    invitation: ConferenceInvitation
    report: AgencyReport | None

    @property
    def status(self) -> str:
        if self.invitation.revoked_at is not None:
            return "Link revoked"
        if self.invitation.is_family:
            return "Family"
        if self.report is None:
            return "Not submitted"
        return "Submitted late" if self.report.late else "Submitted"


def invitation_rows(conference: Conference) -> list[InvitationRow]:
    """Who is invited and, for agencies, whether their report is in (for the chair and
    worker, on the conference page, which has already authorised the conference)."""
    invitations = list(conference.invitations.all())
    reports = {r.invitation_id: r for r in AgencyReport.objects.filter(invitation__conference=conference)}
    return [InvitationRow(i, reports.get(i.pk)) for i in invitations]


def feedback_counts() -> dict[str, dict[str, int]]:
    """How many family members answered each feedback question each way."""
    counts: dict[str, dict[str, int]] = {}
    for question in ("listened_to", "understood", "reports_in_time"):
        counts[question] = {}
        for answer in FamilyFeedback.objects.values_list(question, flat=True):
            counts[question][answer] = counts[question].get(answer, 0) + 1
    return counts


def invitation_context(user: User, conference: Conference) -> dict[str, Any]:
    """What the conference page shows of invitations, reports and the family's questions."""
    return {
        "invitation_rows": invitation_rows(conference),
        "reports_due": report_due(conference),
        "may_invite": may_invite(user, conference),
        "family_questions": list(
            FamilyQuestion.objects.filter(invitation__conference=conference).select_related("invitation")
        ),
    }
