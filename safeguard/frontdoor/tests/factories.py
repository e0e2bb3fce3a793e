from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.frontdoor.models import Contact, ReporterType
from safeguard.frontdoor.services import ContactDetails, contact_create


def make_contact(
    *,
    reporter_type: str = ReporterType.PUBLIC,
    danger: str = "no",
    received_at: dt.datetime | None = None,
    referrer: dict[str, str] | None = None,
    **child: object,
) -> Contact:
    """A contact as the public journey would record it."""
    child = {"given_name": "Amira", "family_name": "Hughes", "date_of_birth": dt.date(2016, 5, 14), **child}
    return contact_create(
        actor=None,
        details=ContactDetails(
            reporter_type=reporter_type,
            danger=danger,
            concern="Shouting and crying heard every night.",
            child=child,
            referrer=referrer or {},
            agency_type="school" if reporter_type == ReporterType.PROFESSIONAL else "",
        ),
        received_at=received_at or timezone.now(),
    )
