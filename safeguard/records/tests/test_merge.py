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
        reverse("records:child_merge", args=[keep.pk]),
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


@pytest.fixture
def services():
    """A front door in one service; a child protection team in another."""
    from safeguard.accounts.models import Service
    from safeguard.accounts.tests.factories import TeamFactory

    door = TeamFactory(name="Front Door", service=Service.objects.create(name="Front Door Service"))
    far = TeamFactory(name="Child Protection East", service=Service.objects.create(name="East Service"))
    return door, far


def _held_by(team):
    child = ChildFactory(given_name="Held", family_name="Elsewhere")
    EpisodeFactory(child=child, team=team)
    return child


def test_a_front_door_manager_cannot_merge_another_services_child_into_one_they_can_see(client, services):
    door, far = services
    manager = UserFactory(role=Role.FRONT_DOOR_MANAGER, team=door)
    theirs = _held_by(far)
    unheld = ChildFactory(given_name="Made", family_name="Atthedoor")
    client.force_login(manager)
    assert client.get(reverse("people:child_detail", args=[theirs.pk])).status_code == 200
    assert _merge(client, unheld, theirs).status_code == 403
    assert Person.objects.filter(pk=theirs.pk).exists() and Person.objects.filter(pk=unheld.pk).exists()
    assert not AuditEvent.objects.filter(action="child_merge").exists()


def test_a_front_door_manager_cannot_merge_into_another_services_child(client, services):
    door, far = services
    manager = UserFactory(role=Role.FRONT_DOOR_MANAGER, team=door)
    theirs = _held_by(far)
    unheld = ChildFactory(given_name="Made", family_name="Atthedoor")
    client.force_login(manager)
    assert client.get(reverse("records:child_merge", args=[theirs.pk])).status_code == 403
    assert _merge(client, theirs, unheld).status_code == 403
    assert Person.objects.filter(pk=unheld.pk).exists()
    html = client.get(reverse("people:child_detail", args=[theirs.pk])).content.decode()
    assert "Merge a duplicate record" not in html


def test_a_front_door_manager_merges_two_records_no_team_holds(client, services):
    door, _far = services
    manager = UserFactory(role=Role.FRONT_DOOR_MANAGER, team=door)
    keep = ChildFactory(given_name="Made", family_name="Atthedoor")
    duplicate = ChildFactory(given_name="Made", family_name="Atthedoor")
    client.force_login(manager)
    assert _merge(client, keep, duplicate).status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()


def test_a_child_nobody_can_see_is_not_found_even_for_a_manager(client, social_worker):
    manager = UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)
    keep = ChildFactory()
    EpisodeFactory(child=keep, worker=social_worker, team=social_worker.team)
    hidden = _held_by(None)  # no team: outside a team manager's sight
    client.force_login(manager)
    assert client.get(reverse("records:child_merge", args=[hidden.pk])).status_code == 404
    html = _merge(client, keep, hidden).content.decode()
    assert "No child you can see has that local child identifier" in html
    assert Person.objects.filter(pk=hidden.pk).exists()


def test_a_service_manager_may_merge_within_their_service_but_not_beyond(client, social_worker, services):
    from safeguard.accounts.policy import Action
    from safeguard.accounts.tests.factories import TeamFactory
    from safeguard.people.permissions import children_for

    _door, far = services
    manager = UserFactory(role=Role.SERVICE_MANAGER, team=social_worker.team)
    sibling_team = TeamFactory(service=social_worker.team.service)
    keep = _held_by(social_worker.team)
    duplicate = _held_by(sibling_team)
    theirs = _held_by(far)
    assert {keep, duplicate} <= set(children_for(manager, Action.MERGE))
    assert theirs not in children_for(manager, Action.MERGE)
    client.force_login(manager)
    # Within scope the merge is allowed, and stopped only by the rule about open work.
    assert "Both records have open work" in _merge(client, keep, duplicate).content.decode()
    # Another service's child is out of their sight altogether: not found, not refused.
    assert (
        "No child you can see has that local child identifier"
        in _merge(client, keep, theirs).content.decode()
    )
    assert client.get(reverse("records:child_merge", args=[theirs.pk])).status_code == 404
    assert Person.objects.filter(pk=theirs.pk).exists()


def test_the_service_itself_refuses_a_record_outside_the_merge_scope(services):
    from django.core.exceptions import PermissionDenied

    from safeguard.records.services import child_merge

    door, far = services
    manager = UserFactory(role=Role.FRONT_DOOR_MANAGER, team=door)
    theirs = _held_by(far)
    unheld = ChildFactory()
    with pytest.raises(PermissionDenied):
        child_merge(actor=manager, keep=unheld, duplicate=theirs, reason="Same child.")
    assert Person.objects.filter(pk=theirs.pk).exists()
