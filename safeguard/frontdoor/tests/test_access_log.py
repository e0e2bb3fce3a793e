"""What the front door's staff pages write to the access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessLogEntry
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.access import OUT_OF_SCOPE
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner(make_user):
    return make_user("front_door_practitioner")


@pytest.fixture
def fd_client(client, practitioner):
    client.force_login(practitioner)
    return client


def _row_text(entry):
    stored = AccessLogEntry.objects.filter(pk=entry.pk).values().get()
    return " ".join(str(value) for value in stored.values())


def test_contact_page_is_a_contact_view(fd_client, practitioner):
    child = ChildFactory()
    contact = make_contact()
    contact.child = child
    contact.save(update_fields=["child"])
    fd_client.get(reverse("frontdoor:contact_detail", args=[contact.pk]))
    entry = AccessLogEntry.objects.get(user=practitioner, what="contact")
    assert (entry.action, entry.object_type, entry.object_id, entry.child_id) == (
        "view",
        "frontdoor.contact",
        str(contact.pk),
        child.pk,
    )


def test_queue_is_a_list_with_its_filters(fd_client, practitioner):
    make_contact(danger="yes", family_name="Kowalczyk")
    fd_client.get(reverse("frontdoor:queue"), {"danger": "yes", "assigned": "unassigned"})
    [entry] = AccessLogEntry.objects.filter(user=practitioner)
    assert (entry.what, entry.action, entry.child_id) == ("contact_queue", "list", None)
    assert entry.detail == (
        "Queue filtered by status open, assigned unassigned, immediate danger only: 1 contact, page 1"
    )
    assert "Kowalczyk" not in _row_text(entry)


def test_matching_is_a_search_that_names_the_fields_not_their_values(fd_client, practitioner):
    known = ChildFactory(given_name="Amira", family_name="Hughes", date_of_birth=dt.date(2016, 5, 14))
    contact = make_contact(given_name="Amira", family_name="Hughes")
    fd_client.get(reverse("frontdoor:contact_detail", args=[contact.pk]))
    search = AccessLogEntry.objects.get(user=practitioner, what="contact_matching")
    assert (search.action, search.object_id, search.child_id) == ("search", str(contact.pk), None)
    assert search.detail == "Matched on date of birth, last name, first name: 1 shown"
    assert "Amira" not in _row_text(search) and "Hughes" not in _row_text(search)
    shown = AccessLogEntry.objects.get(user=practitioner, what="match_candidate")
    assert (shown.action, shown.child_id) == ("list", known.pk)


def test_contact_about_a_child_out_of_scope_is_a_refused_attempt(client, social_worker):
    child = ChildFactory()
    EpisodeFactory(child=child)
    contact = make_contact()
    contact.child = child
    contact.save(update_fields=["child"])
    client.force_login(social_worker)
    assert client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).status_code == 404
    [entry] = AccessLogEntry.objects.filter(user=social_worker)
    assert (entry.what, entry.action, entry.object_id, entry.child_id, entry.detail) == (
        "contact",
        "refused",
        str(contact.pk),
        child.pk,
        OUT_OF_SCOPE,
    )


def test_triage_by_staff_outside_the_front_door_is_refused_and_logged(client, social_worker):
    child = ChildFactory()
    EpisodeFactory(child=child, worker=social_worker, team=social_worker.team)
    contact = make_contact()
    contact.child = child
    contact.save(update_fields=["child"])
    client.force_login(social_worker)
    assert client.get(reverse("frontdoor:contact_decide", args=[contact.pk])).status_code == 403
    refused = AccessLogEntry.objects.get(user=social_worker, action="refused")
    assert (refused.what, refused.child_id) == ("contact", child.pk)
