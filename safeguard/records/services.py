"""Writes for records management: each one audited, in one transaction."""

from __future__ import annotations

import datetime as dt
from graphlib import TopologicalSorter
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ForeignObjectRel, Q, QuerySet
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.audit.models import AppendOnlyModel
from safeguard.audit.services import audit_event_record, audited_create, audited_update, snapshot
from safeguard.casework.models import ChildProtectionPlan, CINEpisode
from safeguard.core.models import Draft
from safeguard.frontdoor.models import Contact
from safeguard.people.models import (
    NameKind,
    Person,
    PersonDisability,
    PersonName,
    Relationship,
    SealedRecordAccess,
)
from safeguard.people.permissions import children_for
from safeguard.records.models import DisposalDecision, LegalHold, SubjectAccessRequest, SubjectAccessStatus
from safeguard.records.selectors import record_due_for_disposal


def subject_access_prepare(
    *, actor: User, person: Person, requested_by: str, received_on: dt.date
) -> SubjectAccessRequest:
    return audited_create(
        SubjectAccessRequest,
        actor=actor,
        action="subject_access_prepare",
        values={"person": person, "requested_by": requested_by, "received_on": received_on},
        child_id=person.pk,
    )


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
    audited_update(
        request,
        actor=actor,
        action="subject_access_release",
        values={
            "status": SubjectAccessStatus.RELEASED,
            "include_third_parties": include_third_parties,
            "include_referral_sources": include_referral_sources,
            "release_reason": reason.strip(),
            "released_by": actor,
            "released_at": timezone.now(),
        },
        # As before: the trail records what was decided; the reason is kept on the request.
        audit=["status", "include_third_parties", "include_referral_sources"],
        child_id=request.person_id,
    )
    return request


def legal_hold_place(*, actor: User, person: Person, reason: str) -> LegalHold:
    return audited_create(
        LegalHold,
        actor=actor,
        action="legal_hold_place",
        values={"person": person, "reason": reason},
        child_id=person.pk,
    )


def record_retain(*, actor: User, person: Person, reason: str, until: dt.date) -> DisposalDecision:
    return audited_create(
        DisposalDecision,
        actor=actor,
        action="record_retain",
        values={
            "person_id_disposed": person.pk,
            "la_child_id": person.la_child_id or "",
            "decision": DisposalDecision.Decision.RETAIN,
            "reason": reason,
            "retain_until": until,
        },
        audit=["decision", "reason", "retain_until"],
        child_id=person.pk,
    )


def record_dispose(
    *, actor: User, person: Person, reason: str, today: dt.date | None = None
) -> DisposalDecision:
    """Destroy a child's record after review: every row about the child, in one transaction.

    Only a record the review list shows today may go (``record_due_for_disposal``: past
    every schedule, closed, not on legal hold, not kept). What goes is found by walking the
    model relations from the child, so records that later apps add are included: contacts,
    episodes and all the casework under them, relationships (and relatives who are linked
    to no one else), addresses, drafts. The audit trail is append-only and is not touched:
    its rows name the child only by key, and that key now leads nowhere. The decision and
    its audit event name no one.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if LegalHold.objects.filter(person=person, lifted_at__isnull=True).exists():
            raise ValidationError("This record is under a legal hold and cannot be disposed of")
        if SubjectAccessRequest.objects.filter(person=person).exists():
            raise ValidationError(
                "A subject access request refers to this record: keep it until that is closed"
            )
        if CINEpisode.objects.filter(child=person, closure_date__isnull=True).exists():
            raise ValidationError("The child has open work: close it before disposing of the record")
        if record_due_for_disposal(user=actor, child_id=person.pk, today=today) is None:
            raise ValidationError("This record is not due for disposal under the retention schedule")
        rows = _rows_about(person)
        drafts = _drafts_about(person, rows)
        decision = DisposalDecision.objects.create(
            person_id_disposed=person.pk,
            la_child_id=person.la_child_id or "",
            decision=DisposalDecision.Decision.DISPOSE,
            reason=reason,
            created_by=actor,
            modified_by=actor,
        )
        disposed = _delete_rows(rows)
        disposed["core.draft"] = drafts.delete()[0]
        audit_event_record(
            actor=actor,
            action="record_dispose",
            instance=decision,
            # Counts only: the reason and the record's contents could name the child.
            changes={
                "decision": {"before": None, "after": DisposalDecision.Decision.DISPOSE.value},
                "rows_disposed": {"before": None, "after": {k: v for k, v in disposed.items() if v}},
            },
            child_id=person.pk,
        )
    return decision


Rows = dict[type[models.Model], set[Any]]


def _rows_about(person: Person) -> Rows:
    """Every row that points at the child, directly or through another such row, and the
    child's relatives who are on no other child's record."""
    rows: Rows = {}
    _walk(rows, Person, {person.pk})
    relationships = rows.get(Relationship, set())
    relatives = set(
        Person.objects.filter(la_child_id__isnull=True, related_to__in=relationships)
        # A relative's own hold or subject access request is theirs, not the child's: keep them.
        .exclude(legal_holds__isnull=False)
        .exclude(subject_access_requests__isnull=False)
        .values_list("pk", flat=True)
    )
    shared = set(
        Relationship.objects.exclude(pk__in=relationships)
        .filter(Q(other__in=relatives) | Q(child__in=relatives))
        .values_list("other_id", "child_id")
    )
    relatives -= {pk for pair in shared for pk in pair}
    if relatives:
        _walk(rows, Person, relatives)
    return rows


def _walk(rows: Rows, model: type[models.Model], pks: set[Any]) -> None:
    rows.setdefault(model, set()).update(pks)
    # Hidden relations too (related_name="+"): a row that points at the child is about them
    # whether or not the child's side can name it.
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.many_to_many:
            continue
        related = relation.related_model
        assert isinstance(related, type)  # resolved once the app registry is ready
        if issubclass(related, AppendOnlyModel):
            continue
        found = set(
            related._base_manager.filter(**{f"{relation.field.name}__in": pks}).values_list("pk", flat=True)
        )
        new = found - rows.get(related, set())
        if new:
            _walk(rows, related, new)


def _drafts_about(person: Person, rows: Rows) -> QuerySet[Draft]:
    """Journey drafts whose submission made the child's record or one of their contacts."""
    references = [person.la_child_id or "", str(person.pk)]
    contacts = rows.get(Contact, set())
    references += Contact.objects.filter(pk__in=contacts).values_list("reference", flat=True)
    return Draft.objects.filter(submitted_record__in=[r for r in references if r])


