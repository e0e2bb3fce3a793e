"""A deployment check that the service does not connect as a role able to erase the trail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Tags, Warning, register

from safeguard.audit.db_roles import app_role_problem


@register(Tags.database, deploy=True)
def check_app_database_role(
    app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Runs only with ``check --deploy --database default``: never during ``migrate``, which
    rightly connects as the owner."""
    problems = [(alias, app_role_problem(using=alias)) for alias in databases or []]
    return [
        Warning(
            f"The {alias} database connection could erase the audit trail: {problem}",
            hint="Connect the service as a role that owns nothing and run "
            "manage.py db_grant_app_role as the owner (docs/deployment.md)",
            id="safeguard.W001",
        )
        for alias, problem in problems
        if problem
    ]
