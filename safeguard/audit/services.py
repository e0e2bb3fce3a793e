"""Writing to the audit trail. Called by every service that changes a record."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from safeguard.audit.models import AccessAction, AccessKind, AccessLogEntry, AuditEvent
from safeguard.core.http import client_address

if TYPE_CHECKING:
    from django.http import HttpRequest

    from safeguard.accounts.models import User


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a record, ready to compare before and after a change."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    keys = sorted(set(before) | set(after))
    return {
        k: {"before": before.get(k), "after": after.get(k)} for k in keys if before.get(k) != after.get(k)
    }


def audit_event_record(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    changes: dict[str, Any],
    child_id: uuid.UUID | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        child_id=child_id,
        changes=changes,
    )


M = TypeVar("M", bound=models.Model)


def _attnames(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """Column names for the audit row: a foreign key is recorded by its key (``person_id``),
    never by the text of the record it points at. Unknown names fail loudly."""
    attnames = []
    for name in names:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or not field.concrete:
            raise ValueError(f"{model._meta.label}.{name} is not a column")
        attnames.append(field.attname)
    return attnames


def _values(instance: models.Model, attnames: Sequence[str]) -> dict[str, Any]:
    # Not snapshot(): an empty list there means "every column", and an audit that names no
    # fields must record none.
    return {name: _jsonable(getattr(instance, name)) for name in attnames}


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


ChildId = uuid.UUID | None | Callable[[], uuid.UUID | None]


def _child(child_id: ChildId) -> uuid.UUID | None:
    return child_id() if callable(child_id) else child_id


def audited_create(
    model: type[M],
    *,
    actor: User | None,
    action: str,
    values: Mapping[str, Any],
    child_id: ChildId,
    audit: Sequence[str] | None = None,
    validate: bool = False,
) -> M:
    """Create one record and its audit event, in one transaction.

    ``values`` are the new record's fields; ``created_by`` and ``modified_by`` are the
    actor unless given. ``audit`` names the fields the event records (all of ``values`` if
    not given): leave out what must not be copied into the trail, such as text that could
    name a third party. ``validate`` runs the model's ``full_clean()`` first, so a broken
    record is refused with a ``ValidationError`` and nothing is written. ``child_id`` is
    the child the change concerns (``None`` if none), so the child's managers can find it;
    give a function (``lambda: contact.child_id``) when the change itself decides it, and
    it is called after the save.
    """
    stamps = {name: actor for name in ("created_by", "modified_by") if _has_field(model, name)}
    attnames = _attnames(model, list(values) if audit is None else audit)
    with transaction.atomic():
        instance = model(**(stamps | dict(values)))
        if validate:
            instance.full_clean()
        instance.save(force_insert=True)
        audit_event_record(
            actor=actor,
            action=action,
            instance=instance,
            changes=diff({}, _values(instance, attnames)),
            child_id=_child(child_id),
        )
    return instance


def audited_update(
    instance: M,
    *,
    actor: User | None,
    action: str,
    values: Mapping[str, Any],
    child_id: ChildId,
    audit: Sequence[str] | None = None,
    validate: bool = False,
    whole_row: bool = False,
    also: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Change fields of one record and write the audit event with each field's value before
    and after, in one transaction. Returns the event: its ``changes`` say what moved (empty
    if nothing did; the event is written anyway, as the attempt is part of the record).

    ``modified_by`` becomes the actor unless given. Only the changed columns (and the
    ``auto_now`` ones) are written, so a change made meanwhile to another column by someone
    else is kept; ``whole_row`` writes every column, as a plain ``save()`` does, for a
    caller that has set other attributes itself. ``audit`` and ``validate`` are as for
    ``audited_create``. If validation, the save or the audit row fails, the instance gets
    its old values back, so a page shown again after the error shows the record as it is stored.
    ``also`` adds entries to the event's changes beside the fields' (``{"before": ..., "after":
    ...}`` for what the row does not hold, such as the users named on a sealed record).
    """
    model = type(instance)
    stamps = {"modified_by": actor} if _has_field(model, "modified_by") else {}
    changing = stamps | dict(values)
    attnames = _attnames(model, list(values) if audit is None else audit)
    # Kept as they are (not as JSON) so that a failure can put them back.
    old = {name: getattr(instance, name) for name in _attnames(model, changing)}
    with transaction.atomic():
        before = _values(instance, attnames)
        try:
            for name, value in changing.items():
                setattr(instance, name, value)
            if validate:
                instance.full_clean()
            if whole_row:
                instance.save()
            else:
                touched = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
                instance.save(update_fields=list(dict.fromkeys([*changing, *touched])))
            return audit_event_record(
                actor=actor,
                action=action,
                instance=instance,
                changes=diff(before, _values(instance, attnames)) | dict(also or {}),
                child_id=_child(child_id),
            )
        except BaseException:
            for name, value in old.items():
                setattr(instance, name, value)
            raise


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a trusted proxy the peer is the proxy; the log must name the real client.
    return client_address(request) or None


def access_log_record(
    *,
    user: User,
    what: AccessKind,
    instance: models.Model,
    child_id: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    break_glass_reason: str = "",
    action: AccessAction = AccessAction.VIEW,
    detail: str = "",
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        user=user,
        what=what,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        child_id=child_id,
        ip_address=_client_ip(request),
        break_glass_reason=break_glass_reason,
        detail=detail[:200],
    )


def access_log_record_export(
    *, user: User, what: AccessKind, description: str, request: HttpRequest | None = None
) -> AccessLogEntry:
    """An export or report that reads many records at once."""
    return AccessLogEntry.objects.create(
        user=user,
        what=what,
        action=AccessAction.EXPORT,
        object_type="export",
        object_id=description[:64],
        ip_address=_client_ip(request),
        detail=description[:200],
    )


def access_log_record_list(
    *,
    user: User,
    what: AccessKind,
    model: type[models.Model],
    detail: str,
    request: HttpRequest | None = None,
    action: AccessAction = AccessAction.LIST,
    instance: models.Model | None = None,
) -> AccessLogEntry:
    """A list or a search: no single child. ``detail`` says how it was made (the filters,
    which fields a search used, how many rows came back) and must never hold the words
    searched for, which are often a child's name. ``instance`` is the record the search
    was made from, if any (the contact being matched)."""
    return AccessLogEntry.objects.create(
        user=user,
        what=what,
        action=action,
        object_type=model._meta.label_lower,
        object_id=str(instance.pk) if instance is not None else "",
        ip_address=_client_ip(request),
        detail=detail[:200],
    )


def access_log_record_refused(
    *,
    user: User,
    what: AccessKind,
    model: type[models.Model],
    object_id: uuid.UUID | str,
    reason: str,
    child_id: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> AccessLogEntry:
    """An attempt the access rule refused. The user is told only "not found" (or "not
    allowed"); this row, for auditors and the child's managers, says what was tried and why
    it was refused."""
    return AccessLogEntry.objects.create(
        user=user,
        what=what,
        action=AccessAction.REFUSED,
        object_type=model._meta.label_lower,
        object_id=str(object_id)[:64],
        child_id=child_id,
        ip_address=_client_ip(request),
        detail=reason[:200],
    )
