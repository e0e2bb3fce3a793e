from __future__ import annotations

import html
from unittest import mock

import pytest
from django.urls import reverse

from safeguard.accounts.models import Role

PUBLIC_PAGES = [
    "core:start",
    "core:accessibility",
    "core:privacy",
    "core:cookies",
    "core:contact",
    "accounts:login",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_need_no_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"govuk-generic-header" in response.content
    assert b"govuk-crown" not in response.content


@pytest.mark.django_db
def test_start_page_tells_people_to_call_999(client):
    response = client.get(reverse("core:start"))
    assert "If a child is in immediate danger, call 999." in response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_home_works_for_every_role(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert f"{Role(role).label} home" in html.unescape(response.content.decode())


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_unreachable_database(client):
    with mock.patch("safeguard.core.views.connection.cursor", side_effect=RuntimeError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_signed_in_user_at_start_goes_home(staff_client):
    response = staff_client.get(reverse("core:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_not_found_uses_the_service_page(staff_client):
    response = staff_client.get("/children/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "<title>Page not found" in response.content.decode()


@pytest.mark.django_db
def test_forbidden_uses_the_service_page(client, partner_user):
    client.force_login(partner_user)
    response = client.get(reverse("accounts:team_list"))
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()


@pytest.mark.django_db
def test_a_workers_home_shows_their_clocks_in_words(staff_client, social_worker):
    import datetime as dt

    from safeguard.casework import services
    from safeguard.casework.tests.factories import EpisodeFactory

    episode = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 6, 1))
    services.assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 6, 2))
    html = staff_client.get(reverse("core:home")).content.decode()
    assert "Your clocks" in html and "Overdue by" in html


@pytest.mark.django_db
def test_home_links_to_changing_the_password(staff_client, social_worker):
    staff_client.force_login(social_worker)
    social_worker.last_login = social_worker.date_joined
    social_worker.save()
    assert reverse("accounts:password_change") in staff_client.get(reverse("core:home")).content.decode()
