"""The need analysis page and the partnership's need profile PDF."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from safeguard.casework.models import CINEpisode
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.core.calendar import add_calendar_months
from safeguard.core.codes import ReferralSource
from safeguard.people.models import Person
from safeguard.people.tests.factories import AddressFactory, ChildFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)
NEED = reverse("performance:need_analysis")
PDF = reverse("performance:need_profile_pdf")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def _login(client: Client, make_user: Any, role: str) -> Client:
    client.force_login(make_user(role))
    return client


def _child(postcode: str, given_name: str = "Ada", **fields: Any) -> Person:
    child = ChildFactory(given_name=given_name, family_name="Zephyrine", **fields)
    AddressFactory(person=child, postcode=postcode, start_date=dt.date(2015, 1, 1))
    return child


def _referrals(count: int, postcode: str, day: dt.date = dt.date(2026, 3, 2), **fields: Any) -> None:
    for _ in range(count):
        EpisodeFactory(child=_child(postcode, **fields), referral_date=day)


@pytest.mark.parametrize("role", ["director", "performance_analyst", "service_manager"])
def test_directors_analysts_and_service_managers_open_the_analysis(
    client: Client, make_user: Any, role: str
) -> None:
    _referrals(6, "HM1 4AB")
    response = _login(client, make_user, role).get(NEED)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Analysis of safeguarding need" in html
    assert "1 December 2025 to 30 November 2026" in html
    assert 'role="img"' in html and "Show the figures as a table" in html


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "front_door_manager", "conference_chair"])
def test_other_roles_are_refused(client: Client, make_user: Any, role: str) -> None:
    assert _login(client, make_user, role).get(NEED).status_code == 403
    assert client.get(PDF).status_code == 403


def test_the_page_names_no_child_hides_small_groups_and_never_places_a_withheld_or_sealed_child(
    client: Client, make_user: Any
) -> None:
    _referrals(6, "HM1 4AB", given_name="Ottoline")
    _referrals(2, "HM2 7BD", given_name="Ottoline")  # fewer than 5
    _referrals(7, "HM3 1AA", given_name="Ottoline")
    _referrals(6, "HM7 1AA", given_name="Ottoline", is_sealed=True)
    hidden = _child("HM8 1AA", given_name="Ottoline")
    hidden.addresses.update(must_not_be_disclosed=True)
    EpisodeFactory(child=hidden, referral_date=dt.date(2026, 3, 2))
    html = _login(client, make_user, "director").get(NEED).content.decode()
    assert "Ottoline" not in html and "Zephyrine" not in html
    assert "HM7" not in html  # only sealed children live there
    assert "HM8" not in html  # only a withheld address
    assert "Fewer than 5" in html
    assert "HM2" in html and "HM3" in html
    assert "There are 0 whole months of contacts on record" in html or "whole months of contacts" in html
    assert ' style="' not in html  # the content security policy allows no inline styles


def test_the_page_is_cached_until_the_records_change(
    client: Client, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    _referrals(6, "HM1 4AB")
    client = _login(client, make_user, "director")
    first = client.get(NEED).content.decode()
    assert ">6<" in first
    with django_assert_max_num_queries(12):  # the session, the user, the fingerprint, the lookups
        client.get(NEED)
    _referrals(5, "HM1 4AB")
    again = client.get(NEED).content.decode()
    assert ">11<" in again


def _history(months: int) -> None:
    """Referrals each month for ``months`` months up to last month, in a repeating season."""
    shape = [9, 10, 12, 11, 10, 8, 6, 5, 11, 13, 12, 9]
    first = add_calendar_months(TODAY.replace(day=1), -months)
    children = [_child("HM1 4AB") for _ in range(13)]
    rows = []
    for i in range(months):
        month = add_calendar_months(first, i)
        for k in range(shape[month.month - 1]):
            rows.append(
                CINEpisode(
                    child=children[k],
                    referral_date=month.replace(day=1 + k),
                    referral_source=ReferralSource.SCHOOLS if k % 3 == 0 else ReferralSource.POLICE,
                )
            )
    CINEpisode.objects.bulk_create(rows)


def test_with_three_years_of_history_the_forecast_and_backtest_are_shown(
    client: Client, make_user: Any
) -> None:
    _history(38)
    html = _login(client, make_user, "director").get(NEED).content.decode()
    assert "Referrals by month, with a forecast" in html
    assert "95% interval" in html and "80% interval" in html
    assert "Referrals: backtest over the last 12 months" in html
    assert "Same month the year before (seasonal naive)" in html
    assert "Fitted without the last 12 months, the forecast was out by" in html
    # contacts have no history here, so their forecast says why there is none
    assert "There are 0 whole months of contacts on record" in html or "months of contacts on record" in html


def test_the_need_profile_is_a_tagged_one_page_pdf_naming_no_child(client: Client, make_user: Any) -> None:
    pypdf = pytest.importorskip("pypdf")
    _referrals(6, "HM1 4AB", given_name="Ottoline")
    _referrals(3, "HM2 7BD", given_name="Ottoline")
    response = _login(client, make_user, "performance_analyst").get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="need-profile-2026-11.pdf"'
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en"
    assert b"pdfuaid" in catalog["/Metadata"].get_data()
    assert reader.metadata is not None and reader.metadata.title.startswith("Safeguarding need profile")
    assert len(reader.pages) == 1
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Ottoline" not in text and "Zephyrine" not in text
    assert "HM1" in text and "Fewer than 5" in text
