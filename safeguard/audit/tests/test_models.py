from __future__ import annotations

import pytest
from django.db import connection, transaction

from safeguard.audit.models import AccessLogEntry, AppendOnlyError, AuditEvent
from safeguard.audit.services import audit_event_record, diff

pytestmark = pytest.mark.django_db


def _event(user):
    return audit_event_record(actor=user, action="test_action", instance=user, changes={"a": 1})


def test_events_cannot_be_changed_or_deleted(social_worker):
    event = _event(social_worker)
    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AuditEvent.objects.get().action == "test_action"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_updates_on_postgresql(social_worker):
    event = _event(social_worker)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_diff_keeps_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": {"before": 2, "after": 3}}
