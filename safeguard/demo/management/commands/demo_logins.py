"""``manage.py demo_logins``: the demo accounts, their shared password, and what is
waiting for each of them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from safeguard.demo.generator import DEMO_PASSWORD, demo_users
from safeguard.demo.logins import demo_logins


class Command(BaseCommand):
    help = (
        "List the demo accounts (one per role, and a second where access differs), their "
        "password and what is waiting for each. Demo mode only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            # Not an error: the command is harmless, there is just nothing to show.
            self.stdout.write("Demo logins exist only in demo mode (set DEMO_MODE=true).")
            return
        users = demo_users()
        if not users:
            self.stdout.write("There are no demo accounts yet: run `manage.py seed_demo`.")
            return
        rows = [("Role", "Email", "Team", "Waiting")]
        rows += [(r.role, r.email, r.team, r.waiting) for r in demo_logins(users, timezone.localdate())]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write(f"Every demo account signs in with the password {DEMO_PASSWORD}")
        self.stdout.write("")
        for role, email, team, waiting in rows:
            self.stdout.write(
                f"{role:<{widths[0]}}  {email:<{widths[1]}}  {team:<{widths[2]}}  {waiting}".rstrip()
            )
