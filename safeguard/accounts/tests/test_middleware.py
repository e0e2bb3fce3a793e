"""A session that has passed only the password, with MFA required, reaches nothing but the
public pages, the code check, keep-alive and sign-out."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.core.tests.test_urls_policy import PUBLIC, _patterns, _sample_kwargs

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
ALLOWED = {"accounts:mfa_verify": 200, "accounts:keep_alive": 204}


@pytest.fixture
def password_only(client, settings, social_worker):
    settings.REQUIRE_MFA = True
    TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    client.post(reverse("accounts:login"), {"username": social_worker.username, "password": PASSWORD})
    return client


def test_every_private_page_asks_for_the_code_first(password_only):
    checked = 0
    for name, pattern in _patterns(get_resolver()):
        if name in PUBLIC:
            continue
        url = reverse(name, kwargs=_sample_kwargs(pattern) or None)
        response = password_only.get(url)
        if name in ALLOWED:
            assert response.status_code == ALLOWED[name], name
            continue
        assert response.status_code == 302, f"{name} answered {response.status_code} before the code"
        assert response["Location"].startswith(reverse("accounts:mfa_verify")), name
        checked += 1
    assert checked >= 5
    for url in ("/admin/", "/admin/accounts/user/"):
        response = password_only.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_verify"))


def test_sign_out_works_before_the_code(password_only):
    assert password_only.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in password_only.session


def test_a_user_without_an_authenticator_is_sent_to_set_one_up(client, settings, social_worker):
    settings.REQUIRE_MFA = True
    client.post(reverse("accounts:login"), {"username": social_worker.username, "password": PASSWORD})
    response = client.get(reverse("people:child_list"))
    assert response["Location"].startswith(reverse("accounts:mfa_setup"))
    assert client.get(response["Location"]).status_code == 200
