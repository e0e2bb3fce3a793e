"""Writes to staff accounts: multi-factor authentication set-up, verification and reset, and
removing the demo accounts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.demo import DEMO_ACCOUNTS
from safeguard.accounts.models import User
from safeguard.audit.services import audit_event_record

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
