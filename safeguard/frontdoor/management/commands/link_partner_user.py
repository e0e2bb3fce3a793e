"""Link a partner agency user's account to the agency they sign in for."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.accounts.models import User
from safeguard.frontdoor.models import AgencyType, PartnerAgency
from safeguard.frontdoor.partner_services import partner_membership_set


class Command(BaseCommand):
    help = (
        "Link a partner agency user (by email) to a partner agency, so they can refer and see its referrals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The partner user's sign-in email")
        parser.add_argument("--agency", required=True, help="The agency's name, e.g. 'Harrowmere Police'")
        parser.add_argument(
            "--type",
            default=AgencyType.SCHOOL,
            choices=AgencyType.values,
            dest="agency_type",
            help="The agency's type, if it is new",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account with the email {options['email']}")
        agency, _ = PartnerAgency.objects.get_or_create(
            name=options["agency"], defaults={"agency_type": options["agency_type"]}
        )
        try:
            partner_membership_set(actor=None, user=user, agency=agency)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        self.stdout.write(f"{user.email} now signs in for {agency}")
