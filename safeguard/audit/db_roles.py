"""Grants for the application's own PostgreSQL role, which owns nothing (ADR 7).

Whoever owns a table may disable or drop its triggers, truncate it or drop it, so the
append-only trigger only protects the trail from a role that does not own the tables.
Migrations run as the owner; the running application connects as a role that may read
and write the ordinary tables and only read and add to the append-only ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from safeguard.audit.models import AppendOnlyModel

ORDINARY_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY_PRIVILEGES = "SELECT, INSERT"
# Migration history is the owner's to write; the application only reads it.
READ_ONLY_TABLES = ("django_migrations",)


class GrantRefused(Exception):
    """The grant would not leave the application role safely separated from the owner."""


@dataclass(frozen=True)
class GrantSummary:
    schema: str
    owner: str
    ordinary_tables: int
    append_only_tables: tuple[str, ...]
    read_only_tables: tuple[str, ...]
    may_create_in_schema: bool


def append_only_tables() -> tuple[str, ...]:
    """Every table whose model refuses updates and deletes: the audit trail and any table
    added later on the same base class, so a new one is covered without editing this list."""
    return tuple(sorted(m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnlyModel)))


def _one(connection: BaseDatabaseWrapper, query: str, params: list[str]) -> object:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return None if row is None else row[0]


def _unfit(connection: BaseDatabaseWrapper, role: str, schema: str) -> str | None:
    """Why ``role`` could erase the audit trail whatever it is granted, or None."""
    superuser = _one(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
    if superuser is None:
        return f"There is no database role called {role}: create it first (see docs/deployment.md)"
    if superuser:
        return f"{role} is a superuser, which no grant can restrict: use a role that is not"
    owned = _one(
        connection,
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND pg_get_userbyid(c.relowner) = %s",
        [schema, role],
    )
    if owned:
        return (
            f"{role} owns {owned} tables or sequences in {schema}: the application role must own "
            "nothing, so run migrate as the owner role and reassign them (REASSIGN OWNED BY)"
        )
    return None


def app_role_problem(*, using: str = "default") -> str | None:
    """Why the role this connection uses is unfit to run the application, or None.

    For ``manage.py check --deploy --database default`` run with the service's own URL.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    role = str(_one(connection, "SELECT current_user", []))
    return _unfit(connection, role, str(_one(connection, "SELECT current_schema()", [])))


def db_grant_app_role(*, role: str, using: str = "default") -> GrantSummary:
    """Grant ``role`` what the running application needs, and no more; safe to run again.

    Run by the owner after every ``migrate``: default privileges cover tables that later
    migrations create, but only this grant narrows a new append-only table to read and add.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise GrantRefused("Database roles are PostgreSQL's: SQLite has no roles to grant to")
    schema = str(_one(connection, "SELECT current_schema()", []))
    unfit = _unfit(connection, role, schema)
    if unfit:
        raise GrantRefused(unfit)
    if role == _one(connection, "SELECT current_user", []):
        raise GrantRefused(f"{role} is the role running this command: the application needs a second role")
    quote = connection.ops.quote_name
    app, ns = quote(role), quote(schema)
    append_only = append_only_tables()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema]
        )
        tables = dict(cursor.fetchall())
        missing = [t for t in append_only if t not in tables]
        if missing:
            raise GrantRefused(f"Run migrate first: {', '.join(missing)} not found in {schema}")
        owner = tables[append_only[0]]
        cursor.execute(f"GRANT CONNECT ON DATABASE {quote(connection.settings_dict['NAME'])} TO {app}")
        cursor.execute(f"GRANT USAGE ON SCHEMA {ns} TO {app}")
        cursor.execute(f"REVOKE CREATE ON SCHEMA {ns} FROM {app}")
        # Start from nothing on every table so a second run also takes back anything
        # granted by hand since, then give each kind of table its own privileges.
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {ns} FROM {app}")
        cursor.execute(f"GRANT {ORDINARY_PRIVILEGES} ON ALL TABLES IN SCHEMA {ns} TO {app}")
        read_only = [t for t in READ_ONLY_TABLES if t in tables]
        narrowed = [*append_only, *read_only]
        cursor.execute(f"REVOKE UPDATE, DELETE ON {', '.join(map(quote, narrowed))} FROM {app}")
        if read_only:
            cursor.execute(f"REVOKE INSERT ON {', '.join(map(quote, read_only))} FROM {app}")
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {ns} TO {app}")
        for privileges, kind in ((ORDINARY_PRIVILEGES, "TABLES"), ("USAGE", "SEQUENCES")):
            cursor.execute(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote(owner)} IN SCHEMA {ns} "
                f"GRANT {privileges} ON {kind} TO {app}"
            )
    may_create = bool(_one(connection, "SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema]))
    return GrantSummary(
        schema=schema,
        owner=owner,
        ordinary_tables=len(tables) - len(narrowed),
        append_only_tables=append_only,
        read_only_tables=tuple(read_only),
        may_create_in_schema=may_create,
    )
