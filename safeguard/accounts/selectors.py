from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from safeguard.accounts.models import Role, Team, User


def teams_for_user(*, user: User) -> QuerySet[Team]:
    """Teams with their headcount; partner agency users see none of the council's staff."""
    if user.role == Role.PARTNER_AGENCY:
        raise PermissionDenied
    return (
        Team.objects.select_related("service")
        .annotate(
            headcount=Count("members", filter=Q(members__is_active=True)),
            agency=Count("members", filter=Q(members__is_active=True, members__is_agency=True)),
        )
        .exclude(kind="partner")
        .order_by("service__name", "name")
    )
