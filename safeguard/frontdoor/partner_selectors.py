"""What a partner agency user may read: their own agency's referrals, as the referrer may be told.

A partner sees, for each contact their agency sent (by the web or the API): its reference,
when it arrived, the child's initials as the agency typed them, where it has got to, the
decision and the words the referrer feedback email uses. Never the linked child's record
(so never a sealed child's name), an address, the reasons for the decision, who is working
on it, or another agency's referrals: a contact from another agency is "not found".
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.http import Http404, HttpRequest

from safeguard.accounts.models import Role, User
from safeguard.audit.models import AccessAction, AccessKind
from safeguard.audit.services import access_log_record, access_log_record_list
from safeguard.frontdoor.models import Contact, ContactStatus, PartnerAgency, PartnerMembership
from safeguard.frontdoor.services import OUTCOME_WORDS, referrer_feedback_text

# A merged contact takes the status of the one it joined; chains are short, and this bounds them.
_MERGE_HOPS = 5


class Stage:
    RECEIVED = "Received"
    BEING_LOOKED_AT = "Being looked at"
    DECIDED = "Decided"


@dataclass(frozen=True)
class ReferralStatus:
    id: uuid.UUID
    reference: str
    received_on: dt.date
    decision_due: dt.date
    child_initials: str
    stage: str
    decision: str  # the decision's label, or "" before one is made
    outcome: str  # OUTCOME_WORDS for the decision, or ""
    feedback: list[str]  # referrer_feedback_text's paragraphs, once decided
    channel: str


def partner_agency_for(user: User) -> PartnerAgency | None:
    """The agency an active partner agency user signs in for, or None (any other user, or
    a partner account nobody has linked to an agency yet)."""
    if not user.is_active or user.role != Role.PARTNER_AGENCY:
        return None
    membership = PartnerMembership.objects.select_related("agency").filter(user=user).first()
    return membership.agency if membership is not None else None


def _initials(*names: str) -> str:
    return " ".join(name.strip()[0].upper() for name in names if name.strip())


def _stage(contact: Contact) -> str:
    if contact.status == ContactStatus.DECIDED:
        return Stage.DECIDED
    if contact.status == ContactStatus.AWAITING_AUTHORISATION or contact.assigned_to_id is not None:
        return Stage.BEING_LOOKED_AT
    return Stage.RECEIVED


def _deciding(contact: Contact) -> Contact:
    """The contact whose decision answers this one: itself, or the one it was merged into
    (the same concern reported twice is decided once)."""
    current = contact
    for _ in range(_MERGE_HOPS):
        if current.status != ContactStatus.MERGED or current.merged_into_id is None:
            break
        current = Contact.objects.only(*_FIELDS).get(pk=current.merged_into_id)
    return current


def _status(contact: Contact) -> ReferralStatus:
    deciding = _deciding(contact)
    stage = _stage(deciding)
    decided = stage == Stage.DECIDED and bool(deciding.decision)
    feedback = (
        [part.strip() for part in referrer_feedback_text(deciding).split("\n\n") if part.strip()]
        if decided
        else []
    )
    if decided and deciding.pk != contact.pk:
        # The feedback quotes the contact's reference: the agency's own, not the other one.
        feedback = [p.replace(deciding.reference, contact.reference) for p in feedback]
    return ReferralStatus(
        id=contact.pk,
        reference=contact.reference,
        received_on=contact.received_on,
        decision_due=deciding.decision_due,
        child_initials=_initials(contact.child_given_name, contact.child_family_name),
        stage=stage,
        decision=deciding.get_decision_display() if decided else "",
        outcome=OUTCOME_WORDS.get(deciding.decision, "") if decided else "",
        feedback=feedback,
        channel=contact.get_channel_display(),
    )


_FIELDS = (
    "id",
    "reference",
    "received_on",
    "received_at",
    "decision_due",
    "channel",
    "child_given_name",
    "child_family_name",
    "status",
    "decision",
    "assigned_to",
    "merged_into",
    "agency",
)


def partner_referral_list(
    *, user: User, agency: PartnerAgency, request: HttpRequest | None = None, limit: int = 200
) -> list[ReferralStatus]:
    """The agency's referrals, newest first (the most recent ``limit``)."""
    contacts = list(Contact.objects.filter(agency=agency).only(*_FIELDS).order_by("-received_at")[:limit])
    access_log_record_list(
        user=user,
        what=AccessKind.CONTACT,
        model=Contact,
        detail=f"Partner agency's referrals ({len(contacts)})",
        request=request,
    )
    return [_status(contact) for contact in contacts]


def partner_referral_get(
    *, user: User, agency: PartnerAgency, contact_id: uuid.UUID, request: HttpRequest | None = None
) -> ReferralStatus:
    """One of the agency's referrals; any other key is 404, as if it did not exist."""
    contact = Contact.objects.filter(pk=contact_id, agency=agency).only(*_FIELDS).first()
    if contact is None:
        raise Http404("No referral with that key from your organisation")
    access_log_record(
        user=user,
        what=AccessKind.CONTACT,
        instance=contact,
        request=request,
        action=AccessAction.VIEW,
        detail="Partner agency's referral status",
    )
    return _status(contact)
