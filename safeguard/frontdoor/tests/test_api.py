from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from safeguard.frontdoor.models import Contact, PartnerAgency, PartnerApiKey
from safeguard.frontdoor.services import contact_decide, partner_key_create, partner_key_revoke

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts"

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
