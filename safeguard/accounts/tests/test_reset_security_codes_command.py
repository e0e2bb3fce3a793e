from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_command_resets_one_users_codes(social_worker, make_user, capsys):
    other = make_user("social_worker")
    TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    TOTPDevice.objects.create(user=other, name="Authenticator app", confirmed=True)
    call_command("reset_security_codes", social_worker.username.upper(), reason="Phone stolen; asked by TM")
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert TOTPDevice.objects.filter(user=other).exists()
    event = AuditEvent.objects.get(action="mfa_reset")
    assert event.actor is None and event.changes["reason"]["after"] == "Phone stolen; asked by TM"
    assert "Removed 1 security code device(s)" in capsys.readouterr().out


def test_the_command_names_an_unknown_address():
    with pytest.raises(CommandError, match="no account"):
        call_command("reset_security_codes", "nobody@staff.example", reason="x")
