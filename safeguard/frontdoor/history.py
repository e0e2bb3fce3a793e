"""The front door's part of a child's history: the contacts about them (people.history)."""

from __future__ import annotations

from django.urls import reverse

from safeguard.accounts.models import User
from safeguard.frontdoor.models import ContactStatus
from safeguard.frontdoor.selectors import contacts_for
from safeguard.people.history import HistoryEntry, HistoryKind
from safeguard.people.models import Person

CONTACTS_SHOWN = 100


def contact_history(user: User, child: Person) -> list[HistoryEntry]:
    """Contacts linked to the child that the user may see, each linked to its page (every
    contact ``contacts_for`` returns is one the user may open)."""
    contacts = (
        contacts_for(user)
        .filter(child=child)
        .select_related("merged_into")
        .order_by("-received_on", "-received_at")[:CONTACTS_SHOWN]
    )
    return [
        HistoryEntry(
            kind=HistoryKind.CONTACT,
            date=contact.received_on,
            label=contact.reference,
            url=reverse("frontdoor:contact_detail", args=[contact.pk]),
            is_open=contact.is_open,
            outcome=(
                f"Merged into {contact.merged_into.reference}"
                if contact.status == ContactStatus.MERGED and contact.merged_into
                else contact.get_decision_display() or contact.get_status_display()
            ),
            key=str(contact.pk),
        )
        for contact in contacts
    ]
