"""``manage.py reset_security_codes EMAIL --reason TEXT``: for a member of staff who has lost
the phone with their authenticator and their recovery codes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.accounts.models import User
from safeguard.accounts.services import mfa_reset


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator and recovery codes (audited); they set up a new "
        "authenticator after their password at the next sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the user's email address (their sign-in name)")
        parser.add_argument("--reason", required=True, help="why, and who asked: kept in the audit trail")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"There is no account with the email address {options['email']}")
        if not options["reason"].strip():
            raise CommandError("Give the reason for resetting the security codes")
        removed = mfa_reset(actor=None, user=user, reason=options["reason"])
        self.stdout.write(
            f"Removed {len(removed)} security code device(s) for {user.username}; "
            "they will set up a new authenticator at their next sign-in."
        )
