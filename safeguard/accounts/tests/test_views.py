from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def test_sign_in_and_out(client, social_worker):
    response = client.post(
        reverse("accounts:login"), {"username": social_worker.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home:home")
    assert client.get(reverse("home:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home:home")).status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, social_worker):
    wrong = client.post(reverse("accounts:login"), {"username": social_worker.username, "password": "nope"})
    unknown = client.post(reverse("accounts:login"), {"username": "nobody@x.example", "password": "nope"})
    for response in (wrong, unknown):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Enter a correct email address and password" in html
        assert "<title>Error: Sign in" in html


def test_empty_sign_in_says_what_to_enter(client):
    html = client.post(reverse("accounts:login"), {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in html and "Enter your password" in html


@override_settings(DEMO_MODE=False)
def test_demo_accounts_cannot_sign_in_outside_demo_mode(client, make_user):
    demo = make_user("social_worker", is_demo_account=True)
    response = client.post(reverse("accounts:login"), {"username": demo.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_team_list_shows_headcount(staff_client, social_worker):
    html = staff_client.get(reverse("accounts:team_list")).content.decode()
    assert social_worker.team.name in html


def test_partner_users_cannot_list_council_teams(client, partner_user):
    client.force_login(partner_user)
    assert client.get(reverse("accounts:team_list")).status_code == 403


@pytest.mark.parametrize("email_exists", [True, False])
def test_repeated_failures_lock_the_address_without_revealing_it(client, social_worker, email_exists):
    email = social_worker.username if email_exists else "nobody@staff.example"
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": email, "password": "wrong"})
    locked = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_clears_earlier_failures(client, social_worker):
    for _ in range(4):
        client.post(reverse("accounts:login"), {"username": social_worker.username, "password": "wrong"})
    ok = client.post(reverse("accounts:login"), {"username": social_worker.username, "password": PASSWORD})
    assert ok.status_code == 302


def test_a_disabled_user_is_signed_out_at_once(client, social_worker):
    client.force_login(social_worker)
    assert client.get(reverse("home:home")).status_code == 200
    social_worker.is_active = False
    social_worker.save()
    response = client.get(reverse("home:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_keep_alive_extends_the_session(staff_client):
    assert staff_client.get(reverse("accounts:keep_alive")).status_code == 204


def test_staff_pages_carry_the_timeout_warning(staff_client, settings):
    html = staff_client.get(reverse("home:home")).content.decode()
    assert f'data-session-timeout="{settings.SESSION_COOKIE_AGE}"' in html


def test_timed_out_sign_in_page_says_answers_are_kept(client):
    html = client.get(reverse("accounts:login"), {"timed_out": "1"}).content.decode()
    assert "Your saved answers have been kept" in html


def test_changing_a_password_applies_the_policy(staff_client, social_worker):
    url = reverse("accounts:password_change")
    short = staff_client.post(
        url, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    html = short.content.decode()
    assert "This password is too short" in html and "There is a problem" in html
    common = staff_client.post(
        url, {"old_password": PASSWORD, "new_password1": "password1234", "new_password2": "password1234"}
    )
    assert "This password is too common" in common.content.decode()
    wrong = staff_client.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert "Your current password is not correct" in wrong.content.decode()
    ok = staff_client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "kettle orbit lantern fig",
            "new_password2": "kettle orbit lantern fig",
        },
    )
    assert ok.status_code == 302
    social_worker.refresh_from_db()
    assert social_worker.check_password("kettle orbit lantern fig")


def test_password_reset_sends_a_link_without_revealing_accounts(client, social_worker):
    from django.core import mail

    for email in (social_worker.email, "nobody@staff.example"):
        response = client.post(reverse("accounts:password_reset"), {"email": email})
        assert response["Location"] == reverse("accounts:password_reset_sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [social_worker.email]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a password" in form_page.content.decode()


def _attempt(client, email, password, *, address="192.0.2.10", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **extra)


def test_failures_from_one_address_do_not_lock_the_user_out_everywhere(client, settings, social_worker):
    settings.REQUIRE_MFA = True
    TOTPDevice.objects.create(user=social_worker, name="Authenticator app", confirmed=True)
    for _ in range(5):
        _attempt(client, social_worker.username, "wrong", address="203.0.113.5")
    assert _attempt(client, social_worker.username, PASSWORD, address="203.0.113.5").status_code == 429
    ok = _attempt(client, social_worker.username, PASSWORD, address="198.51.100.7")
    assert ok.status_code == 302 and ok["Location"] == reverse("home:home")
    # The password alone is not enough: the second factor is still asked for.
    home = client.get(reverse("home:home"), REMOTE_ADDR="198.51.100.7")
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:mfa_verify"))


def test_failures_for_one_account_do_not_lock_out_colleagues_at_that_address(client, make_user):
    target, colleague = make_user("social_worker"), make_user("social_worker")
    for _ in range(5):
        _attempt(client, target.username, "wrong")
    assert _attempt(client, colleague.username, PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(client, settings, social_worker):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for _ in range(5):
        _attempt(client, social_worker.username, "wrong", address=proxy, forwarded="203.0.113.5")
    locked = _attempt(client, social_worker.username, PASSWORD, address=proxy, forwarded="203.0.113.5")
    assert locked.status_code == 429
    ok = _attempt(client, social_worker.username, PASSWORD, address=proxy, forwarded="198.51.100.7")
    assert ok.status_code == 302


def test_an_untrusted_forwarded_header_does_not_escape_the_lockout(client, social_worker):
    for n in range(5):
        _attempt(client, social_worker.username, "wrong", forwarded=f"198.51.100.{n}")
    locked = _attempt(client, social_worker.username, PASSWORD, forwarded="198.51.100.99")
    assert locked.status_code == 429


def _reset(client, email, address="192.0.2.10"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


@pytest.mark.parametrize("email_exists", [True, False])
def test_password_reset_is_limited_per_email_address_without_revealing_it(
    client, settings, social_worker, email_exists
):
    settings.PASSWORD_RESETS_PER_EMAIL = 2
    email = social_worker.email if email_exists else "nobody@staff.example"
    for n in range(2):
        assert _reset(client, email, address=f"198.51.100.{n}").status_code == 302
    throttled = _reset(client, email.upper(), address="198.51.100.9")
    html = throttled.content.decode()
    assert throttled.status_code == 429
    assert "Too many requests to reset a password" in html and "Wait 60 minutes" in html
    assert len(mail.outbox) == (2 if email_exists else 0)


def test_password_reset_is_limited_per_client_address(client, settings, make_user):
    settings.PASSWORD_RESETS_PER_CLIENT = 2
    users = [make_user("social_worker") for _ in range(3)]
    assert [_reset(client, u.email).status_code for u in users] == [302, 302, 429]
    assert len(mail.outbox) == 2
    assert _reset(client, users[2].email, address="198.51.100.1").status_code == 302


def test_password_reset_limits_follow_the_client_behind_a_trusted_proxy(client, settings, make_user):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_RESETS_PER_CLIENT = 1
    first, second = make_user("social_worker"), make_user("social_worker")
    for user, forwarded in ((first, "203.0.113.5"), (second, "198.51.100.7")):
        response = client.post(
            reverse("accounts:password_reset"),
            {"email": user.email},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        assert response.status_code == 302
