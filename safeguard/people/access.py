"""Fetching one record under the access rule, for every selector that reads one.

The one place a read is authorised and written to the access log, and the one place a
refused attempt is written too: the user is told only "not found" (or "not allowed"), so
nothing they see reveals whether the record exists, but the auditors and the child's
managers can see what was tried and why it was refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessAction, AccessKind
from safeguard.audit.services import access_log_record, access_log_record_refused
from safeguard.people.models import BreakGlassGrant, Person, SealedRecordAccess
from safeguard.people.permissions import children_for

M = TypeVar("M", bound=models.Model)

NOT_FOUND = "no such record"
SEALED = "sealed record: the user is not named on the seal"
BREAK_GLASS_EXPIRED = "emergency access has expired"
OUT_OF_SCOPE = "outside the user's scope"


def record_get_for_user(
    *,
    user: User,
    what: AccessKind,
    scoped: QuerySet[M],
    pk: uuid.UUID,
    child_id_of: Callable[[M], uuid.UUID | None],
    request: HttpRequest | None,
    action: Action = Action.VIEW,
    access: AccessAction = AccessAction.VIEW,
) -> M:
    """The record with key ``pk`` from ``scoped`` (a queryset already limited to what the
    user may see, built from ``children_for``), if the user may also do ``action`` on its
    child. Otherwise the attempt is logged as refused and the answer is 404 (not in scope)
    or 403 (in scope, but ``action`` is not allowed)."""
    model = scoped.model
    found = scoped.filter(pk=pk).first()
    if found is None:
        child_id = _child_of_absent(model, pk, child_id_of)
        reason = _why_absent(user, model, pk, child_id)
        access_log_record_refused(
            user=user, what=what, model=model, object_id=pk, reason=reason, child_id=child_id, request=request
        )
        raise Http404(f"No such {model._meta.verbose_name}")
    child_id = child_id_of(found)
    if action != Action.VIEW and (
        child_id is None or not children_for(user, action).filter(pk=child_id).exists()
    ):
        refuse(
            user=user,
            what=what,
            instance=found,
            child_id=child_id,
            reason=f"the user may not {action} this child's record",
            request=request,
        )
    access_log_record(
        user=user,
        what=what,
        instance=found,
        child_id=child_id,
        request=request,
        break_glass_reason=_break_glass_reason(user, child_id),
        action=access,
    )
    return found


def refuse(
    *,
    user: User,
    what: AccessKind,
    instance: models.Model,
    child_id: uuid.UUID | None,
    reason: str,
    request: HttpRequest | None,
) -> NoReturn:
    """A record the user may see but not act on in the way asked: logged, then 403."""
    access_log_record_refused(
        user=user,
        what=what,
        model=type(instance),
        object_id=instance.pk,
        reason=reason,
        child_id=child_id,
        request=request,
    )
    raise PermissionDenied


def child_read(
    *,
    user: User,
    child_id: uuid.UUID,
    what: AccessKind,
    request: HttpRequest | None,
    scope: Action = Action.VIEW,
    access: AccessAction = AccessAction.VIEW,
    prefetch: Sequence[str] = (),
) -> Person:
    """A child's record read as ``what``, from the children the user may ``scope``."""
    return record_get_for_user(
        user=user,
        what=what,
        scoped=children_for(user, scope).prefetch_related(*prefetch),
        pk=child_id,
        child_id_of=lambda child: child.pk,
        request=request,
        access=access,
    )


def _child_of_absent(
    model: type[M], pk: uuid.UUID, child_id_of: Callable[[M], uuid.UUID | None]
) -> uuid.UUID | None:
    """Whose record was tried, so the refusal appears on that child's "who has looked"."""
    record = model._default_manager.filter(pk=pk).first()
    return child_id_of(record) if record is not None else None


def _why_absent(user: User, model: type[models.Model], pk: uuid.UUID, child_id: uuid.UUID | None) -> str:
    if child_id is None:
        return OUT_OF_SCOPE if model._default_manager.filter(pk=pk).exists() else NOT_FOUND
    child = Person.objects.filter(pk=child_id).first()
    if child is None:
        return NOT_FOUND
    if BreakGlassGrant.objects.filter(person=child, user=user, expires_at__lte=timezone.now()).exists():
        return BREAK_GLASS_EXPIRED
    if child.is_sealed and not SealedRecordAccess.objects.filter(person=child, user=user).exists():
        return SEALED
    return OUT_OF_SCOPE


def _break_glass_reason(user: User, child_id: uuid.UUID | None) -> str:
    """Every read under an emergency grant carries its reason, not only the first."""
    if child_id is None:
        return ""
    grant = (
        BreakGlassGrant.objects.filter(user=user, person_id=child_id, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )
    return grant.reason if grant else ""
