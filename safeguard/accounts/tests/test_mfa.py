from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def require_mfa(settings):
    settings.REQUIRE_MFA = True


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def next_time_step(device: TOTPDevice) -> None:
    """As if the next 30 seconds had begun: a code is never accepted twice (replay), and a
    failure slows the next attempt (throttling)."""
    device.refresh_from_db()
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def _sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def test_first_sign_in_sets_up_an_authenticator_and_recovery_codes(client, social_worker):
    _sign_in(client, social_worker)
    response = client.get(reverse("home:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_setup"))
    setup = client.get(response["Location"]).content.decode()
    assert 'src="data:image/svg+xml;base64,' in setup
    device = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    wrong = client.post(
        reverse("accounts:mfa_setup"), {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "The security code is not correct" in wrong.content.decode()
    next_time_step(device)
    done = client.post(reverse("accounts:mfa_setup"), {"code": current_code(device), "next": "/home/"})
    codes = re.findall(r"<code>([a-z0-9]+)</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("home:home")).status_code == 200
    assert AuditEvent.objects.filter(action="mfa_setup_confirm", actor=social_worker).exists()
    assert not any(code in str(AuditEvent.objects.values_list("changes", flat=True)) for code in codes)


@pytest.fixture
def enrolled(client, social_worker):
    _sign_in(client, social_worker)
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=social_worker)
    used = current_code(device)
    page = client.post(reverse("accounts:mfa_setup"), {"code": used}).content.decode()
    client.post(reverse("accounts:logout"))
    device.used_code = used  # the code spent on set-up, for the replay test
    return device, re.findall(r"<code>([a-z0-9]+)</code>", page)


def test_later_sign_ins_ask_for_a_code(client, social_worker, enrolled):
    device, _codes = enrolled
    _sign_in(client, social_worker)
    response = client.get(reverse("people:child_list"))
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    bad = client.post(reverse("accounts:mfa_verify"), {"code": "12345678"})
    assert "The security code is not correct" in bad.content.decode()
    next_time_step(device)
    ok = client.post(reverse("accounts:mfa_verify"), {"code": current_code(device), "next": "/children/"})
    assert ok["Location"] == "/children/"
    assert client.get(reverse("people:child_list")).status_code == 200


def test_a_recovery_code_works_once(client, social_worker, enrolled):
    _device, codes = enrolled
    _sign_in(client, social_worker)
    assert client.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).status_code == 302
    client.post(reverse("accounts:logout"))
    _sign_in(client, social_worker)
    again = client.post(reverse("accounts:mfa_verify"), {"code": codes[0]})
    assert again.status_code == 200 and "The security code is not correct" in again.content.decode()
    assert AuditEvent.objects.filter(action="mfa_recovery_code_used").count() == 1


def test_next_cannot_send_users_to_another_site(client, social_worker, enrolled):
    device, _codes = enrolled
    next_time_step(device)
    _sign_in(client, social_worker)
    response = client.post(
        reverse("accounts:mfa_verify"), {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home:home")


def test_an_unverified_user_can_still_sign_out(client, social_worker, enrolled):
    _sign_in(client, social_worker)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_code_cannot_be_replayed(client, social_worker, enrolled):
    """The code spent on set-up is refused afterwards, whichever 30-second step we are in."""
    device, _codes = enrolled
    _sign_in(client, social_worker)
    replay = client.post(reverse("accounts:mfa_verify"), {"code": device.used_code})
    assert replay.status_code == 200 and "The security code is not correct" in replay.content.decode()


def _enrolled_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def test_a_password_alone_cannot_enrol_a_new_authenticator(client, social_worker):
    """Someone who has only the password is sent to the code check, never to set-up, and the
    user's own authenticator and recovery codes survive."""
    real = _enrolled_device(social_worker)
    _sign_in(client, social_worker)
    page = client.get(reverse("accounts:mfa_setup"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:mfa_verify"))
    assert not TOTPDevice.objects.filter(user=social_worker, confirmed=False).exists()
    posted = client.post(reverse("accounts:mfa_setup"), {"code": "123456"})
    assert posted.status_code == 302 and posted["Location"].startswith(reverse("accounts:mfa_verify"))
    assert TOTPDevice.objects.filter(pk=real.pk, confirmed=True).exists()
    assert client.get(reverse("home:home"))["Location"].startswith(reverse("accounts:mfa_verify"))
    assert not AuditEvent.objects.filter(action="mfa_setup_confirm").exists()


def test_a_verified_user_can_replace_their_authenticator_and_is_warned(client, social_worker, enrolled):
    device, _codes = enrolled
    next_time_step(device)
    _sign_in(client, social_worker)
    client.post(reverse("accounts:mfa_verify"), {"code": current_code(device)})
    page = client.get(reverse("accounts:mfa_setup")).content.decode()
    assert "replaces the one you use now" in page
    new = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    done = client.post(reverse("accounts:mfa_setup"), {"code": current_code(new)})
    assert len(re.findall(r"<code>([a-z0-9]+)</code>", done.content.decode())) == 10
    assert list(TOTPDevice.objects.filter(user=social_worker).values_list("pk", flat=True)) == [new.pk]
    befores = [e.changes["mfa"]["before"] for e in AuditEvent.objects.filter(action="mfa_setup_confirm")]
    assert set(befores) == {None, "Authenticator app, Recovery codes"}
