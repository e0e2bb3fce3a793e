"""``manage.py demo_logins``: the demo accounts and their shared password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from safeguard.accounts.models import Role
from safeguard.demo.generator import DEMO_PASSWORD, demo_users


class Command(BaseCommand):
    help = "List the demo accounts (one per role) and their password. Demo mode only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            # Not an error: the command is harmless, there is just nothing to show.
            self.stdout.write("Demo logins exist only in demo mode (set DEMO_MODE=true).")
            return
        users = demo_users()
        if not users:
            self.stdout.write("There are no demo accounts yet: run `manage.py seed_demo`.")
            return
        labels = {role.value: str(role.label) for role in Role}
        rows = [(labels.get(u.role, u.role), u.email, u.get_full_name()) for u in users]
        role_width = max(len("Role"), *(len(r[0]) for r in rows))
        email_width = max(len("Email"), *(len(r[1]) for r in rows))
        self.stdout.write(f"{'Role':<{role_width}}  {'Email':<{email_width}}  Password")
        for role, email, _name in rows:
            self.stdout.write(f"{role:<{role_width}}  {email:<{email_width}}  {DEMO_PASSWORD}")
