"""Reading the audit trail: scoped to the children a manager is responsible for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.policy import AUDIT_EXPORT_ALL_ROLES, AUDIT_EXPORT_ROLES, Action
from safeguard.audit.models import AccessKind, AccessLogEntry, AuditEvent
from safeguard.audit.services import access_log_record_export
from safeguard.people.models import Person
from safeguard.people.permissions import children_for


@dataclass
class AuditTrail:
    events: QuerySet[AuditEvent]
    reads: QuerySet[AccessLogEntry]


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def audit_trail_for_export(
    *, user: User, start: dt.date, end: dt.date, request: HttpRequest | None
) -> AuditTrail:
    """Events and reads between two dates (inclusive), within the user's scope.

    The export is itself a read of personal data, so it is written to the access log.
    """
    if user.role not in AUDIT_EXPORT_ROLES:
        raise PermissionError("This role cannot export the audit trail")
    since, until = _day_bounds(start, end)
    events = AuditEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
    reads = AccessLogEntry.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
    if user.role not in AUDIT_EXPORT_ALL_ROLES:
        children = children_for(user, Action.AUTHORISE).values("pk")
        events = events.filter(Q(child_id__in=children))
        reads = reads.filter(Q(child_id__in=children))
    else:
        # Even an export of everything leaves out sealed children the user is not named on.
        hidden = Person.objects.filter(is_sealed=True).exclude(seal_access__user=user).values("pk")
        events = events.exclude(child_id__in=hidden)
        reads = reads.exclude(child_id__in=hidden)
    access_log_record_export(
        user=user, what=AccessKind.AUDIT_EXPORT, description=f"{start}..{end}", request=request
    )
    return AuditTrail(
        events.select_related("actor").order_by("occurred_at"),
        reads.select_related("user").order_by("occurred_at"),
    )
