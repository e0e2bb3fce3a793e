"""The access log for children's records: refused attempts, searches and lists, and the
"who has looked at this record" page that shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AccessLogEntry
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.access import BREAK_GLASS_EXPIRED, OUT_OF_SCOPE, SEALED
from safeguard.people.models import BreakGlassGrant
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _team_child(worker, **kwargs):
    child = ChildFactory(**kwargs)
    EpisodeFactory(child=child, worker=worker, team=worker.team)
    return child


def _only_entry(user):
    [entry] = AccessLogEntry.objects.filter(user=user)
    return entry


def _row_text(entry):
    """Every column of the stored row, as an auditor's query would see it."""
    stored = AccessLogEntry.objects.filter(pk=entry.pk).values().get()
    return " ".join(str(value) for value in stored.values())


def test_out_of_scope_child_is_404_and_a_refused_attempt(staff_client, social_worker):
    child = ChildFactory(given_name="Leila", family_name="Farah")
    EpisodeFactory(child=child, team=TeamFactory())
    response = staff_client.get(reverse("people:child_detail", args=[child.pk]))
    assert response.status_code == 404 and "Farah" not in response.content.decode()
    entry = _only_entry(social_worker)
    assert (entry.what, entry.action, entry.object_type, entry.object_id) == (
        "child_record",
        "refused",
        "people.person",
        str(child.pk),
    )
    assert (entry.child_id, entry.detail) == (child.pk, OUT_OF_SCOPE)


def test_sealed_child_is_404_and_a_refused_attempt(staff_client, social_worker):
    sealed = _team_child(social_worker, is_sealed=True)
    assert staff_client.get(reverse("people:child_detail", args=[sealed.pk])).status_code == 404
    entry = _only_entry(social_worker)
    assert (entry.what, entry.action, entry.child_id, entry.detail) == (
        "child_record",
        "refused",
        sealed.pk,
        SEALED,
    )


def test_an_expired_emergency_grant_is_a_refused_attempt(staff_client, social_worker):
    child = ChildFactory()
    EpisodeFactory(child=child, team=TeamFactory())
    BreakGlassGrant.objects.create(
        person=child,
        user=social_worker,
        reason="Police report the child missing overnight; need the details.",
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert staff_client.get(reverse("casework:chronology", args=[child.pk])).status_code == 404
    entry = _only_entry(social_worker)
    assert (entry.what, entry.action, entry.detail) == ("chronology", "refused", BREAK_GLASS_EXPIRED)


def test_child_search_logs_what_it_searched_by_never_the_name(staff_client, social_worker):
    _team_child(social_worker, given_name="Amira", family_name="Hughes")
    _team_child(social_worker, given_name="Amira", family_name="Okafor")
    response = staff_client.post(reverse("people:child_list"), {"q": "Amira Hughes"})
    staff_client.get(response["Location"])
    entry = _only_entry(social_worker)
    assert (entry.what, entry.action, entry.child_id, entry.object_type) == (
        "child_list",
        "search",
        None,
        "people.person",
    )
    assert entry.detail == "Child search by name (2 words): 1 result, page 1"
    assert "Amira" not in _row_text(entry) and "Hughes" not in _row_text(entry)


def test_child_search_by_nhs_number_does_not_log_the_number(staff_client, social_worker):
    _team_child(social_worker, nhs_number="9434765919")
    response = staff_client.post(reverse("people:child_list"), {"q": "943 476 5919"})
    staff_client.get(response["Location"])
    entry = _only_entry(social_worker)
    assert entry.detail == "Child search by NHS number: 1 result, page 1"
    assert "9434765919" not in _row_text(entry) and "943 476" not in _row_text(entry)


def test_child_list_without_a_search_is_a_list(staff_client, social_worker):
    _team_child(social_worker)
    staff_client.get(reverse("people:child_list"))
    entry = _only_entry(social_worker)
    assert (entry.what, entry.action) == ("child_list", "list")
    assert entry.detail == "All children: 1 result, page 1"


def test_who_has_looked_shows_kind_and_action_in_words(client, social_worker):
    manager = UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)
    child = _team_child(social_worker)
    outsider = UserFactory(role=Role.SOCIAL_WORKER, team=TeamFactory())
    client.force_login(outsider)
    client.get(reverse("people:child_detail", args=[child.pk]))
    client.force_login(social_worker)
    client.get(reverse("casework:chronology_pdf", args=[child.pk]))
    client.force_login(manager)
    html = client.get(reverse("people:child_access_log", args=[child.pk])).content.decode()
    assert "Chronology" in html and "Downloaded" in html
    assert "Child&#39;s record" in html and "Refused" in html and OUT_OF_SCOPE.replace("'", "&#39;") in html
    assert "Who has looked at the record" in html and "Viewed" in html  # the manager's own read


def test_sealing_or_merging_without_the_role_is_a_refused_attempt(staff_client, social_worker):
    child = _team_child(social_worker)
    assert staff_client.get(reverse("people:child_seal", args=[child.pk])).status_code == 403
    assert staff_client.get(reverse("records:child_merge", args=[child.pk])).status_code == 403
    refused = AccessLogEntry.objects.filter(user=social_worker, action="refused").order_by("occurred_at")
    assert [(e.what, e.child_id, e.detail) for e in refused] == [
        ("child_record", child.pk, "the user may not seal this record"),
        ("child_record", child.pk, "the user may not merge records"),
    ]
