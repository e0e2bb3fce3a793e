"""The journey machinery, through the two journeys that use it: the public "Report a
concern" (no sign-in) and the staff "Add a child". Run on PostgreSQL as well as SQLite:
PostgreSQL refuses NUL in a JSON column, which SQLite stores without complaint."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django import forms
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from safeguard.core.models import Draft
from safeguard.design_system import journey
from safeguard.design_system.forms import data_keys
from safeguard.design_system.journey import TOO_LONG_TO_SAVE, Journey, Step
from safeguard.frontdoor.journeys import REPORT_CONCERN
from safeguard.people.journeys import ADD_CHILD

pytestmark = pytest.mark.django_db

REMOVED = "we removed unusual characters that cannot be saved"
REPORTER_TYPES = ("public", "family", "self", "professional")


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def _post(client: Client, j: Journey, slug: str, data: dict[str, Any]):
    return client.post(j.url("step", slug=slug), data)


def _draft(j: Journey) -> Draft:
    return Draft.objects.filter(journey=j.name, submitted_at__isnull=True).latest("modified_at")


def _with_unusual_characters(step: Step) -> tuple[dict[str, str], list[str], bool]:
    """Every key the step's form reads holds a NUL; which keys are text; and whether some
    text field has no problem but the NUL (so the page must say it removed it)."""
    form = step.form_class()
    data: dict[str, str] = {}
    text_keys: list[str] = []
    for name, field in form.fields.items():
        for key in data_keys(form, name):
            if isinstance(field, forms.CharField):
                data[key] = "a\x00b"
                text_keys.append(key)
            else:
                data[key] = "\x00"
    typed = step.form_class(data={k: ("ab" if k in text_keys else "") for k in data})
    flagged = any(
        isinstance(field, forms.CharField) and name not in typed.errors for name, field in form.fields.items()
    )
    return data, text_keys, flagged


def _assert_kept_without_the_nul(client: Client, j: Journey, step: Step) -> None:
    data, text_keys, flagged = _with_unusual_characters(step)
    response = _post(client, j, step.slug, {**data, "not_a_field": "x\x00"})
    html = response.content.decode()
    assert response.status_code == 200, response.get("Location")
    assert "Null characters are not allowed" not in html and "\x00" not in html
    assert (REMOVED in html) is flagged
    saved = _draft(j).data["raw"][step.slug]
    assert "\x00" not in json.dumps(saved, ensure_ascii=False)
    assert all(saved[key] == ["ab"] for key in text_keys)  # nothing typed is lost
    assert "not_a_field" not in saved


def _reporter_for(step: Step) -> str:
    return next(
        who for who in REPORTER_TYPES if step.show_if is None or step.show_if({"who": {"reporter_type": who}})
    )


@pytest.mark.parametrize("step", REPORT_CONCERN.steps, ids=lambda s: s.slug)
def test_nul_in_any_public_step_is_removed_and_the_rest_kept(client, step):
    if step.slug != "who":
        _post(client, REPORT_CONCERN, "who", {"reporter_type": _reporter_for(step)})
    _assert_kept_without_the_nul(client, REPORT_CONCERN, step)


@pytest.mark.parametrize("step", ADD_CHILD.steps, ids=lambda s: s.slug)
def test_nul_in_any_add_child_step_is_removed_and_the_rest_kept(staff_client, step):
    if step.slug in ("date-of-birth", "sex", "expected-date"):
        _post(staff_client, ADD_CHILD, "born", {"born": "no" if step.slug == "expected-date" else "yes"})
    _assert_kept_without_the_nul(staff_client, ADD_CHILD, step)


def test_the_page_says_it_removed_the_characters_and_shows_what_is_left(client):
    _post(client, REPORT_CONCERN, "who", {"reporter_type": "public"})
    response = _post(
        client,
        REPORT_CONCERN,
        "what-happened",
        {"concern": "Shouting\x00 at\r\n\tnight\x0b", "concern_when": ""},
    )
    html = response.content.decode()
    assert "<title>Error:" in html and "Check your answer: we removed unusual characters" in html
    assert "Shouting at\r\n\tnight</textarea>" in html
    # Continuing with what is left is accepted.
    again = _post(
        client, REPORT_CONCERN, "what-happened", {"concern": "Shouting at\r\n\tnight", "concern_when": ""}
    )
    assert again.status_code == 302


def test_only_the_steps_own_fields_are_saved(client):
    _post(client, REPORT_CONCERN, "who", {"reporter_type": "public", "website": "", "extra": "x" * 5000})
    _post(
        client,
        REPORT_CONCERN,
        "child",
        {"given_name": "Amira", "date_of_birth-day": "14", "date_of_birth-era": "x", "address-2": "x"},
    )
    raw = _draft(REPORT_CONCERN).data["raw"]
    assert raw["who"] == {"reporter_type": ["public"], "website": [""]}
    assert raw["child"] == {"given_name": ["Amira"], "date_of_birth-day": ["14"]}


def test_an_answer_over_its_length_gets_its_own_message_and_is_not_lost_or_stored(client):
    _post(client, REPORT_CONCERN, "who", {"reporter_type": "public"})
    response = _post(client, REPORT_CONCERN, "what-happened", {"concern": "y" * 70_000})
    html = response.content.decode()
    assert response.status_code == 200
    assert "What has happened? must be 5000 characters or fewer" in html and "y" * 70_000 in html
    assert TOO_LONG_TO_SAVE not in html
    assert "what-happened" not in _draft(REPORT_CONCERN).data["raw"]


def test_a_draft_over_its_size_limit_gets_a_message_not_a_500(client, monkeypatch):
    monkeypatch.setattr(journey, "STEP_SIZE_LIMIT", 4_000)
    monkeypatch.setattr(journey, "DRAFT_SIZE_LIMIT", 6_000)
    _post(client, REPORT_CONCERN, "who", {"reporter_type": "public"})
    assert _post(client, REPORT_CONCERN, "danger", {"danger": "no"}).status_code == 302
    big_page = _post(client, REPORT_CONCERN, "what-happened", {"concern": "y" * 4_500})
    assert TOO_LONG_TO_SAVE in big_page.content.decode() and "y" * 4_500 in big_page.content.decode()
    assert _post(client, REPORT_CONCERN, "what-happened", {"concern": "y" * 3_500}).status_code == 302
    full = _post(client, REPORT_CONCERN, "adults", {"adults": "z" * 3_000})
    assert full.status_code == 200 and TOO_LONG_TO_SAVE in full.content.decode()
    assert "z" * 3_000 in full.content.decode()  # still on the page to shorten
    assert "adults" not in _draft(REPORT_CONCERN).data["raw"]


def test_the_longest_honest_professional_referral_fits(client):
    """Every long answer at its maximum, in four-byte characters, is far inside the limits."""
    long, emoji = 5_000, "\U0001f622"
    steps = [
        ("who", {"reporter_type": "professional"}),
        ("danger", {"danger": "no"}),
        ("what-happened", {"concern": emoji * long, "concern_when": emoji * 500}),
        (
            "child-professional",
            {
                "given_name": "Amira",
                "address": emoji * 300,
                "school": emoji * 200,
                "other_children": emoji * long,
            },
        ),
        ("adults", {"adults": emoji * long}),
        (
            "organisation",
            {
                "organisation": emoji * 200,
                "agency_type": "school",
                "name": "Dee Lead",
                "role": emoji * 200,
                "email": "dsl@school.example",
                "phone": "0300 555 0100",
                "agency_reference": "HP-22",
            },
        ),
        ("consent", {"consent": "not_sought", "consent_reason": emoji * long}),
        ("need", {"threshold_level": "Level 2: early help", "support_given": emoji * long}),
    ]
    for slug, data in steps:
        response = _post(client, REPORT_CONCERN, slug, data)
        assert response.status_code == 302, slug
    assert client.get(reverse("frontdoor:report:check")).status_code == 200
