"""``seed_demo`` and ``demo_logins``: repeatable output, --if-empty, the login table."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from safeguard.accounts.models import Role, User
from safeguard.casework.models import Assessment, ChildProtectionPlan, CINEpisode
from safeguard.demo.generator import DEMO_PASSWORD
from safeguard.demo.tests.support import wipe_demo_data
from safeguard.people.models import Address, Person

pytestmark = pytest.mark.django_db

SMALL = ["--children", "300", "--years", "3", "--today", "2025-03-31"]


def _seed(*extra: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *SMALL, *extra, stdout=out)
    return out.getvalue()


def _digest() -> str:
    """A fingerprint of the content that the seed decides (not timestamps or hashes)."""
    digest = hashlib.sha256()
    tables = [
        Person.objects.order_by("id").values_list(
            "id",
            "la_child_id",
            "nhs_number",
            "upn",
            "given_name",
            "family_name",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "ethnicity",
        ),
        Address.objects.order_by("id").values_list("id", "person_id", "line_1", "postcode"),
        CINEpisode.objects.order_by("id").values_list(
            "id",
            "child_id",
            "referral_date",
            "referral_source",
            "primary_need",
            "referral_nfa",
            "closure_date",
            "reason_for_closure",
            "team__name",
            "worker__username",
        ),
        Assessment.objects.order_by("id").values_list(
            "id", "start_date", "authorised_date", "factors", "outcome"
        ),
        ChildProtectionPlan.objects.order_by("id").values_list(
            "id", "start_date", "end_date", "initial_category", "number_of_previous_plans"
        ),
        User.objects.order_by("username").values_list(
            "id",
            "username",
            "role",
            "team__name",
            "grade",
            "fte",
            "is_agency",
            "social_work_england_number",
        ),
    ]
    for rows in tables:
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_same_arguments_give_the_same_data() -> None:
    _seed("--seed", "1")
    first = _digest()
    ids = sorted(str(i) for i in Person.objects.values_list("la_child_id", flat=True) if i)
    wipe_demo_data()
    _seed("--seed", "1")
    assert _digest() == first
    assert sorted(str(i) for i in Person.objects.values_list("la_child_id", flat=True) if i) == ids
    wipe_demo_data()
    _seed("--seed", "2")
    assert _digest() != first


def test_prints_a_summary_with_rows_and_speed() -> None:
    output = _seed("--seed", "3", "--json")
    assert "people.Person" in output and "casework.CINEpisode" in output
    assert "rows per second" in output
    summary = json.loads(output.strip().splitlines()[-1])
    assert summary["children"] == 300 and summary["years"] == 3
    assert summary["tables"]["people.Person"] == Person.objects.count()
    assert summary["total_rows"] == sum(summary["tables"].values())


def test_if_empty_leaves_a_populated_database_alone() -> None:
    _seed("--seed", "4")
    people, episodes = Person.objects.count(), CINEpisode.objects.count()
    output = _seed("--seed", "5", "--if-empty")
    assert "already holds people" in output
    assert (Person.objects.count(), CINEpisode.objects.count()) == (people, episodes)


def test_refuses_to_seed_a_populated_database_without_if_empty() -> None:
    _seed("--seed", "4")
    with pytest.raises(CommandError, match="already holds people"):
        _seed("--seed", "5")


def test_refuses_a_future_today() -> None:
    with pytest.raises(CommandError, match="future"):
        call_command("seed_demo", "--children", "10", "--today", "2999-01-01", stdout=io.StringIO())


def test_demo_logins_lists_every_role_in_demo_mode() -> None:
    _seed("--seed", "6")
    out = io.StringIO()
    with override_settings(DEMO_MODE=True):
        call_command("demo_logins", stdout=out)
    first, blank, header, *rows = out.getvalue().strip().splitlines()
    assert DEMO_PASSWORD in first and not blank
    assert header.split() == ["Role", "Email", "Team", "Waiting"]
    assert len(rows) == len(Role) + 2  # a second social worker and partner
    assert "social.worker@demo.harrowmere.example" in out.getvalue()
    assert "social.worker.2@demo.harrowmere.example" in out.getvalue()
    manager = next(row for row in rows if row.startswith("Team manager"))
    assert "Child Protection Team 1" in manager and "to authorise" in manager


def test_demo_logins_shows_nothing_outside_demo_mode() -> None:
    _seed("--seed", "6")
    out = io.StringIO()
    with override_settings(DEMO_MODE=False):
        call_command("demo_logins", stdout=out)
    assert "only in demo mode" in out.getvalue()
    assert DEMO_PASSWORD not in out.getvalue()


def test_default_size_follows_the_child_population() -> None:
    out = io.StringIO()
    with override_settings(COUNCIL_CHILD_POPULATION=2400):
        call_command("seed_demo", "--years", "3", "--today", "2025-03-31", stdout=out)
    assert Person.objects.filter(la_child_id__isnull=False).count() == 300
    assert "stand for a council" not in out.getvalue()


def test_says_when_the_size_does_not_stand_for_the_child_population() -> None:
    with override_settings(COUNCIL_CHILD_POPULATION=80000):
        out = _seed()
    assert "a council of about 2,400 children" in out
