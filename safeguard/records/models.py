"""Information governance: subject access requests, legal holds and disposal decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.core.models import BaseModel
from safeguard.people.models import Person


class SubjectAccessStatus(models.TextChoices):
    READY_FOR_REVIEW = "ready", "Ready for a manager's review"
    RELEASED = "released", "Released"


class SubjectAccessRequest(BaseModel):
    """A copy of everything held about a person, prepared by one member of staff and
    released only after a manager has reviewed it.

    Third parties (family members, professionals' names) and the source of each referral
    are withheld unless the reviewer records a decision to include them. Addresses marked
    "must not be disclosed" are never included.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="subject_access_requests")
    requested_by = models.CharField(
        max_length=200,
        help_text="Who asked, in words: e.g. the young person, a parent on the child's behalf.",
    )
    received_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=SubjectAccessStatus.choices, default=SubjectAccessStatus.READY_FOR_REVIEW
    )
    include_third_parties = models.BooleanField(default=False)
    include_referral_sources = models.BooleanField(default=False)
    release_reason = models.TextField(
        blank=True, help_text="Why third-party or referral information was released, if it was."
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on"]


class LegalHold(BaseModel):
    """Records that must not be disposed of (litigation, inquiry, police investigation)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField()
    lifted_at = models.DateTimeField(null=True, blank=True)


class DisposalDecision(BaseModel):
    """A reviewed decision about a record past its retention date (kept forever)."""

    class Decision(models.TextChoices):
        DISPOSE = "dispose", "Dispose of the record"
        RETAIN = "retain", "Keep the record for longer"

    person_id_disposed = models.UUIDField(help_text="The person's key (the record itself may be gone).")
    la_child_id = models.CharField(max_length=20, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    reason = models.TextField()
    retain_until = models.DateField(null=True, blank=True)
