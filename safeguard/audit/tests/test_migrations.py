"""Migrations of the append-only audit tables. Run on PostgreSQL too, where a trigger
refuses UPDATE: a migration that rewrote existing rows would fail there."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safeguard.audit.models import AccessLogEntry

BEFORE = [("audit", "0002_append_only_trigger")]


def _migrate(targets=None):
    """Migrate to ``targets``, or (by default) forward to the latest of every app."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_action_column_read_as_views(social_worker):
    old_apps = _migrate(BEFORE)
    try:
        child_id = uuid.uuid4()
        old_apps.get_model("audit", "AccessLogEntry").objects.create(
            user_id=social_worker.pk,
            what="child_record",
            object_type="people.person",
            object_id=str(child_id),
            child_id=child_id,
        )
    finally:
        _migrate()
    entry = AccessLogEntry.objects.get(child_id=child_id)
    assert (entry.what, entry.action, entry.detail) == ("child_record", "view", "")
    assert entry.what_label == "Child's record" and entry.action_label == "Viewed"


def test_kinds_no_longer_listed_still_read_in_words():
    entry = AccessLogEntry(what="assessment_pdf", action="view")
    assert entry.what_label == "assessment pdf"
