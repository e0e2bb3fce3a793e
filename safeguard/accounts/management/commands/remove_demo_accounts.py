"""``manage.py remove_demo_accounts``: before an instance leaves demo mode.

It runs without Django's system checks, because the check it satisfies
(``safeguard.E001``) stops every other command while demo accounts remain.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeguard.accounts.services import demo_accounts_remove


class Command(BaseCommand):
    help = (
        "Delete the demo accounts (audited); any that records still refer to are disabled for good instead."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        deleted, disabled = demo_accounts_remove(actor=None)
        if not deleted and not disabled:
            self.stdout.write("There are no demo accounts.")
            return
        self.stdout.write(f"Deleted {len(deleted)} demo account(s).")
        if disabled:
            self.stdout.write(
                f"Disabled {len(disabled)} demo account(s) that records still refer to: "
                + ", ".join(disabled)
            )
