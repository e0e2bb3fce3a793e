"""The upload page for the need analysis's lookups: the same checks as the command, every
bad line shown on the form with nothing changed, and the analysis counted again on success."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.tests.factories import TeamFactory
from safeguard.audit.models import AuditEvent
from safeguard.performance import forms, need_selectors
from safeguard.performance.need import last_twelve_months
from safeguard.performance.need_models import ChildPopulation, NeedLookupLoad, PostcodeWard

pytestmark = pytest.mark.django_db

URL = "/performance/need/lookups/"
WARDS = "postcode,ward_code,ward_name\nHM1 4AB,E05000001,Abbey\nhm2 7bd,E05000002,Brook\n"
POPULATION = "kind,group,children\ndistrict,HM1,5210\nward,Abbey,2400\nage_band,Under 1,1830\n"


@pytest.fixture
def analyst(make_user):
    return make_user("performance_analyst")


def _upload(client, kind: str, text: str | bytes, name: str = "lookup.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")})


def _unchanged() -> None:
    assert not PostcodeWard.objects.exists()
    assert not ChildPopulation.objects.exists()
    assert not NeedLookupLoad.objects.exists()
    assert not AuditEvent.objects.filter(action="need_lookup_load").exists()


def test_the_url_is_the_upload_page():
    assert reverse("performance:need_lookup_upload") == URL


@pytest.mark.parametrize("role", ["performance_analyst", "director"])
def test_a_ward_lookup_loads_and_says_what_was_loaded(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "postcode,ward_code,ward_name" in page.content.decode()
    response = _upload(client, "wards", WARDS, name="wards-2026.csv")
    assert response.status_code == 302 and response["Location"] == reverse("performance:need_analysis")
    assert dict(PostcodeWard.objects.values_list("postcode", "ward_name")) == {
        "HM1 4AB": "Abbey",
        "HM2 7BD": "Brook",
    }
    load = NeedLookupLoad.objects.get()
    assert (load.kind, load.rows, load.source_name, load.created_by) == ("wards", 2, "wards-2026.csv", user)
    assert AuditEvent.objects.get(action="need_lookup_load").actor == user
    shown = client.get(URL).content.decode()
    assert "Loaded 2 rows from wards-2026.csv: the postcode to ward lookup now in use" in shown
    assert "In use now" in shown


def test_populations_load_and_replace_the_last(client, analyst):
    ChildPopulation.objects.create(kind="district", group="HM9", children=100)
    client.force_login(analyst)
    assert _upload(client, "population", POPULATION).status_code == 302
    assert dict(ChildPopulation.objects.values_list("group", "children")) == {
        "HM1": 5210,
        "Abbey": 2400,
        "Under 1": 1830,
    }


def test_a_load_drops_the_cached_need_analysis(client, analyst):
    today = timezone.localdate()
    period = last_twelve_months(today)
    first = need_selectors.need_page(today=today, period=period).analysis
    assert need_selectors.need_page(today=today, period=period).analysis.computed_at == first.computed_at
    client.force_login(analyst)
    assert _upload(client, "wards", WARDS).status_code == 302
    again = need_selectors.need_page(today=today, period=period).analysis
    assert again.computed_at is not None and first.computed_at is not None
    assert again.computed_at > first.computed_at


def test_wrong_headings_are_refused(client, analyst):
    client.force_login(analyst)
    response = _upload(client, "wards", "postcode,ward\nHM1 4AB,Abbey\n")
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "The headings must be postcode, ward_code, ward_name (in that order)" in text
    assert 'href="#id_file"' in text
    _unchanged()


def test_a_population_file_uploaded_as_wards_is_refused_by_its_headings(client, analyst):
    client.force_login(analyst)
    response = _upload(client, "wards", POPULATION)
    assert "this file has kind, group, children" in response.content.decode()
    _unchanged()


def test_every_bad_line_is_listed_up_to_twenty_and_nothing_is_loaded(client, analyst):
    client.force_login(analyst)
    lines = ["kind,group,children", "district,HM1,5210", "county,HM2,100", "age_band,Teenagers,50"]
    lines += ["district,HM3,lots", "ward,Abbey,0"]
    lines += [f"district,HM{n},many" for n in range(10, 40)]
    response = _upload(client, "population", "\n".join(lines) + "\n")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was loaded: fix these lines and load the file again." in text
    assert "Line 3: kind must be district, ward or age_band, not “county”." in text
    assert "Line 4: “Teenagers” is not an age band" in text
    assert "Line 5: children must be a whole number, not “lots”." in text
    assert "Line 6: children must be between 1 and 2,000,000." in text
    assert text.count("children must be a whole number") == 17  # 20 lines shown, 4 of other kinds
    assert "And 14 more lines with errors." in text
    assert 'value="population" checked' in text  # the choice is kept
    _unchanged()


def test_a_bad_postcode_is_named_with_its_line(client, analyst):
    client.force_login(analyst)
    response = _upload(client, "wards", WARDS + "NOT A CODE,E05000003,Castle\n")
    assert "Line 4: “NOT A CODE” is not a postcode." in response.content.decode()
    _unchanged()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "The file is empty"),
        (b"postcode,ward_code,ward_name\n", "The file has headings but no rows."),
        (b"\n", "The headings must be postcode, ward_code, ward_name"),
    ],
    ids=["no bytes", "headings only", "blank line"],
)
def test_an_empty_file_is_refused(client, analyst, text, message):
    client.force_login(analyst)
    response = _upload(client, "wards", text)
    assert response.status_code == 200
    assert message in response.content.decode()
    _unchanged()


def test_a_file_too_large_is_refused_unread(client, analyst, monkeypatch):
    monkeypatch.setattr(forms, "MAX_LOOKUP_BYTES", len(WARDS) - 1)
    client.force_login(analyst)
    response = _upload(client, "wards", WARDS)
    assert response.status_code == 200
    assert "The file must be smaller than 10 MB" in response.content.decode()
    _unchanged()


def test_a_file_with_nul_bytes_is_refused(client, analyst):
    client.force_login(analyst)
    response = _upload(client, "wards", WARDS.encode() + b"HM3 1AA,E0\x00500003,Castle\n")
    assert response.status_code == 200
    assert "The file is not a text file (it has NUL bytes)" in response.content.decode()
    _unchanged()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "wards"}, "Choose a CSV file to upload"),
        (
            {"kind": "parishes", "file": SimpleUploadedFile("w.csv", WARDS.encode())},
            "Choose whether the file",
        ),
        ({"kind": "wards", "file": SimpleUploadedFile("wards.xlsx", WARDS.encode())}, "must be a CSV file"),
        (
            {"kind": "wards", "file": SimpleUploadedFile("w.csv", "postcode\n\xe9".encode("latin-1"))},
            "saved as UTF-8 text",
        ),
    ],
    ids=["no file", "unknown kind", "not csv", "not utf-8"],
)
def test_a_missing_or_wrong_answer_gets_its_message(client, analyst, data, message):
    client.force_login(analyst)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    _unchanged()


@pytest.mark.parametrize(
    "role", ["service_manager", "team_manager", "social_worker", "hr_officer", "system_administrator"]
)
def test_other_roles_are_refused(client, make_user, role):
    client.force_login(make_user(role, team=TeamFactory()))
    assert client.get(URL).status_code == 403
    assert _upload(client, "wards", WARDS).status_code == 403
    _unchanged()


def test_the_need_page_links_to_the_upload_for_those_who_may(client, make_user):
    for role, offered in [("performance_analyst", True), ("director", True), ("service_manager", False)]:
        client.force_login(make_user(role))
        page = client.get(reverse("performance:need_analysis"))
        assert page.status_code == 200
        assert (f'href="{URL}"' in page.content.decode()) is offered, role
