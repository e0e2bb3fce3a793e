from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.audit.models import AuditEvent
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.people.models import Person
from safeguard.people.tests.factories import ChildFactory
from safeguard.records.models import DisposalDecision, LegalHold
from safeguard.records.selectors import records_due_for_disposal, retention_end

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)


def _closed_child(closed_on: dt.date, born: dt.date = dt.date(1990, 1, 1), cp: bool = False) -> Person:
    child = ChildFactory(date_of_birth=born)
    episode = EpisodeFactory(
        child=child,
        referral_date=closed_on - dt.timedelta(days=90),
        closure_date=closed_on,
        reason_for_closure="RC7",
    )
    if cp:
        CPPlanFactory(
            child=child,
            episode=episode,
            start_date=closed_on - dt.timedelta(days=80),
            end_date=closed_on - dt.timedelta(days=1),
        )
    return child


def test_retention_is_the_later_of_the_schedules():
    child = ChildFactory.build(date_of_birth=dt.date(2005, 3, 1))
    assert retention_end(child, dt.date(2008, 6, 30), had_cp_plan=False) == dt.date(2023, 6, 30)
    assert retention_end(child, dt.date(2008, 6, 30), had_cp_plan=True) == dt.date(2031, 3, 1)


def test_review_lists_only_records_past_retention_and_not_held(make_user):
    director = make_user(Role.DIRECTOR)
    old = _closed_child(dt.date(2009, 5, 1))
    recent = _closed_child(dt.date(2020, 5, 1))
    held = _closed_child(dt.date(2009, 5, 1))
    LegalHold.objects.create(person=held, reason="Inquiry")
    young_cp = _closed_child(dt.date(2009, 5, 1), born=dt.date(2005, 1, 1), cp=True)
    due = [d.person for d in records_due_for_disposal(user=director, today=TODAY)]
    assert due == [old]
    assert recent not in due and held not in due and young_cp not in due


def test_disposal_is_a_recorded_decision_that_keeps_the_audit_trail(client, make_user):
    director = make_user(Role.DIRECTOR)
    old = _closed_child(dt.date(2009, 5, 1))
    client.force_login(director)
    assert old.la_child_id in client.get(reverse("records:disposal_review")).content.decode()
    client.post(
        reverse("records:disposal_decide", args=[old.pk]), {"decision": "dispose", "reason": "Past schedule."}
    )
    assert not Person.objects.filter(pk=old.pk).exists()
    decision = DisposalDecision.objects.get()
    assert decision.la_child_id == old.la_child_id and decision.created_by == director
    assert AuditEvent.objects.filter(action="record_dispose", child_id=old.pk).exists()


def test_keeping_a_record_removes_it_from_the_review(client, make_user):
    director = make_user(Role.DIRECTOR)
    old = _closed_child(dt.date(2009, 5, 1))
    client.force_login(director)
    client.post(
        reverse("records:disposal_decide", args=[old.pk]),
        {"decision": "retain", "reason": "Sibling case open."},
    )
    assert records_due_for_disposal(user=director, today=timezone.localdate()) == []
    assert Person.objects.filter(pk=old.pk).exists()


def test_a_decision_needs_a_reason(client, make_user):
    director = make_user(Role.DIRECTOR)
    old = _closed_child(dt.date(2009, 5, 1))
    client.force_login(director)
    response = client.post(
        reverse("records:disposal_decide", args=[old.pk]), {"decision": "dispose"}, follow=True
    )
    assert "Enter the reason for your decision" in response.content.decode()
    assert Person.objects.filter(pk=old.pk).exists()


def test_a_legal_hold_is_placed_by_a_senior_manager(client, make_user, social_worker):
    child = ChildFactory()
    EpisodeFactory(child=child, worker=social_worker, team=social_worker.team)
    manager = make_user(Role.SERVICE_MANAGER, team=social_worker.team)
    client.force_login(manager)
    client.post(reverse("records:legal_hold", args=[child.pk]), {"reason": "Police investigation"})
    assert LegalHold.objects.filter(person=child).exists()
    assert AuditEvent.objects.filter(action="legal_hold_place").exists()
