from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from safeguard.frontdoor.api import ErrorOut, InvalidOut
from safeguard.frontdoor.models import Contact, PartnerAgency, PartnerApiKey
from safeguard.frontdoor.services import contact_decide, partner_key_create, partner_key_revoke

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts"
ROOT = Path(__file__).resolve().parents[3]

BODY: dict[str, Any] = {
    "concern": "Child disclosed being hit at home.",
    "danger": "no",
    "child": {
        "given_name": "Kofi",
        "family_name": "Okafor",
        "date_of_birth": "2015-03-02",
        "postcode": "hm1 4ab",
    },
    "referrer": {"name": "PC Lane", "email": "lane@police.example"},
    "consent": "not_sought",
    "consent_reason": "Would put the child at risk",
    "risk_factors": ["18C"],
}


@pytest.fixture(autouse=True)
def _clear():
    cache.clear()


@pytest.fixture
def police():
    agency = PartnerAgency.objects.create(
        name="Harrowmere Police", agency_type="police", email="mash@police.example"
    )
    _key, raw = partner_key_create(actor=None, agency=agency)
    return agency, raw


def post(client, raw, body=BODY, **headers):
    return client.post(
        URL, data=json.dumps(body), content_type="application/json", headers={"X-API-Key": raw, **headers}
    )


def test_agency_sends_a_contact_with_its_source_code(client, police):
    agency, raw = police
    response = post(client, raw)
    assert response.status_code == 201
    contact = Contact.objects.get(reference=response.json()["reference"])
    assert contact.agency == agency and contact.referral_source == "6" and contact.child_postcode == "HM1 4AB"
    assert contact.referrer.organisation == "Harrowmere Police"


