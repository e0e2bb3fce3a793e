"""Writes to staff accounts: multi-factor authentication set-up, verification and reset,
removing the demo accounts, and the system administrator's management of services, teams
and accounts (each write audited, refused whole when a rule is broken)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.demo import DEMO_ACCOUNTS, is_demo_account
from safeguard.accounts.models import Role, Service, Team, TeamKind, User
from safeguard.audit.services import audit_event_record, audited_create, audited_update, diff, snapshot

RECOVERY_CODE_COUNT = 10
_SETUP_NAME = "Authenticator app"


def mfa_enrolled(*, user: User) -> bool:
    """The user has a confirmed authenticator or recovery codes."""
    return bool(user_has_device(user, confirmed=True))


def mfa_session_verified(request: HttpRequest) -> bool:
    """This session has passed the second factor (set by django-otp's middleware)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def mfa_may_enrol(*, request: HttpRequest, user: User) -> bool:
    """First-time set-up needs only the password; replacing an authenticator needs a session
    that has already passed the current one, or a password alone would let anyone who has
    it swap in their own phone."""
    return not mfa_enrolled(user=user) or mfa_session_verified(request)


def mfa_setup_begin(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (any earlier unconfirmed one is replaced)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_SETUP_NAME, confirmed=False)


def _device_names(user: User) -> list[str]:
    return sorted(device.name for device in devices_for_user(user, confirmed=True))


def mfa_setup_confirm(
    *, request: HttpRequest, user: User, device: TOTPDevice, token: str
) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns one-time recovery codes.

    Returns None when the code is wrong. The codes are shown once and stored only as the
    static device's tokens, which are deleted as they are used. A user who already has an
    authenticator must be verified with it first; the new one then replaces it and the old
    recovery codes, and the audit trail names what was replaced.
    """
    if not mfa_may_enrol(request=request, user=user):
        raise PermissionDenied("Enter a security code from your current authenticator first")
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    with transaction.atomic():
        replaced = _device_names(user)
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
        audit_event_record(
            actor=user,
            action="mfa_setup_confirm",
            instance=user,
            changes={
                "mfa": {
                    "before": ", ".join(replaced) or None,
                    "after": "authenticator app and recovery codes",
                }
            },
        )
    otp_login(request, device)
    return codes


def mfa_reset(*, actor: User | None, user: User, reason: str) -> list[str]:
    """Remove every authenticator and recovery code of ``user``, for a lost phone.

    An administrator's act, never the user's own: the user then sets up a new authenticator
    after their password at the next sign-in. ``actor`` is None when run from the command
    line, where ``reason`` says who asked. Returns the names of the removed devices.
    """
    if not reason.strip():
        raise ValueError("Give the reason for resetting the security codes")
    with transaction.atomic():
        removed = _device_names(user)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_event_record(
            actor=actor,
            action="mfa_reset",
            instance=user,
            changes={
                "mfa": {"before": ", ".join(removed) or None, "after": None},
                "reason": {"before": None, "after": reason.strip()},
            },
        )
    return removed


def mfa_verify(*, request: HttpRequest, user: User, token: str) -> bool:
    """Check a code from the authenticator, or a recovery code (used once), and mark the
    session as verified."""
    device = match_token(user, token.replace(" ", "").strip())
    if device is None:
        return False
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        audit_event_record(
            actor=user,
            action="mfa_recovery_code_used",
            instance=user,
            changes={"recovery_codes_left": {"before": None, "after": device.token_set.count()}},
        )
    return True


def demo_accounts_remove(*, actor: User | None) -> tuple[list[str], list[str]]:
    """Delete every demo account, for an instance leaving demo mode.

    An account that records still refer to (the append-only audit trail, the cases of the
    demo data) cannot be deleted: it is disabled for good instead, with no password and no
    admin access. Returns the usernames deleted and disabled.
    """
    deleted: list[str] = []
    disabled: list[str] = []
    with transaction.atomic():
        for user in User.objects.filter(DEMO_ACCOUNTS).order_by("username"):
            try:
                with transaction.atomic():
                    audit_event_record(
                        actor=actor,
                        action="demo_account_delete",
                        instance=user,
                        changes={"username": {"before": user.username, "after": None}},
                    )
                    user.delete()
                deleted.append(user.username)
                continue
            except (ProtectedError, RestrictedError):
                pass
            user.is_active = user.is_staff = user.is_superuser = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "is_staff", "is_superuser", "password"])
            audit_event_record(
                actor=actor,
                action="demo_account_disable",
                instance=user,
                changes={
                    "is_active": {"before": True, "after": False},
                    "password": {"before": "demo", "after": None},
                },
            )
            disabled.append(user.username)
    return deleted, disabled


# -- The system administrator's management pages -------------------------------------------


def _refuse(field: str, message: str) -> ValidationError:
    """A refusal the page shows on the field it is about."""
    return ValidationError({field: message})


def service_create(*, actor: User, name: str) -> Service:
    with transaction.atomic():
        if Service.objects.filter(name__iexact=name.strip()).exists():
            raise _refuse("name", "There is already a service with this name")
        return audited_create(
            Service, actor=actor, action="service_create", values={"name": name.strip()}, child_id=None
        )


def service_update(*, actor: User, service: Service, name: str) -> Service:
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        if Service.objects.filter(name__iexact=name.strip()).exclude(pk=service.pk).exists():
            raise _refuse("name", "There is already a service with this name")
        audited_update(
            service, actor=actor, action="service_update", values={"name": name.strip()}, child_id=None
        )
    return service


def _team_check(*, team: Team | None, name: str, kind: str) -> None:
    same_name = Team.objects.filter(name__iexact=name)
    if team is not None:
        same_name = same_name.exclude(pk=team.pk)
    if same_name.exists():
        raise _refuse("name", "There is already a team with this name")
    if team is None or kind == team.kind:
        return
    # A partner agency's team holds only its agency's users, and a council team none of them.
    members = team.members.filter(is_active=True)
    if kind == TeamKind.PARTNER and members.exclude(role=Role.PARTNER_AGENCY).exists():
        raise _refuse("kind", "This team has council staff in it: it cannot become a partner agency team")
    if kind != TeamKind.PARTNER and members.filter(role=Role.PARTNER_AGENCY).exists():
        raise _refuse("kind", "This team has partner agency users in it: it must stay a partner agency team")


def team_create(*, actor: User, name: str, kind: str, service: Service, caseload_policy: int) -> Team:
    name = name.strip()
    values = {"name": name, "kind": kind, "service": service, "caseload_policy": caseload_policy}
    with transaction.atomic():
        _team_check(team=None, name=name, kind=kind)
        return audited_create(
            Team, actor=actor, action="team_create", values=values, child_id=None, validate=True
        )


def team_update(
    *, actor: User, team: Team, name: str, kind: str, service: Service, caseload_policy: int
) -> Team:
    name = name.strip()
    values = {"name": name, "kind": kind, "service": service, "caseload_policy": caseload_policy}
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        _team_check(team=team, name=name, kind=kind)
        audited_update(team, actor=actor, action="team_update", values=values, child_id=None, validate=True)
    return team


def _role_fits_team(*, role: str, team: Team, agency_name: str) -> None:
    if role == Role.PARTNER_AGENCY:
        if team.kind != TeamKind.PARTNER:
            raise _refuse("team", "A partner agency user must be in a partner agency team")
        if not agency_name.strip():
            raise _refuse("agency_name", "Enter the agency the partner agency user works for")
    elif team.kind == TeamKind.PARTNER:
        raise _refuse("team", "Only partner agency users can be in a partner agency team")


def _active_administrators() -> Any:
    """Accounts that can sign in as a system administrator now: a demo account counts only
    in demo mode, since it cannot sign in anywhere else (accounts.demo)."""
    admins = User.objects.filter(role=Role.SYSTEM_ADMINISTRATOR, is_active=True)
    return admins if settings.DEMO_MODE else admins.exclude(DEMO_ACCOUNTS)


def _keeps_an_administrator(*, user: User, field: str) -> None:
    """Refuse a change that leaves nobody able to manage accounts. The administrators' rows
    are locked first so that two administrators removing each other at once cannot both pass."""
    if user.role != Role.SYSTEM_ADMINISTRATOR or not user.is_active:
        return
    others = list(
        _active_administrators().select_for_update().exclude(pk=user.pk).values_list("pk", flat=True)
    )
    if not others:
        raise _refuse(field, "This is the last active system administrator: make another one first")


_ACCOUNT_FIELDS = [
    "username",
    "email",
    "first_name",
    "last_name",
    "job_title",
    "role",
    "team_id",
    "agency_name",
]


def account_create(
    *,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str,
    role: str,
    team: Team,
    agency_name: str = "",
    site_url: str,
) -> User:
    """A new account with no password: the person is emailed a link to choose one (the
    password reset flow's token), so nobody else ever knows it.

    ``site_url`` is where the link points (the scheme and host of the page that made the
    account). The email is sent after the account is committed.
    """
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise _refuse("email", "There is already an account with this email address")
        _role_fits_team(role=role, team=team, agency_name=agency_name)
        values = {
            "username": email,
            "email": email,
            "first_name": first_name.strip(),
            "last_name": last_name.strip(),
            "job_title": job_title.strip(),
            "role": role,
            "team": team,
            "agency_name": agency_name.strip() if role == Role.PARTNER_AGENCY else "",
            "is_demo_account": False,
            "password": make_password(None),  # unusable: only the person chooses one
        }
        user = audited_create(
            User,
            actor=actor,
            action="account_create",
            values=values,
            audit=_ACCOUNT_FIELDS,  # never the password column
            child_id=None,
            validate=True,
        )
        _invitation_enqueue(actor=actor, user=user, site_url=site_url)
    return user


def _invitation_enqueue(*, actor: User, user: User, site_url: str) -> None:
    # imported here to break the cycle accounts.services -> accounts.jobs -> accounts.services
    from safeguard.accounts import jobs

    audit_event_record(
        actor=actor,
        action="account_invitation_send",
        instance=user,
        changes={"invitation": {"before": None, "after": user.email}},
    )
    user_id = str(user.pk)
    transaction.on_commit(lambda: jobs.account_invitation_send.enqueue(user_id=user_id, site_url=site_url))


def account_invitation_resend(*, actor: User, user: User, site_url: str) -> None:
    """A new link for someone who has not yet chosen a password (the last one expired)."""
    if is_demo_account(user):
        # Its mailbox is fictional and its password is published (accounts.demo).
        raise PermissionDenied("Demo accounts have no mailbox")
    if user.has_usable_password() or not user.is_active:
        raise PermissionDenied("Only an active account that has no password yet is sent a link")
    with transaction.atomic():
        _invitation_enqueue(actor=actor, user=user, site_url=site_url)


def account_invitation_send(*, user_id: str, site_url: str) -> bool:
    """Email the link to choose a password (a job, after the account is committed).

    The link is Django's password reset token, made now: it works once, until the password
    is set or ``PASSWORD_RESET_TIMEOUT`` passes. Returns False if the account has since been
    deactivated or has a password.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.is_active or user.has_usable_password() or is_demo_account(user):
        return False
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": site_url.rstrip("/") + path}
    send_mail(
        subject=render_to_string("accounts/account_invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/account_invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True


def _reason(reason: str) -> str:
    if not reason.strip():
        raise _refuse("reason", "Enter the reason")
    return reason.strip()


def account_role_change(
    *, actor: User, user: User, role: str, team: Team, agency_name: str, reason: str
) -> User:
    """Change the role and team of someone else's account, with the reason (a council asks
    why someone gained or lost access). Open work stays with the worker: the team manager
    reallocates it."""
    reason = _reason(reason)
    if user.pk == actor.pk:
        raise _refuse("role", "You cannot change your own role or team: ask another system administrator")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _role_fits_team(role=role, team=team, agency_name=agency_name)
        if role != Role.SYSTEM_ADMINISTRATOR:
            _keeps_an_administrator(user=user, field="role")
        before = snapshot(user, _ACCOUNT_FIELDS)
        user.role, user.team = role, team
        user.agency_name = agency_name.strip() if role == Role.PARTNER_AGENCY else ""
        user.save(update_fields=["role", "team", "agency_name"])
        changes = diff(before, snapshot(user, _ACCOUNT_FIELDS))
        if not changes:
            raise _refuse("role", "Change the role or the team, or go back")
        changes["reason"] = {"before": None, "after": reason}
        audit_event_record(actor=actor, action="account_role_change", instance=user, changes=changes)
    return user


@dataclass(frozen=True)
class OpenEpisode:
    """An open episode allocated to a worker, as the system administrator may see it: the
    team holding it, never the child (nor the referral date, which with the team can point
    to one child, a sealed one among them)."""

    id: uuid.UUID
    team: str


def account_open_episodes(*, user: User) -> list[OpenEpisode]:
    """Open episodes allocated to ``user``, through the reverse relation casework declares
    (accounts sits below casework and does not import it)."""
    rows = (
        User.objects.filter(pk=user.pk, allocated_episodes__closure_date__isnull=True)
        .order_by("allocated_episodes__team__name", "allocated_episodes__id")
        .values_list("allocated_episodes__id", "allocated_episodes__team__name")
    )
    return [OpenEpisode(id=pk, team=team or "No team") for pk, team in rows]


def _sessions_end(user: User) -> int:
    """Delete every current session of ``user`` (the database session store). The backend
    would refuse an inactive user at their next request anyway; this makes it certain."""
    key = str(user.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()
            ended += 1
    return ended


def _active_set(*, actor: User, user: User, active: bool, reason: str, **noted: Any) -> None:
    """Switch ``user`` on or off, with the reason (and anything else ``noted``) in the audit."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    changes = {
        "is_active": {"before": not active, "after": active},
        "reason": {"before": None, "after": reason},
    }
    changes.update({name: {"before": None, "after": value} for name, value in noted.items()})
    action = "account_reactivate" if active else "account_deactivate"
    audit_event_record(actor=actor, action=action, instance=user, changes=changes)


def account_deactivate(*, actor: User, user: User, reason: str) -> list[OpenEpisode]:
    """Stop an account signing in and end its sessions, with the reason. Refused for
    yourself and for the last active system administrator. Returns the open episodes still
    allocated to the worker, for the team manager to reallocate (they are not moved here)."""
    reason = _reason(reason)
    if user.pk == actor.pk:
        raise _refuse("reason", "You cannot deactivate your own account: ask another system administrator")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise _refuse("reason", "This account is already deactivated")
        _keeps_an_administrator(user=user, field="reason")
        open_work = account_open_episodes(user=user)
        _active_set(actor=actor, user=user, active=False, reason=reason, open_episodes=len(open_work))
        _sessions_end(user)
    return open_work


def account_reactivate(*, actor: User, user: User, reason: str) -> User:
    reason = _reason(reason)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            raise _refuse("reason", "This account is already active")
        if is_demo_account(user) and not settings.DEMO_MODE:
            # A disabled demo account's password is published: it stays disabled for good.
            raise _refuse("reason", "Demo accounts cannot be reactivated outside demo mode")
        _active_set(actor=actor, user=user, active=True, reason=reason)
    return user


def account_security_codes_reset(*, actor: User, user: User, reason: str) -> list[str]:
    """The administrator's reset for a lost phone (``mfa_reset``), which also ends the
    person's sessions: whoever has the phone must not stay signed in."""
    reason = _reason(reason)
    if user.pk == actor.pk:
        raise _refuse("reason", "You cannot reset your own security codes: ask another system administrator")
    with transaction.atomic():
        removed = mfa_reset(actor=actor, user=user, reason=reason)
        _sessions_end(user)
    return removed
