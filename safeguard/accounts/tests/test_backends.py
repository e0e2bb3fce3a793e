"""Demo accounts are refused outside demo mode on every way in, not only the sign-in page."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def demo_admin(make_user):
    # is_staff as the demo generator used to set it, so that an older database is covered too
    return make_user("system_administrator", is_demo_account=True, is_staff=True, is_superuser=True)


def _authenticate(user):
    return authenticate(RequestFactory().post("/"), username=user.username, password=PASSWORD)


def test_authenticate_refuses_a_demo_account_outside_demo_mode(settings, demo_admin, social_worker):
    settings.DEMO_MODE = False
    assert _authenticate(demo_admin) is None
    assert _authenticate(social_worker) == social_worker


def test_authenticate_accepts_a_demo_account_in_demo_mode(settings, demo_admin):
    settings.DEMO_MODE = True
    assert _authenticate(demo_admin) == demo_admin


def test_the_admin_login_refuses_a_demo_account_outside_demo_mode(client, settings, demo_admin):
    settings.DEMO_MODE = False
    response = client.post(
        reverse("admin:login"), {"username": demo_admin.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/accounts/user/").status_code == 302


def test_a_demo_session_ends_when_demo_mode_is_turned_off(client, settings, demo_admin):
    settings.DEMO_MODE = True
    client.force_login(demo_admin)
    assert client.get(reverse("home:home")).status_code == 200
    settings.DEMO_MODE = False
    response = client.get(reverse("home:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("demo_mode", [True, False])
def test_password_reset_never_emails_a_demo_account(client, settings, make_user, demo_mode):
    settings.DEMO_MODE = demo_mode
    demo = make_user("social_worker", is_demo_account=True)
    response = client.post(reverse("accounts:password_reset"), {"email": demo.email})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_sent")
    assert mail.outbox == []


def test_password_reset_still_emails_staff(client, settings, social_worker):
    settings.DEMO_MODE = False
    client.post(reverse("accounts:password_reset"), {"email": social_worker.email})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [social_worker.email]