def test_retries_with_an_idempotency_key_create_one_contact(client, police):
    _agency, raw = police
    first = post(client, raw, **{"Idempotency-Key": "abc-1"})
    second = post(client, raw, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == 201 and second.status_code == 201
    assert first.json() == second.json() and Contact.objects.count() == 1
    other = post(client, raw, body={**BODY, "concern": "Different"}, **{"Idempotency-Key": "abc-1"})
    assert other.status_code == 422 and Contact.objects.count() == 1


def test_bad_keys_are_refused(client, police):
    _agency, raw = police
    assert post(client, "sg_nope_nope").status_code == 401
    assert post(client, raw[:-1] + "x").status_code == 401
    key = PartnerApiKey.objects.get()
    partner_key_revoke(actor=None, key=key)
    assert post(client, raw).status_code == 401
    assert not Contact.objects.exists()


def test_field_level_errors(client, police):
    _agency, raw = police
    body = {
        **BODY,
        "child": {**BODY["child"], "nhs_number": "9434765918", "date_of_birth": "2999-01-01"},
        "concern": "",
    }
    response = post(client, raw, body=body)
    assert response.status_code == 422
    text = json.dumps(response.json())
    assert "nhs_number" in text and "date_of_birth" in text and "concern" in text


@override_settings(FRONT_DOOR_API_REQUESTS_PER_AGENCY=2)
def test_rate_limit(client, police):
    _agency, raw = police
    statuses = [post(client, raw).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def test_only_the_sending_agency_sees_status_and_outcome(client, police, make_user):
    _agency, raw = police
    reference = post(client, raw).json()["reference"]
    other = PartnerAgency.objects.create(name="Harrowmere Health", agency_type="gp")
    _k, other_raw = partner_key_create(actor=None, agency=other)
    assert client.get(f"{URL}/{reference}", headers={"X-API-Key": other_raw}).status_code == 404
    assert client.get(f"{URL}/{reference}").status_code == 404
    contact = Contact.objects.get(reference=reference)
    contact_decide(
        actor=make_user("front_door_manager"), contact=contact, decision="advice", reason="Advice given"
    )
    body = client.get(f"{URL}/{reference}", headers={"X-API-Key": raw}).json()
    assert (
        body["status"] == "decided"
        and body["decision"] == "advice"
        and "Advice given" not in json.dumps(body)
    )


def test_openapi_and_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/contacts" in schema["paths"]
    assert "Idempotency-Key" in client.get("/api/v1/docs").content.decode()


def test_create_partner_key_prints_the_key_once():
    out = io.StringIO()
    call_command("create_partner_key", "--agency", "Harrowmere Primary", "--type", "school", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    key = PartnerApiKey.objects.get()
    assert raw.startswith("sg_") and key.key_hash != raw and key.agency.agency_type == "school"


TEXT_FIELDS = [
    ("concern",),
    ("concern_when",),
    ("adults",),
    ("agency_reference",),
    ("consent_reason",),
    ("threshold_level",),
    ("support_given",),
    ("child", "given_name"),
    ("child", "family_name"),
    ("child", "age_text"),
    ("child", "nhs_number"),
    ("child", "address"),
    ("child", "postcode"),
    ("child", "school"),
    ("child", "other_children"),
    ("referrer", "name"),
    ("referrer", "role"),
    ("referrer", "email"),
    ("referrer", "phone"),
]


def _with(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(json.dumps(BODY))
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return body


def _field_errors(response) -> dict[tuple[str, ...], str]:
    return {tuple(str(p) for p in e["loc"][2:]): e["msg"] for e in response.json()["detail"]}


@pytest.mark.parametrize("path", TEXT_FIELDS, ids=".".join)
def test_control_characters_in_any_text_field_are_refused_by_name(client, police, path):
    _agency, raw = police
    # Otherwise valid, so that the control character is the only problem.
    value = "lane@police.exam\x00ple" if path[-1] == "email" else "P\x00C"
    response = post(client, raw, body=_with(path, value))
    assert response.status_code == 422
    assert "Remove the unusual characters" in _field_errors(response)[path]
    assert not Contact.objects.exists()


def test_control_characters_in_risk_factor_codes_are_refused(client, police):
    _agency, raw = police
    response = post(client, raw, body=_with(("risk_factors",), ["18C\x00"]))
    assert response.status_code == 422
    assert "Remove the unusual characters" in _field_errors(response)[("risk_factors",)]


def test_tabs_and_line_breaks_only_in_the_free_text_fields(client, police):
    _agency, raw = police
    fine = post(client, raw, body=_with(("concern",), 'Said:\r\n\t"he hits me"'))
    assert fine.status_code == 201
    assert Contact.objects.get().concern == 'Said:\r\n\t"he hits me"'
    refused = post(client, raw, body=_with(("referrer", "name"), "PC\tLane"))
    assert refused.status_code == 422
    assert "tabs or line breaks" in _field_errors(refused)[("referrer", "name")]


def test_control_characters_in_the_reference_and_headers_are_not_server_errors(client, police):
    _agency, raw = police
    assert client.get(f"{URL}/AB%00CDEF", headers={"X-API-Key": raw}).status_code == 404
    assert client.get(f"{URL}/{'A' * 13}", headers={"X-API-Key": raw}).status_code == 404
    refused = post(client, raw, **{"Idempotency-Key": "retry\x00-1"})
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Remove the unusual characters from the Idempotency-Key header"}
    prefix = PartnerApiKey.objects.get().prefix
    assert post(client, f"sg_{prefix}\x00_x").status_code == 401
    assert not Contact.objects.exists()


@override_settings(FRONT_DOOR_API_REQUESTS_PER_AGENCY=3)
def test_made_up_references_count_against_the_rate_limit(client, police):
    _agency, raw = police
    other = PartnerAgency.objects.create(name="Harrowmere Health", agency_type="gp")
    _k, other_raw = partner_key_create(actor=None, agency=other)
    theirs = post(client, other_raw).json()["reference"]
    made_up = [client.get(f"{URL}/ZZZZ{n}ZZZ", headers={"X-API-Key": raw}) for n in range(2)]
    someone_elses = client.get(f"{URL}/{theirs}", headers={"X-API-Key": raw})
    assert [r.status_code for r in [*made_up, someone_elses]] == [404, 404, 404]
    assert made_up[0].json() == someone_elses.json()  # a real reference looks the same
    assert client.get(f"{URL}/ZZZZ9ZZZ", headers={"X-API-Key": raw}).status_code == 429


def test_openapi_documents_every_error_body(client, police):
    schema = client.get("/api/v1/openapi.json").json()
    create = schema["paths"]["/api/v1/contacts"]["post"]["responses"]
    status = schema["paths"]["/api/v1/contacts/{reference}"]["get"]["responses"]
    assert {"200", "201", "400", "401", "422", "429"} <= set(create)
    assert {"200", "404", "429"} <= set(status)
    ref = create["422"]["content"]["application/json"]["schema"]["$ref"]
    detail = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"]["detail"]
    assert {"array", "string"} <= {option.get("type") for option in detail["anyOf"]}
    # The documented shapes are the real ones.
    _agency, raw = police
    invalid = post(client, raw, body={**BODY, "concern": ""})
    fields = InvalidOut.model_validate(invalid.json()).detail
    assert isinstance(fields, list) and fields[0].loc == ["body", "payload", "concern"]
    not_json = client.post(URL, data="{", content_type="application/json", headers={"X-API-Key": raw})
    assert not_json.status_code == 400 and ErrorOut.model_validate(not_json.json()).detail
    post(client, raw, **{"Idempotency-Key": "k"})
    reused = post(client, raw, body={**BODY, "concern": "Other"}, **{"Idempotency-Key": "k"})
    assert reused.status_code == 422 and isinstance(InvalidOut.model_validate(reused.json()).detail, str)


def test_docs_page_shows_each_path_as_code(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "<code>/api/v1/contacts</code>" in html and "<code>/api/v1/contacts/{reference}</code>" in html
    assert "&lt;code&gt;" not in html


# -- retries sent at the same moment ------------------------------------------------------

RETRIES = 10


def _send_together(url: str, raw: str, key: str) -> list[tuple[int, dict[str, Any]]]:
    """RETRIES identical requests released at the same instant, as a partner's retry loop does."""
    barrier = threading.Barrier(RETRIES)
    data = json.dumps(BODY).encode()

    def send(_n: int) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(  # noqa: S310 (our own server)
            url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "X-API-Key": raw, "Idempotency-Key": key},
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own server)
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {"error": error.read().decode(errors="replace")[:200]}

    with ThreadPoolExecutor(max_workers=RETRIES) as pool:
        return list(pool.map(send, range(RETRIES)))


def _assert_one_answer(results: list[tuple[int, dict[str, Any]]]) -> str:
    statuses = [status for status, _body in results]
    assert statuses == [201] * RETRIES, results
    bodies = {json.dumps(body, sort_keys=True) for _status, body in results}
    assert len(bodies) == 1, bodies
    return str(results[0][1]["reference"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def sqlite_file_server(tmp_path):
    """The API served by a separate process from an SQLite file, with the project's own
    SQLite settings (the in-memory test database never locks, so it cannot show this)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="safeguard.settings.test",
        SAFEGUARD_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="127.0.0.1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    made = subprocess.run(
        [sys.executable, "manage.py", "create_partner_key", "--agency", "Harrowmere Police"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    raw = made.stdout.strip().splitlines()[-1]
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py; the port is a number)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base, raw, tmp_path / "safeguard.sqlite3"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_parallel_retries_on_sqlite_make_one_contact_and_all_get_its_answer(sqlite_file_server):
    base, raw, database = sqlite_file_server
    references = {_assert_one_answer(_send_together(f"{base}{URL}", raw, f"retry-{n}")) for n in range(3)}
    with sqlite3.connect(database) as db:
        (count,) = db.execute("SELECT count(*) FROM frontdoor_contact").fetchone()
    assert len(references) == 3 and count == 3


@pytest.mark.django_db(transaction=True)
def test_parallel_retries_on_the_test_database_make_one_contact(live_server, police):
    """On PostgreSQL each request has its own connection, so the retries really race (the
    losers meet the idempotency row's unique constraint and replay the winner's answer)."""
    if connection.vendor == "sqlite":
        pytest.skip("the live server shares one in-memory SQLite connection between threads")
    _agency, raw = police
    reference = _assert_one_answer(_send_together(f"{live_server.url}{URL}", raw, "retry-live"))
    assert list(Contact.objects.values_list("reference", flat=True)) == [reference]


def test_the_referrers_phone_number_is_checked_and_kept_in_e164(client, police):
    _agency, raw = police
    response = post(client, raw, body=_with(("referrer", "phone"), "020 7946 0000"))
    assert response.status_code == 201
    assert Contact.objects.get().referrer.phone == "+442079460000"


def test_a_phone_number_that_is_not_one_is_refused_with_the_forms_message(client, police):
    _agency, raw = police
    response = post(client, raw, body=_with(("referrer", "phone"), "call the front desk"))
    assert response.status_code == 422
    assert _field_errors(response)[("referrer", "phone")].endswith(
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    )
    assert not Contact.objects.exists()
