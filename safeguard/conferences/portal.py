"""Links and codes for people outside the council: the agency report portal and the
family page need no account.

An invitation gets a link (a random token; only its SHA-256 hash is stored, as Django
stores nothing of a password-reset link but its check) and a six-digit code sent
separately (stored only as a password hash). The link works until the conference's
feedback window closes or it is revoked; five wrong codes lock it. A code opens only its
own link: a code from someone else's invitation is a wrong code here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from safeguard.conferences.models import AgencyReport, Conference, ConferenceInvitation
from safeguard.core.calendar import is_working_day

MAX_WRONG_CODES = 5
CODE_DIGITS = 6
# Reports are due, and released to the family, this many working days before.
REPORT_DUE_WORKING_DAYS = 2
# The family can give feedback for a fortnight after the conference.
LINK_DAYS_AFTER_CONFERENCE = 14
_SESSION_KEY = "conference_portal"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Credentials:
    token: str
    code: str


def credentials_issue(invitation: ConferenceInvitation) -> Credentials:
    """A new link and code for ``invitation`` (any earlier ones stop working). The caller
    saves the invitation; the token and code are never stored."""
    token = secrets.token_urlsafe(32)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    invitation.token_hash = hash_token(token)
    invitation.code_hash = make_password(code)
    invitation.expires_at = link_expiry(invitation.conference)
    invitation.failed_codes = 0
    invitation.locked_at = None
    return Credentials(token, code)


def link_expiry(conference: Conference) -> dt.datetime:
    """A fortnight after the conference (for the family's feedback), or after the link is
    made if that is later (a letter printed again after the day)."""
    now = timezone.now()
    start = max(conference.starts_at or now, now)
    return start + dt.timedelta(days=LINK_DAYS_AFTER_CONFERENCE)


class LinkState(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    LOCKED = "locked"


def invitation_for_token(token: str) -> tuple[ConferenceInvitation | None, LinkState]:
    """The invitation a link is for, and whether it still works."""
    if not token:
        return None, LinkState.UNKNOWN
    invitation = (
        ConferenceInvitation.objects.select_related("conference__child", "conference__episode__worker")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        return None, LinkState.UNKNOWN
    if invitation.revoked_at is not None:
        return invitation, LinkState.REVOKED
    if invitation.locked_at is not None:
        return invitation, LinkState.LOCKED
    if invitation.expires_at is None or invitation.expires_at <= timezone.now():
        return invitation, LinkState.EXPIRED
    return invitation, LinkState.OK


def code_check(invitation: ConferenceInvitation, code: str) -> bool:
    """Whether ``code`` is this invitation's code. A wrong one is counted; the fifth
    locks the link (a new one must be sent)."""
    with transaction.atomic():
        row = ConferenceInvitation.objects.select_for_update().get(pk=invitation.pk)
        if row.locked_at is not None or row.revoked_at is not None:
            return False
        if row.code_hash and check_password(code.strip().replace(" ", ""), row.code_hash):
            if row.failed_codes:
                ConferenceInvitation.objects.filter(pk=row.pk).update(failed_codes=0)
            return True
        ConferenceInvitation.objects.filter(pk=row.pk).update(failed_codes=F("failed_codes") + 1)
        if row.failed_codes + 1 >= MAX_WRONG_CODES:
            ConferenceInvitation.objects.filter(pk=row.pk).update(locked_at=timezone.now())
    invitation.refresh_from_db(fields=["failed_codes", "locked_at"])
    return False


def session_open(request: HttpRequest, invitation: ConferenceInvitation) -> None:
    """Remember in this browser that the code for this link was given."""
    opened = dict(request.session.get(_SESSION_KEY, {}))
    opened[str(invitation.pk)] = invitation.token_hash
    request.session[_SESSION_KEY] = opened
    request.session.cycle_key()


def session_has(request: HttpRequest, invitation: ConferenceInvitation) -> bool:
    """Whether this browser gave the code for this invitation's current link."""
    opened = request.session.get(_SESSION_KEY, {})
    return bool(invitation.token_hash) and opened.get(str(invitation.pk)) == invitation.token_hash


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``day`` (skipping weekends and bank
    holidays): Monday's conference, 2 working days before, is the Thursday."""
    current = day
    while n > 0:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


def conference_day(conference: Conference) -> dt.date:
    if conference.starts_at is None:
        return conference.target_date
    return timezone.localtime(conference.starts_at).date()


def report_due(conference: Conference) -> dt.date:
    """When agencies' reports are due, and when the shareable ones go to the family."""
    return working_days_before(conference_day(conference), REPORT_DUE_WORKING_DAYS)


def released_reports(conference: Conference, *, today: dt.date) -> list[AgencyReport]:
    """The reports the family may read today: none before the release day, and never one
    its author marked not for sharing."""
    if today < report_due(conference):
        return []
    return list(
        AgencyReport.objects.filter(invitation__conference=conference, not_for_sharing=False)
        .select_related("invitation")
        .order_by("invitation__role", "submitted_at")
    )