def _delete_rows(rows: Rows) -> dict[str, int]:
    """Delete the collected rows, each table after every table that refers to it."""
    order: TopologicalSorter[type[models.Model]] = TopologicalSorter()
    for model in rows:
        order.add(model)
        for field in model._meta.concrete_fields:
            target = field.related_model if field.many_to_one or field.one_to_one else None
            if target is model and field.null:
                # A record pointing at another of its kind (a contact merged into another):
                # unlink first, or the delete of either would be refused.
                model._base_manager.filter(pk__in=rows[model]).update(**{field.name: None})
            elif isinstance(target, type) and target in rows and target is not model:
                order.add(target, model)
    disposed: dict[str, int] = {}
    for model in order.static_order():
        disposed[model._meta.label_lower] = model._base_manager.filter(pk__in=rows[model]).delete()[0]
    return disposed


# -- merging duplicate records -------------------------------------------------------


def child_merge(*, actor: User, keep: Person, duplicate: Person, reason: str) -> Person:
    """Merge a duplicate child record into ``keep``: every record that points at the
    duplicate moves to ``keep`` (found through the model relations, so later apps are
    included), the duplicate's name is kept as an "also known as", and the duplicate goes.

    The actor must hold the merge action over both records: the view tells a record the
    actor cannot see (404) from one they cannot merge (403); this is the last line. The
    audit trail keeps a snapshot of the removed record.
    """
    mergeable = children_for(actor, Action.MERGE).filter(pk__in=[keep.pk, duplicate.pk]).count()
    if mergeable != len({keep.pk, duplicate.pk}):
        raise PermissionDenied("You cannot merge a record held by a team outside your responsibility")
    if keep.pk == duplicate.pk:
        raise ValidationError("Choose a different record: a record cannot be merged into itself")
    if not (keep.is_child_record and duplicate.is_child_record):
        raise ValidationError("Only two children's records can be merged")
    if (
        CINEpisode.objects.filter(child=keep, closure_date__isnull=True).exists()
        and CINEpisode.objects.filter(child=duplicate, closure_date__isnull=True).exists()
    ):
        raise ValidationError("Both records have open work: close one episode before merging")
    if (
        ChildProtectionPlan.objects.filter(child=keep, end_date__isnull=True).exists()
        and ChildProtectionPlan.objects.filter(child=duplicate, end_date__isnull=True).exists()
    ):
        raise ValidationError("Both records have an open child protection plan: end one before merging")
    with transaction.atomic():
        removed = snapshot(duplicate)
        Relationship.objects.filter(child=duplicate, other=keep).delete()
        Relationship.objects.filter(child=keep, other=duplicate).delete()
        PersonDisability.objects.filter(person=duplicate, code__in=keep.disabilities.values("code")).delete()
        SealedRecordAccess.objects.filter(person=duplicate, user__in=keep.seal_access.values("user")).delete()
        moved = _move_related_rows(duplicate, keep)
        PersonName.objects.create(
            person=keep,
            kind=NameKind.ALIAS,
            given_name=duplicate.given_name,
            family_name=duplicate.family_name,
            created_by=actor,
            modified_by=actor,
        )
        audited_update(
            keep,
            actor=actor,
            action="child_merge",
            values={**_gaps_filled(keep, duplicate), "is_sealed": keep.is_sealed or duplicate.is_sealed},
            audit=["nhs_number", "upn", "date_of_birth", "is_sealed"],
            child_id=keep.pk,
            also={
                "merged_record": {"before": removed, "after": None},
                "rows_moved": {"before": None, "after": moved},
                "reason": {"before": None, "after": reason},
            },
        )
        duplicate.delete()
    return keep


def _move_related_rows(source: Person, target: Person) -> dict[str, int]:
    moved: dict[str, int] = {}
    for relation in Person._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        assert not isinstance(model, str)  # resolved once the app registry is ready
        field = relation.field.name
        count = model._base_manager.filter(**{field: source}).update(**{field: target})
        if count:
            moved[f"{model._meta.label_lower}.{field}"] = count
    return moved


def _gaps_filled(keep: Person, duplicate: Person) -> dict[str, object]:
    """Identifiers the kept record lacks, taken from the duplicate."""
    values: dict[str, object] = {
        name: getattr(duplicate, name)
        for name in ("nhs_number", "upn", "former_upn")
        if not getattr(keep, name) and getattr(duplicate, name)
    }
    if keep.date_of_birth is None and duplicate.date_of_birth is not None:
        values["date_of_birth"] = duplicate.date_of_birth
        values["expected_date_of_birth"] = None
    return values
