"""Trigram (pg_trgm) GIN indexes for matching contacts against people already known.

PostgreSQL only: SQLite (the embedded demo database) has no pg_trgm, and matching there
falls back to a cheaper candidate query scored in Python. The indexes are on the people
app's table because matching is the front door's need, not the people app's.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

INDEXES = (
    ("frontdoor_person_family_trgm", "family_name"),
    ("frontdoor_person_given_trgm", "given_name"),
)


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_person USING gin ({column} gin_trgm_ops)"
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("frontdoor", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
