"""audited_create and audited_update: the record, its audit event and nothing half-saved.

Exercised on the subject access request, which has a foreign key, a choice, flags, a
timestamp and free text: every kind of column a service changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.audit import services as audit_services
from safeguard.audit.models import AuditEvent
from safeguard.audit.services import audited_create, audited_update
from safeguard.people.models import Person
from safeguard.people.tests.factories import ChildFactory
from safeguard.records.models import SubjectAccessRequest, SubjectAccessStatus

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2026, 11, 2)


def _request(
    actor, child: Person, requested_by: str = "The child's mother", **options: Any
) -> SubjectAccessRequest:
    return audited_create(
        SubjectAccessRequest,
        actor=actor,
        action="subject_access_prepare",
        values={"person": child, "requested_by": requested_by, "received_on": RECEIVED},
        child_id=child.pk,
        **options,
    )


def test_create_saves_the_record_stamped_with_the_actor_and_audits_every_value(social_worker):
    child = ChildFactory()
    made = _request(social_worker, child)
    stored = SubjectAccessRequest.objects.get(pk=made.pk)
    assert stored.requested_by == "The child's mother" and stored.received_on == RECEIVED
    assert stored.created_by == social_worker and stored.modified_by == social_worker
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.child_id) == (social_worker, "subject_access_prepare", child.pk)
    assert (event.object_type, event.object_id) == ("records.subjectaccessrequest", str(made.pk))
    # A foreign key is recorded by its key, never by the text of the record it points at.
    assert event.changes == {
        "person_id": {"before": None, "after": str(child.pk)},
        "requested_by": {"before": None, "after": "The child's mother"},
        "received_on": {"before": None, "after": "2026-11-02"},
    }


def test_create_records_only_the_fields_named_for_the_audit(social_worker):
    _request(social_worker, ChildFactory(), "A named neighbour", audit=["person_id", "received_on"])
    changes = AuditEvent.objects.get().changes
    assert set(changes) == {"person_id", "received_on"}
    assert "A named neighbour" not in str(changes)


def test_an_empty_audit_list_records_no_fields_rather_than_every_column(social_worker):
    _request(social_worker, ChildFactory(), audit=[])
    assert AuditEvent.objects.get().changes == {}


def test_create_that_fails_validation_writes_nothing(social_worker):
    with pytest.raises(ValidationError) as refused:
        _request(social_worker, ChildFactory(), "", validate=True)
    assert "requested_by" in refused.value.message_dict
    assert not SubjectAccessRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_create_for_a_system_action_has_no_actor():
    child = ChildFactory()
    made = _request(None, child)
    assert made.created_by is None and AuditEvent.objects.get().actor is None


def test_update_records_before_and_after_of_what_changed_only(social_worker):
    child = ChildFactory()
    sar = _request(social_worker, child)
    manager = UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)
    event = audited_update(
        sar,
        actor=manager,
        action="subject_access_release",
        values={
            "status": SubjectAccessStatus.RELEASED,
            "include_third_parties": True,
            "include_referral_sources": False,  # as it was: not a change
            "released_by": manager,
        },
        child_id=sar.person_id,
    )
    assert event == AuditEvent.objects.get(action="subject_access_release")
    assert event.actor == manager and event.child_id == child.pk
    assert event.changes == {
        "status": {"before": "ready", "after": "released"},
        "include_third_parties": {"before": False, "after": True},
        "released_by_id": {"before": None, "after": str(manager.pk)},
    }
    stored = SubjectAccessRequest.objects.get(pk=sar.pk)
    assert stored.status == "released" and stored.released_by == manager
    assert stored.modified_by == manager and stored.created_by == social_worker
    assert stored.modified_at > stored.created_at


def test_update_audits_only_the_named_fields_but_saves_them_all(social_worker):
    sar = _request(social_worker, ChildFactory())
    event = audited_update(
        sar,
        actor=social_worker,
        action="subject_access_release",
        values={"status": SubjectAccessStatus.RELEASED, "release_reason": "Agreed with their solicitor"},
        audit=["status"],
        child_id=sar.person_id,
    )
    assert set(event.changes) == {"status"}
    assert SubjectAccessRequest.objects.get(pk=sar.pk).release_reason == "Agreed with their solicitor"


def test_an_update_that_changes_nothing_is_still_recorded(social_worker):
    sar = _request(social_worker, ChildFactory())
    event = audited_update(
        sar,
        actor=social_worker,
        action="subject_access_note",
        values={"requested_by": sar.requested_by},
        child_id=sar.person_id,
    )
    assert event.changes == {} and AuditEvent.objects.filter(action="subject_access_note").count() == 1


def test_update_writes_only_its_columns_so_a_change_made_meanwhile_is_kept(social_worker):
    sar = _request(social_worker, ChildFactory())
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(requested_by="Corrected meanwhile")
    audited_update(
        sar,
        actor=social_worker,
        action="subject_access_release",
        values={"status": SubjectAccessStatus.RELEASED},
        child_id=sar.person_id,
    )
    stored = SubjectAccessRequest.objects.get(pk=sar.pk)
    assert (stored.status, stored.requested_by) == ("released", "Corrected meanwhile")


def test_whole_row_writes_every_column_as_save_does(social_worker):
    sar = _request(social_worker, ChildFactory())
    sar.release_reason = "Set by the caller before the change"
    audited_update(
        sar,
        actor=social_worker,
        action="subject_access_release",
        values={"status": SubjectAccessStatus.RELEASED},
        child_id=sar.person_id,
        whole_row=True,
    )
    assert SubjectAccessRequest.objects.get(pk=sar.pk).release_reason == "Set by the caller before the change"


def test_an_update_that_fails_validation_saves_nothing_and_puts_the_old_values_back(social_worker):
    sar = _request(social_worker, ChildFactory())
    manager = UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)
    with pytest.raises(ValidationError):
        audited_update(
            sar,
            actor=manager,
            action="subject_access_release",
            values={"status": "not-a-status", "released_by": manager},
            child_id=sar.person_id,
            validate=True,
        )
    assert (sar.status, sar.released_by, sar.modified_by) == ("ready", None, social_worker)
    stored = SubjectAccessRequest.objects.get(pk=sar.pk)
    assert (stored.status, stored.released_by_id) == ("ready", None)
    assert not AuditEvent.objects.filter(action="subject_access_release").exists()


def test_if_the_audit_row_cannot_be_written_the_change_is_not_saved(social_worker, monkeypatch):
    sar = _request(social_worker, ChildFactory())

    def broken(**_kwargs):
        raise RuntimeError("the audit table is unavailable")

    monkeypatch.setattr(audit_services, "audit_event_record", broken)
    with pytest.raises(RuntimeError):
        audited_update(
            sar,
            actor=social_worker,
            action="subject_access_release",
            values={"status": SubjectAccessStatus.RELEASED, "released_at": timezone.now()},
            child_id=sar.person_id,
        )
    assert SubjectAccessRequest.objects.get(pk=sar.pk).status == "ready"
    assert sar.status == "ready" and sar.released_at is None


def test_the_child_can_be_read_after_the_change_that_decides_it(social_worker):
    first, second = ChildFactory(), ChildFactory()
    sar = _request(social_worker, first)
    event = audited_update(
        sar,
        actor=social_worker,
        action="subject_access_move",
        values={"person": second},
        child_id=lambda: sar.person_id,
    )
    assert event.child_id == second.pk
    assert event.changes == {"person_id": {"before": str(first.pk), "after": str(second.pk)}}


def test_a_name_that_is_not_a_column_fails_loudly(social_worker):
    child = ChildFactory()
    sar = _request(social_worker, child)
    with pytest.raises(FieldDoesNotExist):
        audited_update(sar, actor=social_worker, action="x", values={"no_such": 1}, child_id=None)
    with pytest.raises(ValueError, match="not a column"):
        audited_update(
            Person.objects.get(pk=child.pk),
            actor=social_worker,
            action="x",
            values={},
            audit=["legal_holds"],
            child_id=None,
        )
    assert AuditEvent.objects.filter(action="x").count() == 0
