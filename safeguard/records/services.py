"""Writes for records management: each one audited, in one transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.audit.services import audit_event_record, diff, snapshot
from safeguard.casework.models import ChildProtectionPlan, CINEpisode
from safeguard.people.models import Person
from safeguard.records.models import DisposalDecision, LegalHold, SubjectAccessRequest, SubjectAccessStatus


def subject_access_prepare(
    *, actor: User, person: Person, requested_by: str, received_on: dt.date
) -> SubjectAccessRequest:
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            person=person,
            requested_by=requested_by,
            received_on=received_on,
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="subject_access_prepare",
            instance=request,
            changes=diff({}, snapshot(request, ["person_id", "requested_by", "received_on"])),
            child_id=person.pk,
        )
    return request


def subject_access_release(
    *,
    actor: User,
    request: SubjectAccessRequest,
    include_third_parties: bool,
    include_referral_sources: bool,
    reason: str,
) -> SubjectAccessRequest:
    """A manager other than the preparer releases the export, recording any decision to
    include third-party or referral information."""
    if request.status == SubjectAccessStatus.RELEASED:
        raise ValidationError("This export has already been released")
    if request.created_by_id == actor.pk:
        raise ValidationError("Someone other than the person who prepared it must review and release it")
    if (include_third_parties or include_referral_sources) and not reason.strip():
        raise ValidationError("Give the reason for releasing third-party or referral information")
    with transaction.atomic():
        before = snapshot(request, ["status", "include_third_parties", "include_referral_sources"])
        request.status = SubjectAccessStatus.RELEASED
        request.include_third_parties = include_third_parties
        request.include_referral_sources = include_referral_sources
        request.release_reason = reason.strip()
        request.released_by = actor
        request.released_at = timezone.now()
        request.modified_by = actor
        request.save()
        audit_event_record(
            actor=actor,
            action="subject_access_release",
            instance=request,
            changes=diff(
                before, snapshot(request, ["status", "include_third_parties", "include_referral_sources"])
            ),
            child_id=request.person_id,
        )
    return request


def legal_hold_place(*, actor: User, person: Person, reason: str) -> LegalHold:
    with transaction.atomic():
        hold = LegalHold.objects.create(person=person, reason=reason, created_by=actor, modified_by=actor)
        audit_event_record(
            actor=actor,
            action="legal_hold_place",
            instance=hold,
            changes=diff({}, snapshot(hold, ["person_id", "reason"])),
            child_id=person.pk,
        )
    return hold


def record_retain(*, actor: User, person: Person, reason: str, until: dt.date) -> DisposalDecision:
    with transaction.atomic():
        decision = DisposalDecision.objects.create(
            person_id_disposed=person.pk,
            la_child_id=person.la_child_id or "",
            decision=DisposalDecision.Decision.RETAIN,
            reason=reason,
            retain_until=until,
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="record_retain",
            instance=decision,
            changes=diff({}, snapshot(decision, ["decision", "reason", "retain_until"])),
            child_id=person.pk,
        )
    return decision


def record_dispose(*, actor: User, person: Person, reason: str) -> DisposalDecision:
    """Delete a child's record after review. The decision and the audit trail stay."""
    if LegalHold.objects.filter(person=person, lifted_at__isnull=True).exists():
        raise ValidationError("This record is under a legal hold and cannot be disposed of")
    if SubjectAccessRequest.objects.filter(person=person).exists():
        raise ValidationError("A subject access request refers to this record: keep it until that is closed")
    if CINEpisode.objects.filter(child=person, closure_date__isnull=True).exists():
        raise ValidationError("The child has open work: close it before disposing of the record")
    with transaction.atomic():
        decision = DisposalDecision.objects.create(
            person_id_disposed=person.pk,
            la_child_id=person.la_child_id or "",
            decision=DisposalDecision.Decision.DISPOSE,
            reason=reason,
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="record_dispose",
            instance=decision,
            changes={"person": {"before": str(person.pk), "after": None}},
            child_id=person.pk,
        )
        ChildProtectionPlan.objects.filter(child=person).delete()
        CINEpisode.objects.filter(child=person).delete()
        person.delete()
    return decision
