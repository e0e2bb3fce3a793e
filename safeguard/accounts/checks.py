"""Start-up checks: an instance outside demo mode will not start while it holds demo accounts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.management.base import SystemCheckError
from django.db import DatabaseError

from safeguard.accounts.demo import DEMO_ACCOUNTS
from safeguard.accounts.models import User

# Also run by safeguard.wsgi when the application loads, for servers (gunicorn) that do not
# run Django's checks themselves.
STARTUP_TAG = "safeguard_startup"


@checks.register(checks.Tags.security, STARTUP_TAG)
def demo_accounts_outside_demo_mode(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if settings.DEMO_MODE:
        return []
    try:
        count = User.objects.filter(DEMO_ACCOUNTS, is_active=True).count()
    except DatabaseError:
        return []  # not migrated yet (a new, empty database): there are no accounts to find
    if not count:
        return []
    return [
        checks.Error(
            f"The database holds {count} demo account(s), whose password is published, and DEMO_MODE is off.",
            hint="Run `manage.py remove_demo_accounts`, or set DEMO_MODE=true for a demo.",
            id="safeguard.E001",
        )
    ]


def refuse_to_start_on_failed_checks() -> None:
    """Raise, so that the server does not start, when a start-up check fails."""
    errors = [m for m in checks.run_checks(tags=[STARTUP_TAG]) if m.is_serious()]
    if errors:
        raise SystemCheckError("\n".join(str(error) for error in errors))
