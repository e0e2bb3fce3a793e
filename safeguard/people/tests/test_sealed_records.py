"""A sealed record leaks nowhere: search, lists, counts, home pages and exports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.audit.services import audit_event_record
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.people.models import SealedRecordAccess
from safeguard.people.tests.factories import ChildFactory
from safeguard.performance.headlines import headline_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed_world(social_worker):
    manager = UserFactory(role=Role.SERVICE_MANAGER, team=social_worker.team)
    child = ChildFactory(given_name="Hidden", family_name="Sealedchild")
    episode = EpisodeFactory(
        child=child,
        worker=social_worker,
        team=social_worker.team,
        referral_date=timezone.localdate() - dt.timedelta(days=10),
    )
    CPPlanFactory(child=child, episode=episode, start_date=timezone.localdate() - dt.timedelta(days=5))
    audit_event_record(
        actor=social_worker, action="child_update", instance=child, changes={}, child_id=child.pk
    )
    return manager, child


def test_service_manager_seals_a_record_naming_a_worker(client, social_worker, sealed_world):
    manager, child = sealed_world
    client.force_login(manager)
    page = client.get(reverse("people:child_seal", args=[child.pk])).content.decode()
    assert social_worker.display_name in page
    response = client.post(
        reverse("people:child_seal", args=[child.pk]),
        {"reason": "staff", "named_users": [str(social_worker.pk)]},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.is_sealed and child.seal_reason == "staff"
    assert set(SealedRecordAccess.objects.filter(person=child).values_list("user", flat=True)) == {
        manager.pk,
        social_worker.pk,
    }
    assert AuditEvent.objects.filter(action="child_seal", actor=manager, child_id=child.pk).exists()


def test_seal_needs_a_reason(client, sealed_world):
    manager, child = sealed_world
    client.force_login(manager)
    html = client.post(reverse("people:child_seal", args=[child.pk]), {}).content.decode()
    assert "Select why the record must be sealed" in html


def test_a_sealed_record_is_absent_for_everyone_not_named(client, make_user, social_worker, sealed_world):
    _manager, child = sealed_world
    child.is_sealed = True
    child.save()
    today = timezone.localdate()
    before_plans = {h.label: h.value for h in headline_figures(today=today, child_population=10_000)}
    for role in (Role.DIRECTOR, Role.FRONT_DOOR_PRACTITIONER, Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST):
        user = make_user(role, team=social_worker.team)
        client.force_login(user)
        home = client.get(reverse("home:home")).content.decode()
        listing = client.get(reverse("people:child_list")).content.decode()
        search = client.get(client.post(reverse("people:child_list"), {"q": "Sealedchild"})["Location"])
        assert "Hidden Sealedchild" not in home + listing + search.content.decode(), role
        assert client.get(reverse("people:child_detail", args=[child.pk])).status_code == 404
    assert before_plans["Child protection plans per 10,000"] == "0"
    assert before_plans["Referrals"] == "0"


def test_the_audit_export_of_everything_leaves_out_sealed_children(client, make_user, sealed_world):
    _manager, child = sealed_world
    child.is_sealed = True
    child.save()
    client.force_login(make_user(Role.DIRECTOR))
    today = timezone.localdate()
    params = {
        "start-day": today.day,
        "start-month": today.month,
        "start-year": today.year,
        "end-day": today.day,
        "end-month": today.month,
        "end-year": today.year,
        "format": "json",
    }
    assert str(child.pk) not in client.get(reverse("records:audit_export"), params).content.decode()


def test_a_named_user_still_finds_the_sealed_record(staff_client, social_worker, sealed_world):
    _manager, child = sealed_world
    child.is_sealed = True
    child.save()
    SealedRecordAccess.objects.create(person=child, user=social_worker)
    assert staff_client.get(reverse("people:child_detail", args=[child.pk])).status_code == 200
    assert (
        "Sealed record" in staff_client.get(reverse("people:child_detail", args=[child.pk])).content.decode()
    )
