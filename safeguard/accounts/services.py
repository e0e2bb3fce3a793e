"""Writes to staff accounts: multi-factor authentication set-up and verification."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import User
from safeguard.audit.services import audit_event_record

RECOVERY_CODE_COUNT = 10
_SETUP_NAME = "Authenticator app"


def mfa_setup_begin(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (any earlier unconfirmed one is replaced)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_SETUP_NAME, confirmed=False)


def mfa_setup_confirm(
    *, request: HttpRequest, user: User, device: TOTPDevice, token: str
) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns one-time recovery codes.

    Returns None when the code is wrong. The codes are shown once and stored only as the
    static device's tokens, which are deleted as they are used.
    """
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    with transaction.atomic():
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
            changes={"mfa": {"before": None, "after": "authenticator app and recovery codes"}},
        )
    otp_login(request, device)
    return codes


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
