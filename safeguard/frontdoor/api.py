"""The partner agency API (django-ninja): police, health and schools send contacts.

- Each agency has its own keys (``create_partner_key``), sent as the ``X-API-Key`` header.
  Only a SHA-256 hash is stored; the key's prefix finds its row; a revoked key stops working.
- ``Idempotency-Key``: a retried request with the same key gets the first response and
  creates nothing new. The same key with a different body is refused (422).
- A body that is not JSON gets 400; invalid fields get field-level errors (422), and text
  with control characters in it is one of those (``safeguard.core.text``). Too many
  requests get 429. The OpenAPI document describes each of these bodies.
- ``GET /contacts/{reference}`` answers only the agency that sent the contact; any other
  caller gets 404, so a reference's existence is never revealed, and every look-up, found
  or not, counts against the agency's rate limit, so references cannot be guessed at speed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from typing import Any, ClassVar, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import APIKeyHeader
from pydantic import ValidationInfo, field_validator

from safeguard.core.codes import AssessmentFactor
from safeguard.core.text import has_unusual_characters
from safeguard.frontdoor import config
from safeguard.frontdoor.models import (
    Channel,
    Contact,
    IdempotencyRecord,
    PartnerAgency,
    PartnerApiKey,
    ReporterType,
)
from safeguard.frontdoor.ratelimit import rate_limited
from safeguard.frontdoor.services import OUTCOME_WORDS, ContactDetails, contact_create, hash_key
from safeguard.people.validators import (
    normalise_nhs_number,
    normalise_phone_number,
    normalise_postcode,
    validate_nhs_number,
    validate_person_name,
    validate_postcode,
)

API_KEY_HEADER = "X-API-Key"


def agency_for_key(raw: str | None) -> PartnerAgency | None:
    """The agency a raw key belongs to, or None for a missing, wrong or revoked key."""
    if not raw or not raw.startswith("sg_") or has_unusual_characters(raw, multiline=False):
        return None
    parts = raw.split("_", 2)
    if len(parts) != 3:
        return None
    key = (
        PartnerApiKey.objects.select_related("agency")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.key_hash, hash_key(raw)):
        return None
    PartnerApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key.agency


def _throttle(agency: PartnerAgency) -> None:
    limit, window = config.api_rate_limit()
    if rate_limited("api", str(agency.pk), limit, window):
        raise HttpError(429, "Too many requests: slow down and retry later")


class PartnerKey(APIKeyHeader):
    param_name = API_KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> PartnerAgency | None:
        agency = agency_for_key(key)
        if agency is not None:
            _throttle(agency)
        return agency


API_ROOT = "/api/v1/"


class PartnerAPI(NinjaAPI):
    def get_root_path(self, path_params: dict[str, Any]) -> str:
        # Ninja's catch-all root URL is left out of the URLconf (it only ever answers 404).
        return API_ROOT


api = PartnerAPI(
    title="Safeguard partner agency API",
    version="1",
    description="Send a concern about a child to the council's children's front door.",
    urls_namespace="frontdoor:api",
    docs_url=None,  # Swagger UI loads from a CDN, which the site's CSP blocks: see api_docs
)


def _check(validator: Any, value: str) -> str:
    try:
        validator(value)
    except DjangoValidationError as exc:
        raise ValueError(exc.messages[0]) from exc
    return value


class TextSchema(Schema):
    """Refuses control characters in every text field, naming the field (422).

    Tabs and line breaks are allowed only in the fields named in ``multiline``.
    """

    multiline: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_unusual_characters(cls, value: Any, info: ValidationInfo) -> Any:
        multiline = info.field_name in cls.multiline
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and has_unusual_characters(t, multiline=multiline) for t in texts):
            allowed = "" if multiline else ", tabs or line breaks"
            raise ValueError(
                f"Remove the unusual characters: this field cannot hold control characters{allowed}"
            )
        return value


class ChildIn(TextSchema):
    multiline = frozenset({"address", "other_children"})

    given_name: str = Field("", max_length=100)
    family_name: str = Field("", max_length=100)
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None
    age_text: str = Field("", max_length=40)
    nhs_number: str = Field("", max_length=20)
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)
    school: str = Field("", max_length=200)
    other_children: str = Field("", max_length=5000)

    @field_validator("given_name", "family_name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _check(validate_person_name, value) if value else value

    @field_validator("nhs_number")
    @classmethod
    def _nhs(cls, value: str) -> str:
        value = normalise_nhs_number(value)
        return _check(validate_nhs_number, value) if value else value

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        value = normalise_postcode(value)
        return _check(validate_postcode, value) if value else value

    @field_validator("date_of_birth")
    @classmethod
    def _born(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and value > timezone.localdate():
            raise ValueError("Date of birth must be today or in the past")
        return value

    @field_validator("expected_date_of_birth")
    @classmethod
    def _due(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and value < timezone.localdate():
            raise ValueError("Expected date of birth must be today or in the future")
        return value


class ReferrerIn(TextSchema):
    name: str = Field(min_length=1, max_length=200)
    role: str = Field("", max_length=200)
    email: str = Field("", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str = Field(
        "", max_length=40, description="UK or international (+ and country code); kept in E.164."
    )

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        # The same rule as the web forms. Control characters are left for TextSchema to name.
        if not value or has_unusual_characters(value, multiline=False):
            return value
        try:
            return normalise_phone_number(value)
        except DjangoValidationError as exc:
            raise ValueError(exc.messages[0]) from exc


RISK_CODES = frozenset(AssessmentFactor.values)


class ContactIn(TextSchema):
    multiline = frozenset({"concern", "concern_when", "adults", "consent_reason", "support_given"})

    concern: str = Field(min_length=1, max_length=5000, description="What happened, in the referrer's words.")
    concern_when: str = Field("", max_length=500)
    danger: Literal["yes", "no", "unknown"] = "unknown"
    child: ChildIn
    adults: str = Field("", max_length=5000)
    referrer: ReferrerIn
    agency_reference: str = Field("", max_length=64)
    consent: Literal["yes", "knows", "not_sought"]
    consent_reason: str = Field("", max_length=5000)
    threshold_level: str = Field("", max_length=64)
    risk_factors: list[str] = Field(
        default_factory=list, description="Assessment factor codes, e.g. 3B, 18C."
    )
    support_given: str = Field("", max_length=5000)

    @field_validator("risk_factors")
    @classmethod
    def _factors(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in RISK_CODES]
        if unknown:
            raise ValueError(f"Unknown assessment factor codes: {', '.join(unknown)}")
        return value


class ContactOut(Schema):
    reference: str
    received_at: dt.datetime
    decision_due: dt.date
    status: str


class ContactStatusOut(ContactOut):
    decision: str
    outcome: str


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    type: str = Field(description="Pydantic's error type, such as missing or value_error.")
    loc: list[str | int] = Field(description='Where the problem is, such as ["body", "payload", "concern"].')
    msg: str = Field(description="What is wrong, in words.")
    ctx: dict[str, Any] | None = None


class InvalidOut(Schema):
    detail: list[FieldErrorOut] | str = Field(
        description="A list of field errors, or (for an Idempotency-Key already used with a different "
        "request) one sentence."
    )


REFERENCE_PATTERN = re.compile(r"[A-Za-z0-9]{1,12}")


def _request_hash(request: HttpRequest) -> str:
    return hashlib.sha256(request.body).hexdigest()


def _contact_out(contact: Contact) -> dict[str, Any]:
    return {
        "reference": contact.reference,
        "received_at": contact.received_at.isoformat(),
        "decision_due": contact.decision_due.isoformat(),
        "status": contact.status,
    }


def _create(agency: PartnerAgency, payload: ContactIn) -> Contact:
    data = payload.dict()
    return contact_create(
        actor=None,
        channel=Channel.API,
        agency=agency,
        details=ContactDetails(
            reporter_type=ReporterType.AGENCY,
            concern=data["concern"],
            concern_when=data["concern_when"],
            danger=data["danger"],
            child=data["child"],
            adults=data["adults"],
            professional={
                k: data[k]
                for k in (
                    "agency_reference",
                    "consent",
                    "consent_reason",
                    "threshold_level",
                    "risk_factors",
                    "support_given",
                )
            },
            referrer={**data["referrer"], "organisation": agency.name},
        ),
    )


@api.post(
    "/contacts",
    auth=PartnerKey(),
    response={
        201: ContactOut,
        200: ContactOut,
        400: ErrorOut,
        401: ErrorOut,
        422: InvalidOut,
        429: ErrorOut,
    },
    url_name="contact_create",
    summary="Send a contact (a concern about a child)",
)
def contact_create_api(request: HttpRequest, payload: ContactIn) -> Status[dict[str, Any]]:
    agency: PartnerAgency = request.auth  # type: ignore[attr-defined]
    key = request.headers.get("Idempotency-Key", "")[:128]
    if has_unusual_characters(key, multiline=False):
        return Status(400, {"detail": "Remove the unusual characters from the Idempotency-Key header"})
    if not key:
        return Status(201, _contact_out(_create(agency, payload)))
    body_hash = _request_hash(request)
    try:
        with transaction.atomic():
            stored = IdempotencyRecord.objects.select_for_update().filter(agency=agency, key=key).first()
            if stored is None:
                out = _contact_out(_create(agency, payload))
                IdempotencyRecord.objects.create(
                    agency=agency, key=key, request_hash=body_hash, status_code=201, body=out
                )
                return Status(201, out)
    except IntegrityError:  # another retry won the race: replay its answer
        stored = IdempotencyRecord.objects.get(agency=agency, key=key)
    if stored.request_hash != body_hash:
        return Status(422, {"detail": "This Idempotency-Key was used for a different request"})
    return Status(stored.status_code, dict(stored.body))


@api.get(
    "/contacts/{reference}",
    response={200: ContactStatusOut, 404: ErrorOut, 429: ErrorOut},
    url_name="contact_status",
    summary="The status and outcome of a contact your agency sent",
    openapi_extra={"security": [{"PartnerKey": []}]},
)
def contact_status_api(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    agency = agency_for_key(request.headers.get(API_KEY_HEADER))
    if agency is not None:
        _throttle(agency)  # before the look-up: a made-up reference costs the same as a real one
    contact = (
        Contact.objects.filter(reference=reference.upper(), agency=agency).first()
        if agency is not None and REFERENCE_PATTERN.fullmatch(reference)
        else None
    )
    if contact is None:
        return Status(404, {"detail": "No contact with that reference from your agency"})
    decided = contact.status == "decided"
    return Status(
        200,
        {
            **_contact_out(contact),
            "decision": contact.decision if decided else "",
            "outcome": OUTCOME_WORDS.get(contact.decision, "") if decided else "",
        },
    )


def openapi_operations() -> list[dict[str, str]]:
    """Each operation of the API, for the readable docs page."""
    schema = api.get_openapi_schema()
    rows = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": str(operation.get("summary", "")),
                    "description": str(operation.get("description", "")),
                }
            )
    return rows
