from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework.models import CINEpisode
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.models import Person
from safeguard.people.tests.factories import AddressFactory, ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(social_worker):
    """Duplicates are usually found at the front door, whose managers can see every record."""
    return UserFactory(role=Role.FRONT_DOOR_MANAGER, team=social_worker.team)


@pytest.fixture
def pair(social_worker):
    keep = ChildFactory(given_name="Jayden", family_name="Okoro", nhs_number="")
    EpisodeFactory(child=keep, worker=social_worker, team=social_worker.team)
    duplicate = ChildFactory(given_name="Jaden", family_name="Okoro", nhs_number="9434765919")
    EpisodeFactory(
        child=duplicate,
        team=social_worker.team,
        referral_date=dt.date(2025, 1, 6),
        closure_date=dt.date(2025, 3, 1),
        reason_for_closure="RC7",
    )
    AddressFactory(person=duplicate, line_1="3 Old Mill Lane")
    return keep, duplicate


def _merge(client, keep, duplicate, **extra):
    return client.post(
        reverse("people:child_merge", args=[keep.pk]),
        {
            "duplicate": duplicate.la_child_id,
            "reason": "Same date of birth and school; mother confirmed.",
            "confirm": "yes",
            **extra,
        },
    )


def test_a_manager_merges_a_duplicate_and_everything_moves(client, manager, pair):
    keep, duplicate = pair
    client.force_login(manager)
    response = _merge(client, keep, duplicate)
    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert CINEpisode.objects.filter(child=keep).count() == 2
    assert keep.addresses.filter(line_1="3 Old Mill Lane").exists()
    assert keep.other_names.filter(given_name="Jaden").exists()
    keep.refresh_from_db()
    assert keep.nhs_number == "9434765919"
    event = AuditEvent.objects.get(action="child_merge")
    assert event.actor == manager and event.changes["merged_record"]["before"]["given_name"] == "Jaden"


def test_two_open_episodes_cannot_be_merged(client, manager, social_worker, pair):
    keep, duplicate = pair
    CINEpisode.objects.filter(child=duplicate).update(closure_date=None, reason_for_closure="")
    client.force_login(manager)
    html = _merge(client, keep, duplicate).content.decode()
    assert "Both records have open work" in html
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_a_social_worker_cannot_merge(staff_client, pair):
    keep, duplicate = pair
    assert _merge(staff_client, keep, duplicate).status_code == 403
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_merging_a_record_into_itself_is_refused(client, manager, pair):
    keep, _duplicate = pair
    client.force_login(manager)
    assert "cannot be merged into itself" in _merge(client, keep, keep).content.decode()


def test_a_duplicate_outside_the_managers_scope_is_not_found(client, social_worker, pair):
    keep, duplicate = pair
    team_manager = UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)
    client.force_login(team_manager)
    html = _merge(client, keep, duplicate).content.decode()
    assert "No child you can see has that local child identifier" in html
