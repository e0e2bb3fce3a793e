"""Give the application's database role what it needs and no more (ADR 7, docs/deployment.md).

Run as the owner role, after every ``migrate``:
``DATABASE_URL=<owner's URL> manage.py migrate && manage.py db_grant_app_role safeguard_app``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.audit.db_roles import GrantRefused, db_grant_app_role


class Command(BaseCommand):
    help = (
        "Grant the application's PostgreSQL role read and write on ordinary tables and only "
        "read and insert on the audit trail. Run as the owner after every migrate; safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The role the application connects as, e.g. safeguard_app")
        parser.add_argument("--database", default="default", help="The connection to grant on")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = db_grant_app_role(role=options["role"], using=options["database"])
        except GrantRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"{options['role']} may read and write {summary.ordinary_tables} tables in {summary.schema}, "
            f"read and add to {', '.join(summary.append_only_tables)}, and read "
            f"{', '.join(summary.read_only_tables) or 'nothing else'}. "
            f"Tables {summary.owner} creates later get the same read and write: run this again after migrate."
        )
        if summary.may_create_in_schema:
            self.stderr.write(
                f"Warning: {options['role']} may still create tables in {summary.schema} (granted to "
                f"PUBLIC before PostgreSQL 15). As the schema's owner, run "
                f"REVOKE CREATE ON SCHEMA {summary.schema} FROM PUBLIC."
            )
