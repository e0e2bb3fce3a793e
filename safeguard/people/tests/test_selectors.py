"""How pages name another person: ``person_reference`` and ``person_references``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.models import BreakGlassGrant, Person, Relationship, SealedRecordAccess
from safeguard.people.selectors import RESTRICTED_NAME, person_reference, person_references
from safeguard.people.tests.factories import AdultFactory, ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def siblings(social_worker):
    """A child the worker holds, and a half-sibling in the same team whose record is sealed."""
    child = ChildFactory(given_name="Tobias", family_name="Ashdown")
    sealed = ChildFactory(given_name="Zephyrine", family_name="Quillfeather", is_sealed=True)
    for person in (child, sealed):
        EpisodeFactory(child=person, worker=social_worker, team=social_worker.team)
    Relationship.objects.create(child=child, other=sealed, kind="half_sibling")
    return child, sealed


def test_a_sealed_child_is_restricted_for_everyone_not_named(make_user, social_worker, siblings):
    _child, sealed = siblings
    for user in (social_worker, make_user(Role.DIRECTOR), make_user(Role.FRONT_DOOR_MANAGER)):
        ref = person_reference(viewer=user, person=sealed)
        assert ref.restricted and ref.name == RESTRICTED_NAME
        assert ref.url is None and ref.la_child_id == "" and ref.date_of_birth is None


def test_named_and_break_glass_users_see_the_sealed_child(make_user, social_worker, siblings):
    _child, sealed = siblings
    SealedRecordAccess.objects.create(person=sealed, user=social_worker)
    glass = make_user(Role.SENIOR_PRACTITIONER)
    BreakGlassGrant.objects.create(
        person=sealed,
        user=glass,
        reason="Police at the door",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    for user in (social_worker, glass):
        ref = person_reference(viewer=user, person=sealed)
        assert not ref.restricted and ref.name == "Zephyrine Quillfeather"
        assert ref.url == reverse("people:child_detail", args=[sealed.pk])
        assert ref.la_child_id == sealed.la_child_id and ref.date_of_birth == sealed.date_of_birth


def test_an_expired_grant_restricts_again(make_user, siblings):
    _child, sealed = siblings
    glass = make_user(Role.SENIOR_PRACTITIONER)
    BreakGlassGrant.objects.create(
        person=sealed,
        user=glass,
        reason="Police at the door",
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert person_reference(viewer=glass, person=sealed).restricted


def test_someone_outside_the_viewers_scope_is_named_without_a_link(make_user, siblings):
    child, _sealed = siblings
    elsewhere = make_user(Role.SOCIAL_WORKER)
    parent: Person = AdultFactory(given_name="Marguerite", family_name="Ashdown")
    refs = person_references(viewer=elsewhere, people=[child, parent])
    assert [(r.name, r.url, r.la_child_id, r.restricted) for r in refs.values()] == [
        ("Tobias Ashdown", None, "", False),
        ("Marguerite Ashdown", None, "", False),
    ]


def test_a_reader_outside_the_service_never_gets_links_or_sealed_people(social_worker, siblings):
    child, sealed = siblings
    SealedRecordAccess.objects.create(person=sealed, user=social_worker)
    refs = person_references(viewer=None, people=[child, sealed])
    assert refs[child.pk].name == "Tobias Ashdown" and refs[child.pk].url is None
    assert refs[sealed.pk].restricted


def test_a_sealed_adult_is_restricted_unless_named(social_worker):
    adult = AdultFactory(given_name="Hester", family_name="Vane", is_sealed=True)
    assert person_reference(viewer=social_worker, person=adult).restricted
    SealedRecordAccess.objects.create(person=adult, user=social_worker)
    ref = person_reference(viewer=social_worker, person=adult)
    assert not ref.restricted and ref.name == "Hester Vane" and ref.url is None


def test_the_siblings_page_leaves_out_a_sealed_relative(staff_client, social_worker, siblings):
    child, sealed = siblings
    parent = AdultFactory(given_name="Marguerite", family_name="Ashdown")
    Relationship.objects.create(child=child, other=parent, kind="mother")
    page = reverse("people:child_detail", args=[child.pk])
    html = staff_client.get(page).content.decode()
    assert "Marguerite Ashdown" in html
    assert "Quillfeather" not in html and sealed.la_child_id not in html and "Half-sibling" not in html
    SealedRecordAccess.objects.create(person=sealed, user=social_worker)
    html = staff_client.get(page).content.decode()
    assert "Zephyrine Quillfeather" in html and reverse("people:child_detail", args=[sealed.pk]) in html
