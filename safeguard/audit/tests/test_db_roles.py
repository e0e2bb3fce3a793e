"""The application's own database role cannot rewrite, erase or unprotect the audit trail."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from safeguard.audit.db_roles import append_only_tables

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="database roles and grants are PostgreSQL's (CI runs this on PostgreSQL)",
)


def test_the_audit_trail_and_access_log_are_append_only_tables():
    assert {"audit_auditevent", "audit_accesslogentry"} <= set(append_only_tables())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on SQLite")
@pytest.mark.django_db
def test_the_grant_refuses_to_run_on_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("db_grant_app_role", "safeguard_app")


def _owner(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def app_role(transactional_db) -> Iterator[str]:
    """A login role that owns nothing (local trust auth, so no password), dropped afterwards."""
    role = f"sg_app_test_{secrets.token_hex(4)}"
    _owner(f"CREATE ROLE {role} LOGIN")
    try:
        yield role
    finally:
        _owner("DROP TABLE IF EXISTS sg_later_table")
        _owner(f"DROP OWNED BY {role}")  # its grants and default privileges in this database
        _owner(f"DROP ROLE {role}")


def _connect_as(role: str) -> psycopg.Connection[tuple[object, ...]]:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        dbname=settings["NAME"],
        user=role,
        autocommit=True,
    )


REFUSED_ON_THE_TRAIL = [
    "UPDATE {t} SET object_type = 'rewritten'",
    "DELETE FROM {t}",
    "TRUNCATE {t}",
    "ALTER TABLE {t} DISABLE TRIGGER {t}_append_only",
    "ALTER TABLE {t} DISABLE TRIGGER ALL",
    "DROP TRIGGER {t}_append_only ON {t}",
    "DROP TABLE {t}",
]


@ON_POSTGRESQL
def test_the_app_role_reads_and_adds_to_the_trail_but_cannot_erase_it(app_role, social_worker):
    call_command("db_grant_app_role", app_role)
    call_command("db_grant_app_role", app_role)  # idempotent: a second run changes nothing
    with _connect_as(app_role) as app:
        app.execute(
            "INSERT INTO audit_auditevent (id, occurred_at, action, object_type, object_id, changes) "
            "VALUES (%s, now(), 'test_action', 'test.thing', '1', '{}')",
            [uuid.uuid4()],
        )
        app.execute(
            "INSERT INTO audit_accesslogentry (id, occurred_at, user_id, what, object_type, object_id, "
            "break_glass_reason) SELECT %s, now(), id, 'test_read', 'test.thing', '1', '' "
            "FROM accounts_user LIMIT 1",
            [uuid.uuid4()],
        )
        events = app.execute("SELECT count(*) FROM audit_auditevent").fetchone()
        assert events == (1,)
        assert app.execute("SELECT count(*) FROM audit_accesslogentry").fetchone() == (1,)
        for table in ("audit_auditevent", "audit_accesslogentry"):
            for statement in REFUSED_ON_THE_TRAIL:
                sql = statement.format(t=table)
                # Refused for want of privilege, before the trigger is ever consulted.
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(sql)
        assert app.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("CREATE TABLE sg_app_made (id int)")


@ON_POSTGRESQL
def test_the_app_role_reads_and_writes_ordinary_tables_including_later_ones(app_role, social_worker):
    call_command("db_grant_app_role", app_role)
    _owner("CREATE TABLE sg_later_table (id int)")  # as a later migration would, run by the owner
    with _connect_as(app_role) as app:
        app.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('sg-test-session', 'x', now())"
        )
        app.execute("UPDATE django_session SET session_data = 'y' WHERE session_key = 'sg-test-session'")
        app.execute("DELETE FROM django_session WHERE session_key = 'sg-test-session'")
        app.execute("UPDATE accounts_user SET first_name = 'Renamed' WHERE id = %s", [social_worker.pk])
        app.execute("INSERT INTO sg_later_table VALUES (1)")
        assert app.execute("SELECT count(*) FROM sg_later_table").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("TRUNCATE django_session")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("DROP TABLE sg_later_table")


@ON_POSTGRESQL
def test_the_grant_refuses_a_missing_role_a_superuser_or_a_role_that_owns_tables(app_role):
    with pytest.raises(CommandError, match="no database role called"):
        call_command("db_grant_app_role", "sg_no_such_role")
    _owner(f"CREATE TABLE sg_later_table (id int); ALTER TABLE sg_later_table OWNER TO {app_role}")
    with pytest.raises(CommandError, match="must own nothing"):
        call_command("db_grant_app_role", app_role)
    with pytest.raises(CommandError, match="superuser"):
        call_command("db_grant_app_role", connection.settings_dict["USER"])


@ON_POSTGRESQL
def test_the_deploy_check_warns_when_the_service_connects_as_a_superuser_or_owner(app_role):
    from safeguard.audit.checks import check_app_database_role

    # The tests connect as the superuser that owns the test database: exactly what production must not do.
    warnings = check_app_database_role(None, databases=["default"])
    assert [w.id for w in warnings] == ["safeguard.W001"] and "superuser" in warnings[0].msg
    assert check_app_database_role(None, databases=None) == []  # plain `check` does not touch the database


@ON_POSTGRESQL
def test_the_deploy_check_passes_for_the_service_connected_as_the_app_role(app_role):
    import os
    import subprocess
    import sys
    from pathlib import Path

    call_command("db_grant_app_role", app_role)
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    url = f"postgres://{app_role}@{host}:{port}/{settings['NAME']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--database", "default", "--tag", "database"],
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "safeguard.settings.test"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "safeguard.W001" not in result.stdout + result.stderr
