from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.admin import UserAdmin
from safeguard.accounts.models import User
from safeguard.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_administrator_resets_security_codes_from_the_user_list(client, make_user, social_worker):
    administrator = make_user("system_administrator", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_security_codes", "_selected_action": [str(social_worker.pk)]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert AuditEvent.objects.get(action="mfa_reset").actor == administrator


def test_the_admin_cannot_make_a_demo_account_staff(rf, make_user, social_worker):
    user_admin = UserAdmin(User, site)
    demo = make_user("system_administrator", is_demo_account=True)
    assert "is_staff" in user_admin.get_readonly_fields(rf.get("/"), demo)
    assert "is_staff" not in user_admin.get_readonly_fields(rf.get("/"), social_worker)
    assert "is_demo_account" in user_admin.get_readonly_fields(rf.get("/"), social_worker)
