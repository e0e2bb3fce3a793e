"""Writing to the audit trail. Called by every service that changes a record."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import TYPE_CHECKING, Any

from django.db import models

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
