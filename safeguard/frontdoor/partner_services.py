"""Linking a partner agency user to the agency they sign in for."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.accounts.models import Role, User
from safeguard.audit.services import audit_event_record
from safeguard.frontdoor.models import PartnerAgency, PartnerMembership


def partner_membership_set(*, actor: User | None, user: User, agency: PartnerAgency) -> PartnerMembership:
    """Say which agency ``user`` signs in for (replacing any earlier one).

    Only a partner agency account can be linked: staff never see an agency's referrals
    through these pages, and a partner sees only their own agency's.
    """
    if user.role != Role.PARTNER_AGENCY:
        raise ValidationError("Only a partner agency user can be linked to a partner agency")
    with transaction.atomic():
        membership = PartnerMembership.objects.select_for_update().filter(user=user).first()
        before = membership.agency.name if membership is not None else None
        if membership is None:
            membership = PartnerMembership(user=user, agency=agency, created_by=actor)
        membership.agency = agency
        membership.modified_by = actor
        membership.save()
        user.agency_name = agency.name  # the account's own record of it, shown on admin pages
        user.save(update_fields=["agency_name"])
        audit_event_record(
            actor=actor,
            action="partner_membership_set",
            instance=membership,
            changes={"agency": {"before": before, "after": agency.name}},
        )
    return membership
