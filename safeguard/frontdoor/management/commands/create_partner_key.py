"""Make an API key for a partner agency; the key is printed once and only its hash is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeguard.frontdoor.models import AgencyType, PartnerAgency, PartnerApiKey
from safeguard.frontdoor.services import partner_key_create, partner_key_revoke


class Command(BaseCommand):
    help = "Create (or revoke) a partner agency's API key for POST /api/v1/contacts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="The agency's name, e.g. 'Harrowmere Police'")
        parser.add_argument(
            "--type", default=AgencyType.POLICE, choices=AgencyType.values, dest="agency_type"
        )
        parser.add_argument("--email", default="", help="Where outcomes are emailed")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the key with this prefix instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["revoke"]:
            key = PartnerApiKey.objects.get(prefix=options["revoke"], agency__name=options["agency"])
            partner_key_revoke(actor=None, key=key)
            self.stdout.write(f"Revoked key {key.prefix} for {key.agency}")
            return
        agency, _ = PartnerAgency.objects.get_or_create(
            name=options["agency"],
            defaults={"agency_type": options["agency_type"], "email": options["email"]},
        )
        _key, raw = partner_key_create(actor=None, agency=agency)
        self.stdout.write(f"API key for {agency} (shown once; store it securely):\n{raw}")
