"""Every write at the front door: acting user, transaction, audit event, side effects on commit.

Public reports have no acting user (``actor=None``): the audit event records the system
as the writer, and the contact's channel says where it came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.accounts.models import RECEIVING_TEAM_KINDS, Team, User
from safeguard.audit.services import audit_event_record, audited_create, audited_update
from safeguard.casework.models import CINEpisode
from safeguard.casework.selectors import is_with_front_door
from safeguard.casework.services.enquiries import strategy_discussion_request
from safeguard.casework.services.episodes import episode_open, episode_send_to_team
from safeguard.core.codes import PrimaryNeed, ReferralSource
from safeguard.design_system.formatting import govuk_date
from safeguard.frontdoor import config
from safeguard.frontdoor.clock import decision_due
from safeguard.frontdoor.models import (
    AgencyType,
    Channel,
    Contact,
    ContactStatus,
    Danger,
    Decision,
    PartnerAgency,
    PartnerApiKey,
    PartnerInformation,
    Referrer,
    ReporterType,
)
from safeguard.frontdoor.permissions import is_front_door, is_front_door_manager
from safeguard.people.models import Person
from safeguard.people.services import child_create

# No 0/O, 1/I/L: a reference read over the phone is never misheard. Random, not sequential,
# so a reference reveals nothing about how many contacts the council receives.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
_REFERENCE_ATTEMPTS = 5
_AUDITED_FIELDS = ["reference", "channel", "reporter_type", "referral_source", "danger", "status"]

AGENCY_SOURCES: dict[str, str] = {
    AgencyType.POLICE: ReferralSource.POLICE,
    AgencyType.SCHOOL: ReferralSource.SCHOOLS,
    AgencyType.EDUCATION: ReferralSource.EDUCATION_SERVICES,
    AgencyType.GP: ReferralSource.GP,
    AgencyType.HEALTH_VISITING: ReferralSource.HEALTH_VISITOR,
    AgencyType.SCHOOL_NURSING: ReferralSource.SCHOOL_NURSE,
    AgencyType.HOSPITAL: ReferralSource.A_AND_E,
    AgencyType.HEALTH_OTHER: ReferralSource.HEALTH_OTHER,
    AgencyType.HOUSING: ReferralSource.HOUSING,
    AgencyType.PROBATION: ReferralSource.LEGAL_AGENCY,
    AgencyType.OTHER_LA: ReferralSource.LA_EXTERNAL,
    AgencyType.VOLUNTARY: ReferralSource.OTHER,
}


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def referral_source_for(*, reporter_type: str, anonymous: bool, agency_type: str = "") -> str:
    """The census ReferralSource code from who reported and, for professionals, their agency."""
    if reporter_type in (ReporterType.PROFESSIONAL, ReporterType.AGENCY):
        return AGENCY_SOURCES.get(agency_type, ReferralSource.OTHER)
    if reporter_type == ReporterType.SELF:
        return ReferralSource.SELF  # a child telling us about themselves, named or not
    if anonymous:
        return ReferralSource.ANONYMOUS
    individual: dict[str, str] = {
        ReporterType.FAMILY: ReferralSource.FAMILY,
        ReporterType.PUBLIC: ReferralSource.INDIVIDUAL_OTHER,
    }
    return individual.get(reporter_type, ReferralSource.UNKNOWN)


@dataclass
class ContactDetails:
    """What a report says, from whichever door it came in by (form, API, phone)."""

    reporter_type: str
    concern: str
    danger: str = Danger.UNKNOWN
    concern_when: str = ""
    child: dict[str, Any] = field(default_factory=dict)
    adults: str = ""
    professional: dict[str, Any] = field(default_factory=dict)
    referrer: dict[str, Any] = field(default_factory=dict)
    agency_type: str = ""


_CHILD_KEYS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "expected_date_of_birth",
    "age_text",
    "nhs_number",
    "address",
    "postcode",
    "school",
)
_PROFESSIONAL_KEYS = ("agency_reference", "consent", "consent_reason", "threshold_level", "support_given")


def contact_create(
    *,
    actor: User | None,
    details: ContactDetails,
    channel: str = Channel.ONLINE,
    agency: PartnerAgency | None = None,
    received_at: dt.datetime | None = None,
) -> Contact:
    """Record a contact and start its one-working-day decision clock."""
    received_at = received_at or timezone.now()
    received_on = timezone.localdate(received_at)
    referrer_fields = {k: v for k, v in details.referrer.items() if v not in (None, "")}
    anonymous = details.reporter_type not in (ReporterType.PROFESSIONAL, ReporterType.AGENCY) and not (
        referrer_fields.get("name") or referrer_fields.get("email") or referrer_fields.get("phone")
    )
    child_fields = {
        f"child_{k}": details.child[k] for k in _CHILD_KEYS if details.child.get(k) not in (None,)
    }
    professional = {k: details.professional[k] for k in _PROFESSIONAL_KEYS if k in details.professional}
    for attempt in range(_REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                contact = audited_create(
                    Contact,
                    actor=actor,
                    action="contact_create",
                    values={
                        "reference": new_reference(),
                        "received_at": received_at,
                        "received_on": received_on,
                        "decision_due": decision_due(received_on),
                        "channel": channel,
                        "reporter_type": details.reporter_type,
                        "referral_source": referral_source_for(
                            reporter_type=details.reporter_type,
                            anonymous=anonymous,
                            agency_type=agency.agency_type if agency else details.agency_type,
                        ),
                        "danger": details.danger,
                        "immediate_danger": details.danger == Danger.YES,
                        "concern": details.concern,
                        "concern_when": details.concern_when,
                        "other_children": str(details.child.get("other_children", "")),
                        "adults": details.adults,
                        "risk_factors": list(details.professional.get("risk_factors", [])),
                        "agency": agency,
                        **child_fields,
                        **professional,
                    },
                    # Not the concern or the names: the trail must not copy what a referrer said.
                    audit=_AUDITED_FIELDS,
                    child_id=None,
                )
                Referrer.objects.create(contact=contact, anonymous=anonymous, **referrer_fields)
                return contact
        except IntegrityError:
            if attempt == _REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _change(actor: User, contact: Contact, action: str, **values: Any) -> Contact:
    # The whole row, as before: a caller may have set other attributes on the contact. The
    # child is read after the change, so linking a child files the event under that child.
    audited_update(
        contact, actor=actor, action=action, values=values, child_id=lambda: contact.child_id, whole_row=True
    )
    return contact


def _require_front_door(actor: User) -> None:
    if not is_front_door(actor):
        raise PermissionError("Only front door staff can triage contacts")


def _require_open(contact: Contact) -> None:
    if not contact.is_open:
        raise ValidationError("This contact already has a decision")


def contact_assign(*, actor: User, contact: Contact, assignee: User | None) -> Contact:
    _require_front_door(actor)
    if assignee is not None and not is_front_door(assignee):
        raise ValidationError("Contacts can only be assigned to front door staff")
    with transaction.atomic():
        return _change(actor, contact, "contact_assign", assigned_to=assignee)


def contact_link_child(*, actor: User, contact: Contact, child: Person) -> Contact:
    """Say which known child this contact is about (after matching)."""
    _require_front_door(actor)
    _require_open(contact)
    if not child.is_child_record:
        raise ValidationError("Link the contact to a child's record")
    with transaction.atomic():
        return _change(actor, contact, "contact_link_child", child=child)


def contact_child_create(*, actor: User, contact: Contact) -> Contact:
    """A child nobody knows yet: create their record from what the contact says."""
    _require_front_door(actor)
    _require_open(contact)
    if not (contact.child_given_name and contact.child_family_name):
        raise ValidationError("The contact needs the child's first and last name to create a record")
    if contact.child_date_of_birth is None and contact.child_expected_date_of_birth is None:
        raise ValidationError("The contact needs the child's date of birth or expected date of birth")
    with transaction.atomic():
        child = child_create(
            actor=actor,
            given_name=contact.child_given_name,
            family_name=contact.child_family_name,
            date_of_birth=contact.child_date_of_birth,
            expected_date_of_birth=(
                None if contact.child_date_of_birth else contact.child_expected_date_of_birth
            ),
            sex="U",
            nhs_number=contact.child_nhs_number,
        )
        return _change(actor, contact, "contact_link_child", child=child)


def contact_merge(*, actor: User, contact: Contact, into: Contact) -> Contact:
    """A duplicate contact (the same concern reported twice) joins the first one."""
    _require_front_door(actor)
    _require_open(contact)
    if into.pk == contact.pk or not into.is_open:
        raise ValidationError("Choose another open contact to merge into")
    with transaction.atomic():
        return _change(actor, contact, "contact_merge", merged_into=into, status=ContactStatus.MERGED)


def partner_information_add(
    *,
    actor: User,
    contact: Contact,
    agency: str,
    given_by: str,
    received_on: dt.date,
    information: str,
    consent_basis: str,
) -> PartnerInformation:
    _require_front_door(actor)
    with transaction.atomic():
        return audited_create(
            PartnerInformation,
            actor=actor,
            action="partner_information_add",
            values={
                "contact": contact,
                "agency": agency,
                "given_by": given_by,
                "received_on": received_on,
                "information": information,
                "consent_basis": consent_basis,
            },
            audit=["contact", "agency", "received_on", "consent_basis"],
            child_id=contact.child_id,
        )


def _lock_in_status(contact: Contact, status: str) -> None:
    """Lock the contact's row and check it is still in ``status``: two people deciding at
    once (or a double click) make one decision and open at most one episode."""
    current = Contact.objects.select_for_update().values_list("status", flat=True).get(pk=contact.pk)
    if current != status:
        raise ValidationError(
            "This contact already has a decision"
            if status == ContactStatus.NEW
            else "This decision is not waiting for authorisation"
        )


REFERRING_DECISIONS = frozenset({Decision.REFERRAL, Decision.STRATEGY})


def _check_receiving_team(decision: str, team: Team | None) -> Team | None:
    if decision not in REFERRING_DECISIONS:
        return None  # only a referral goes to a team
    if team is not None and team.kind not in RECEIVING_TEAM_KINDS:
        raise ValidationError("Choose a team that assesses children and holds their cases")
    return team


def _decision_late_check(contact: Contact, on: dt.date, late_reason: str) -> None:
    if on > contact.decision_due and not late_reason.strip():
        raise ValidationError(
            f"Give the reason the decision is late: it was due on {govuk_date(contact.decision_due)}"
        )


def contact_decide(
    *,
    actor: User,
    contact: Contact,
    decision: str,
    reason: str,
    late_reason: str = "",
    receiving_team: Team | None = None,
) -> Contact:
    """Record the front door decision. Decisions the council's policy reserves for a manager
    wait for one; the rest take effect now. A decision made after its 1-working-day due date
    needs the practitioner's reason. A referral names the team that will receive it
    (without one, the episode stays with the front door until someone sends it)."""
    _require_front_door(actor)
    _require_open(contact)
    if not reason.strip():
        raise ValidationError("Enter the reason for the decision")
    _decision_late_check(contact, timezone.localdate(), late_reason)
    if decision in REFERRING_DECISIONS and contact.child_id is None:
        raise ValidationError("Link the contact to a child before referring")
    receiving_team = _check_receiving_team(decision, receiving_team)
    needs_manager = decision in config.decisions_needing_authorisation() and not is_front_door_manager(actor)
    with transaction.atomic():
        _lock_in_status(contact, ContactStatus.NEW)
        _change(
            actor,
            contact,
            "contact_decide",
            decision=decision,
            decision_reason=reason,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_late_reason=late_reason.strip(),
            receiving_team=receiving_team,
            status=ContactStatus.AWAITING_AUTHORISATION if needs_manager else contact.status,
        )
        if not needs_manager:
            _finalise(actor, contact)
    return contact


def contact_authorise(
    *,
    actor: User,
    contact: Contact,
    approve: bool,
    note: str = "",
    late_reason: str = "",
    receiving_team: Team | None = None,
) -> Contact:
    """A front door manager agrees the decision, or sends it back to be decided again.

    Authorising after the due date needs the manager's reason, unless the practitioner's
    decision was already late and gave one (the manager may add theirs). The manager may
    send a referral to a different team from the one proposed.
    """
    if not is_front_door_manager(actor):
        raise PermissionError("Only a front door manager can authorise a decision")
    if approve and not contact.decision_late_reason:
        _decision_late_check(contact, timezone.localdate(), late_reason)
    with transaction.atomic():
        _lock_in_status(contact, ContactStatus.AWAITING_AUTHORISATION)
        if not approve:
            return _change(
                actor,
                contact,
                "contact_decision_returned",
                status=ContactStatus.NEW,
                decision="",
                receiving_team=None,
                decision_reason=f"{contact.decision_reason}\n\nReturned by a manager: {note}".strip(),
                # The next decision is timed (and explained, if late) afresh.
                decision_late_reason="",
            )
        if late_reason.strip():
            reasons = [contact.decision_late_reason, f"Manager: {late_reason.strip()}"]
            _change(
                actor,
                contact,
                "contact_decision_late_reason",
                decision_late_reason="\n\n".join(r for r in reasons if r),
            )
        chosen = _check_receiving_team(contact.decision, receiving_team)
        if chosen is not None and chosen.pk != contact.receiving_team_id:
            _change(actor, contact, "contact_receiving_team_change", receiving_team=chosen)
        _finalise(actor, contact)
    return contact


def _finalise(actor: User, contact: Contact) -> None:
    episode: CINEpisode | None = None
    if contact.decision in (Decision.REFERRAL, Decision.STRATEGY):
        assert contact.child is not None
        episode = CINEpisode.objects.filter(child=contact.child, closure_date__isnull=True).first()
        if episode is None:
            episode = episode_open(
                actor=actor,
                child=contact.child,
                referral_date=contact.received_on,
                referral_source=contact.referral_source,
                primary_need=PrimaryNeed.N1 if contact.decision == Decision.STRATEGY else PrimaryNeed.N0,
                team=actor.team,
            )
        receiving = contact.receiving_team
        # A child whose case a team already holds stays with that team: the new referral is
        # part of its work. One still with the front door goes on to the team chosen.
        if (
            receiving is not None
            and episode.worker_id is None
            and episode.team_id != receiving.pk
            and is_with_front_door(actor, episode)
        ):
            episode_send_to_team(actor=actor, episode=episode, team=receiving, reason=contact.decision_reason)
        if contact.decision == Decision.STRATEGY:
            # Times the front door decision to the strategy discussion (casework clock).
            strategy_discussion_request(actor=actor, episode=episode, decided_on=timezone.localdate())
    _change(
        actor,
        contact,
        "contact_decision_final",
        status=ContactStatus.DECIDED,
        episode=episode,
        authorised_by=actor,
        authorised_at=timezone.now(),
    )
    # imported here to break the cycle frontdoor.services -> frontdoor.jobs -> frontdoor.services
    from safeguard.frontdoor import jobs

    contact_id = str(contact.pk)
    transaction.on_commit(lambda: jobs.referrer_feedback_send.enqueue(contact_id=contact_id))


def referrer_release(*, actor: User, contact: Contact, reason: str) -> Referrer:
    """A manager's recorded decision to release the referrer's identity beyond the front door."""
    if not is_front_door_manager(actor):
        raise PermissionError("Only a front door manager can release referrer details")
    if not reason.strip():
        raise ValidationError("Enter the reason for releasing the referrer's details")
    referrer = contact.referrer
    audited_update(
        referrer,
        actor=actor,
        action="referrer_release",
        values={"released_by": actor, "released_at": timezone.now(), "release_reason": reason},
        audit=["released_at", "release_reason"],
        child_id=contact.child_id,
        whole_row=True,
    )
    return referrer


# -- feedback to the referrer ------------------------------------------------------------

OUTCOME_WORDS: dict[str, str] = {
    Decision.NFA: "We have decided that no further action is needed from children's social care.",
    Decision.ADVICE: "We have given information and advice.",
    Decision.EARLY_HELP: "We have offered the family support from our early help service.",
    Decision.REFERRAL: "We have accepted this as a referral to children's social care for an assessment.",
    Decision.STRATEGY: "We are taking urgent action with our partners to keep the child safe.",
}


def referrer_feedback_text(contact: Contact) -> str:
    """The outcome in plain words, without confidential detail: no names, no reasons."""
    return (
        f"Your reference: {contact.reference}\n\n"
        f"Thank you for telling us about your concern. {OUTCOME_WORDS[contact.decision]}\n\n"
        "We cannot share more detail, to protect the family's privacy. "
        "If you are still worried about the child, contact us again and quote your reference. "
        "If a child is in immediate danger, call 999.\n"
    )


def _feedback_address(contact: Contact) -> str:
    if contact.reporter_type not in (ReporterType.PROFESSIONAL, ReporterType.AGENCY):
        return ""  # members of the public are not told outcomes; anonymous ones cannot be
    referrer = Referrer.objects.filter(contact=contact).first()
    if referrer is not None and referrer.email:
        return referrer.email
    return contact.agency.email if contact.agency else ""


def referrer_feedback_send(*, contact_id: Any) -> bool:
    """Tell a professional referrer the outcome (after the decision is committed)."""
    contact = Contact.objects.select_related("agency").get(pk=contact_id)
    address = _feedback_address(contact)
    if not address or contact.referrer_told_at is not None:
        return False
    send_mail(
        subject=f"Your referral {contact.reference}: outcome",
        message=referrer_feedback_text(contact),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[address],
    )
    Contact.objects.filter(pk=contact.pk).update(referrer_told_at=timezone.now())
    return True


# -- partner API keys -----------------------------------------------------------------


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def partner_key_create(*, actor: User | None, agency: PartnerAgency) -> tuple[PartnerApiKey, str]:
    """A new key for ``agency``: returns the key row and the raw key, shown once, never stored."""
    prefix = secrets.token_hex(4)
    raw = f"sg_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = PartnerApiKey.objects.create(
            agency=agency, prefix=prefix, key_hash=hash_key(raw), created_by=actor
        )
        audit_event_record(
            actor=actor, action="partner_key_create", instance=key, changes={"agency": {"after": agency.name}}
        )
    return key, raw


def partner_key_revoke(*, actor: User | None, key: PartnerApiKey) -> PartnerApiKey:
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.modified_by = actor
        key.save()
        audit_event_record(
            actor=actor, action="partner_key_revoke", instance=key, changes={"revoked": {"after": True}}
        )
    return key
