"""Nothing the application renders is kept in a browser's or a proxy's cache; static files are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.services.assessments import assessment_start
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.core.middleware import NoStoreMiddleware

pytestmark = pytest.mark.django_db


def test_a_signed_in_staff_page_is_not_stored(staff_client: Client) -> None:
    response = staff_client.get(reverse("home:home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_an_assessment_pdf_is_not_stored(staff_client: Client, social_worker: User) -> None:
    episode = EpisodeFactory(
        worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 11, 2)
    )
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    response = staff_client.get(reverse("casework:assessment_pdf", args=[assessment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"


def test_the_audit_csv_export_is_not_stored(client: Client, social_worker: User) -> None:
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team))
    today = timezone.localdate()
    params = {
        f"{edge}-{part}": getattr(today, part)
        for edge in ("start", "end")
        for part in ("day", "month", "year")
    }
    response = client.get(reverse("records:audit_export"), {**params, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"


def test_public_pages_and_redirects_to_sign_in_are_not_stored(client: Client) -> None:
    assert client.get(reverse("home:start"))["Cache-Control"] == "no-store"
    redirect = client.get(reverse("home:home"))
    assert redirect.status_code == 302 and redirect["Cache-Control"] == "no-store"


def test_a_static_asset_keeps_its_caching(client: Client) -> None:
    response = client.get("/static/css/application.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def _with_own_caching(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("public")
    response["Cache-Control"] = "public, max-age=300"
    return response


def test_only_an_anonymous_response_may_keep_its_own_caching(rf, social_worker: User) -> None:
    from django.contrib.auth.models import AnonymousUser

    middleware = NoStoreMiddleware(_with_own_caching)
    anonymous = rf.get("/")
    anonymous.user = AnonymousUser()
    assert middleware(anonymous)["Cache-Control"] == "public, max-age=300"
    signed_in = rf.get("/")
    signed_in.user = social_worker
    assert middleware(signed_in)["Cache-Control"] == "no-store"
