"""Contacts at the front door (SSD table ``contacts``) and the partner agencies' API keys.

A contact is any concern about a child that reaches the council. Its decision is due one
working day after it is received (Working Together 2023, ch.3; timescales.md row 1); the
due date is stored when the contact arrives, so the queue and the returns compare dates.

Who raised the concern (``Referrer``) is a separate record: front door staff see it, and
nobody else does unless a manager records a decision to release it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.core.codes import ReferralSource
from safeguard.core.models import BaseModel
from safeguard.frontdoor.clock import DecisionTiming, decision_timing
from safeguard.people.models import Person


class ReporterType(models.TextChoices):
    PUBLIC = "public", "Member of the public"
    FAMILY = "family", "Family member"
    SELF = "self", "The child or young person"
    PROFESSIONAL = "professional", "Professional"
    AGENCY = "agency", "Partner agency (API)"


class Channel(models.TextChoices):
    ONLINE = "online", "Online form"
    API = "api", "Partner agency API"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"


class Danger(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "I do not know"


class ContactStatus(models.TextChoices):
    NEW = "new", "Waiting for a decision"
    AWAITING_AUTHORISATION = "awaiting_authorisation", "Waiting for a manager"
    DECIDED = "decided", "Decided"
    MERGED = "merged", "Merged into another contact"


class Decision(models.TextChoices):
    NFA = "nfa", "No further action"
    ADVICE = "advice", "Information and advice"
    EARLY_HELP = "early_help", "Early help"
    REFERRAL = "referral", "Referral to children's social care"
    STRATEGY = "strategy", "Strategy discussion needed"


class Consent(models.TextChoices):
    YES = "yes", "Yes, the family knows and agrees"
    KNOWS = "knows", "The family knows but does not agree"
    NOT_SOUGHT = "not_sought", "No, consent was not sought"


OPEN_STATUSES = (ContactStatus.NEW, ContactStatus.AWAITING_AUTHORISATION)


class Contact(BaseModel):
    """One concern about one child, from receipt to the front door decision."""

    reference = models.CharField(
        max_length=12, unique=True, help_text="Given to the reporter: 8 unambiguous characters, random."
    )
    received_at = models.DateTimeField()
    received_on = models.DateField(help_text="Europe/London date of receipt: day 0 of the decision clock.")
    decision_due = models.DateField(db_index=True, help_text="1 working day after received_on.")
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    reporter_type = models.CharField(max_length=16, choices=ReporterType.choices)
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices)
    danger = models.CharField(max_length=8, choices=Danger.choices, default=Danger.UNKNOWN)
    immediate_danger = models.BooleanField(
        default=False, help_text="Reported as in danger now: first in the queue."
    )
    concern = models.TextField()
    concern_when = models.CharField(max_length=500, blank=True)
    child_given_name = models.CharField(max_length=100, blank=True)
    child_family_name = models.CharField(max_length=100, blank=True)
    child_date_of_birth = models.DateField(null=True, blank=True)
    child_expected_date_of_birth = models.DateField(null=True, blank=True)
    child_age_text = models.CharField(max_length=40, blank=True)
    child_nhs_number = models.CharField(max_length=10, blank=True)
    child_address = models.CharField(max_length=300, blank=True)
    child_postcode = models.CharField(max_length=8, blank=True)
    child_school = models.CharField(max_length=200, blank=True)
    other_children = models.TextField(blank=True)
    adults = models.TextField(blank=True)
    # What a multi-agency referral form asks.
    agency_reference = models.CharField(max_length=64, blank=True)
    consent = models.CharField(max_length=16, choices=Consent.choices, blank=True)
    consent_reason = models.TextField(blank=True)
    threshold_level = models.CharField(max_length=64, blank=True)
    risk_factors = models.JSONField(default=list, blank=True, help_text="Assessment factor codes (codes.md).")
    support_given = models.TextField(blank=True)
    agency = models.ForeignKey(
        "PartnerAgency", null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    # Triage.
    status = models.CharField(max_length=24, choices=ContactStatus.choices, default=ContactStatus.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    decision_late_reason = models.TextField(
        blank=True,
        help_text="Why the decision took effect after its 1-working-day due date (WT2023 ch.3).",
    )
    episode = models.ForeignKey(
        "casework.CINEpisode", null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    # Chosen with a referral decision: the team the episode is sent to once it takes effect
    # (a decision waiting for a manager keeps it here until then).
    receiving_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referrer_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-immediate_danger", "decision_due", "received_at"]
        indexes = [
            models.Index(fields=["status", "immediate_danger", "decision_due"]),
            models.Index(fields=["child", "received_on"]),
            models.Index(fields=["received_on"], name="contact_received_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ContactStatus.DECIDED) | ~Q(decision=""),
                name="decided_contact_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def child_name(self) -> str:
        return f"{self.child_given_name} {self.child_family_name}".strip()

    def decision_timing(self, today: dt.date) -> DecisionTiming:
        """The decision against its clock, with the wait for a manager apart."""
        decided = self.decided_at is not None and self.status != ContactStatus.NEW
        return decision_timing(
            received_on=self.received_on,
            due=self.decision_due,
            decided_on=timezone.localdate(self.decided_at) if decided and self.decided_at else None,
            final_on=(
                timezone.localdate(self.authorised_at)
                if self.status == ContactStatus.DECIDED and self.authorised_at
                else None
            ),
            today=today,
        )


class Referrer(BaseModel):
    """Who raised the concern: separately permissioned, never in anything family-facing."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="referrer")
    anonymous = models.BooleanField(default=False)
    name = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(max_length=200, blank=True, help_text="To the child, in their words.")
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return "Referrer details"


class PartnerInformation(BaseModel):
    """Information gathered from a partner agency during triage: who, when, what, on what basis."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="partner_information")
    agency = models.CharField(max_length=200)
    given_by = models.CharField(max_length=200)
    received_on = models.DateField()
    information = models.TextField()
    consent_basis = models.CharField(max_length=32)

    class Meta:
        ordering = ["received_on", "created_at"]


class AgencyType(models.TextChoices):
    POLICE = "police", "Police"
    SCHOOL = "school", "School"
    EDUCATION = "education", "Education services"
    GP = "gp", "GP practice"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    SCHOOL_NURSING = "school_nursing", "School nursing"
    HOSPITAL = "hospital", "Hospital (A&E)"
    HEALTH_OTHER = "health_other", "Other health services"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation, courts or other legal agency"
    OTHER_LA = "other_la", "Another local authority"
    VOLUNTARY = "voluntary", "Voluntary sector"


class PartnerAgency(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=32, choices=AgencyType.choices)
    email = models.EmailField(blank=True, help_text="Where outcomes are sent.")

    class Meta:
        verbose_name_plural = "partner agencies"

    def __str__(self) -> str:
        return self.name


class PartnerApiKey(BaseModel):
    """An agency's API key: only a SHA-256 hash is stored; the prefix finds the row."""

    agency = models.ForeignKey(PartnerAgency, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API key {self.prefix} for {self.agency}"


class IdempotencyRecord(models.Model):
    """The first response to an agency's Idempotency-Key, replayed for every retry."""

    agency = models.ForeignKey(PartnerAgency, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="idempotency_key_once")]


class PartnerMembership(BaseModel):
    """The partner agency a partner agency user signs in for.

    Their web pages show the referrals this agency made (by any of its users or its API
    keys), and the referrals they make are the agency's. A user belongs to one agency.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        limit_choices_to={"role": "partner_agency"},  # staff never sign in for an agency
    )
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="members")

    def __str__(self) -> str:
        return f"Member of {self.agency}"
