from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.services import mfa_reset, mfa_setup_begin, mfa_setup_confirm
from safeguard.accounts.tests.test_mfa import current_code
from safeguard.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _request(user, *, verified_with=None):
    request = RequestFactory().post("/")
    request.session = SessionStore()
    user.otp_device = verified_with
    user.is_verified = lambda: verified_with is not None
    request.user = user
    return request


def test_setup_confirm_refuses_a_password_only_session_when_the_user_has_a_device(social_worker):
    real = TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=social_worker, name="Recovery codes", confirmed=True)
    new = mfa_setup_begin(user=social_worker)
    with pytest.raises(PermissionDenied):
        mfa_setup_confirm(
            request=_request(social_worker), user=social_worker, device=new, token=current_code(new)
        )
    assert TOTPDevice.objects.filter(pk=real.pk).exists()
    assert StaticDevice.objects.filter(user=social_worker).exists()


def test_setup_confirm_needs_only_the_password_the_first_time(social_worker):
    new = mfa_setup_begin(user=social_worker)
    codes = mfa_setup_confirm(
        request=_request(social_worker), user=social_worker, device=new, token=current_code(new)
    )
    assert codes is not None and len(codes) == 10


def test_reset_removes_every_device_and_is_audited(social_worker, make_user):
    administrator = make_user("system_administrator")
    TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=social_worker, name="Recovery codes", confirmed=True)
    removed = mfa_reset(actor=administrator, user=social_worker, reason="Phone lost, ticket 123")
    assert removed == ["Authenticator app", "Recovery codes"]
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert not StaticDevice.objects.filter(user=social_worker).exists()
    event = AuditEvent.objects.get(action="mfa_reset")
    assert event.actor == administrator and event.object_id == str(social_worker.pk)
    assert event.changes["reason"]["after"] == "Phone lost, ticket 123"


def test_reset_needs_a_reason(social_worker):
    with pytest.raises(ValueError, match="reason"):
        mfa_reset(actor=None, user=social_worker, reason="  ")
    assert not AuditEvent.objects.exists()
