"""Emergency (break-glass) access and the "who has looked" view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AccessLogEntry, AuditEvent
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.models import BreakGlassGrant
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
REASON = "Police report the child missing overnight; need the family's details now."


@pytest.fixture
def other_teams_child():
    team = TeamFactory()
    UserFactory(role=Role.TEAM_MANAGER, team=team, email="manager@staff.example")
    child = ChildFactory(given_name="Leila", family_name="Farah")
    EpisodeFactory(child=child, team=team)
    return child


def _open(client, child, **overrides):
    data = {"la_child_id": child.la_child_id, "reason": REASON, "password": PASSWORD, **overrides}
    return client.post(reverse("people:break_glass"), data)


def test_break_glass_opens_the_record_for_an_hour_and_tells_its_manager(
    staff_client, social_worker, other_teams_child, django_capture_on_commit_callbacks
):
    detail = reverse("people:child_detail", args=[other_teams_child.pk])
    assert staff_client.get(detail).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = _open(staff_client, other_teams_child)
    assert response["Location"] == detail
    page = staff_client.get(detail)
    assert page.status_code == 200 and "emergency access to this record until" in page.content.decode()
    grant = BreakGlassGrant.objects.get()
    assert abs(grant.expires_at - grant.created_at - dt.timedelta(minutes=60)) < dt.timedelta(seconds=1)
    assert AuditEvent.objects.filter(action="break_glass_open", actor=social_worker).exists()
    # The first try, before the grant, is logged too: as refused.
    assert AccessLogEntry.objects.get(user=social_worker, action="view").break_glass_reason == REASON
    assert AccessLogEntry.objects.get(user=social_worker, action="refused").child_id == other_teams_child.pk
    [message] = mail.outbox
    assert message.to == ["manager@staff.example"]
    assert other_teams_child.full_name not in message.body  # no personal data in email


def test_break_glass_needs_the_password_and_a_real_reason(staff_client, other_teams_child):
    html = _open(staff_client, other_teams_child, password="wrong", reason="because").content.decode()
    assert "Your password is not correct" in html
    assert "Reason must be at least 20 characters" in html
    assert REASON not in html and "because" in html  # what was typed is kept
    assert not BreakGlassGrant.objects.exists()


def test_an_expired_grant_closes_the_record(staff_client, social_worker, other_teams_child):
    BreakGlassGrant.objects.create(
        person=other_teams_child,
        user=social_worker,
        reason=REASON,
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert staff_client.get(reverse("people:child_detail", args=[other_teams_child.pk])).status_code == 404


def test_roles_that_hold_no_cases_cannot_break_glass(client, make_user):
    client.force_login(make_user(Role.PERFORMANCE_ANALYST))
    assert client.get(reverse("people:break_glass")).status_code == 403


def test_unknown_identifier_gets_a_clear_message(staff_client):
    html = staff_client.post(
        reverse("people:break_glass"), {"la_child_id": "C000000000", "reason": REASON, "password": PASSWORD}
    ).content.decode()
    assert "No child has that local child identifier" in html


def test_manager_sees_who_has_looked(client, social_worker):
    manager = UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)
    child = ChildFactory()
    EpisodeFactory(child=child, worker=social_worker, team=social_worker.team)
    AccessLogEntry.objects.create(
        user=social_worker,
        what="child_record",
        object_type="people.person",
        object_id=str(child.pk),
        child_id=child.pk,
        break_glass_reason="",
    )
    client.force_login(manager)
    html = client.get(reverse("people:child_access_log", args=[child.pk])).content.decode()
    assert social_worker.display_name in html
    assert "Who has looked at this record" in html


def test_social_worker_cannot_see_who_has_looked(staff_client, social_worker):
    child = ChildFactory()
    EpisodeFactory(child=child, worker=social_worker, team=social_worker.team)
    assert staff_client.get(reverse("people:child_access_log", args=[child.pk])).status_code == 404


def test_an_empty_request_says_what_is_missing(staff_client):
    html = staff_client.post(reverse("people:break_glass"), {}).content.decode()
    assert (
        "Enter the child&#39;s local child identifier" in html
        or "Enter the child's local child identifier" in html
    )
    assert "Enter why you need to see this record" in html
