from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from safeguard.accounts.models import MANAGER_ROLES, Role, Service, Team, User
from safeguard.accounts.policy import MANAGE_ROLES


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


# -- The system administrator's management pages: reference data and accounts, never a
# child's record. Each selector refuses anyone but a system administrator.


def _may_manage(user: User) -> None:
    if user.role not in MANAGE_ROLES or not user.is_active:
        raise PermissionDenied


@dataclass(frozen=True)
class ServiceRow:
    service: Service
    team_count: int
    managers: list[str]


def services_for_admin(*, user: User) -> list[ServiceRow]:
    """Every service, with how many teams it has and its active service managers."""
    _may_manage(user)
    managers: dict[uuid.UUID, list[str]] = {}
    for manager in User.objects.filter(
        role=Role.SERVICE_MANAGER, is_active=True, team__isnull=False
    ).select_related("team"):
        assert manager.team is not None
        managers.setdefault(manager.team.service_id, []).append(manager.display_name)
    services = Service.objects.annotate(team_count=Count("teams")).order_by("name")
    return [ServiceRow(s, s.team_count, sorted(managers.get(s.pk, []))) for s in services]


def service_for_admin(*, user: User, service_id: uuid.UUID) -> Service:
    _may_manage(user)
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service")
    return service


def teams_for_admin(*, user: User) -> QuerySet[Team]:
    """Every team, with its service, its active headcount and its managers (the active
    front door, team and service managers in it)."""
    _may_manage(user)
    managers = User.objects.filter(role__in=MANAGER_ROLES, is_active=True).order_by("last_name")
    return (
        Team.objects.select_related("service")
        .annotate(headcount=Count("members", filter=Q(members__is_active=True)))
        .prefetch_related(Prefetch("members", queryset=managers, to_attr="managers"))
        .order_by("service__name", "name")
    )


def team_for_admin(*, user: User, team_id: uuid.UUID) -> Team:
    _may_manage(user)
    team = Team.objects.select_related("service").filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    return team


@dataclass(frozen=True)
class AccountFilters:
    """The account list's search: words in the name or email address, and filters."""

    words: str = ""
    team: Team | None = None
    role: str = ""
    status: str = ""  # "active", "deactivated" or "" for both


def accounts_for_admin(*, user: User, filters: AccountFilters) -> QuerySet[User]:
    _may_manage(user)
    accounts = User.objects.select_related("team").order_by("last_name", "first_name", "username")
    for word in filters.words.split()[:5]:
        accounts = accounts.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(username__icontains=word)
        )
    if filters.team is not None:
        accounts = accounts.filter(team=filters.team)
    if filters.role:
        accounts = accounts.filter(role=filters.role)
    if filters.status == "active":
        accounts = accounts.filter(is_active=True)
    elif filters.status == "deactivated":
        accounts = accounts.filter(is_active=False)
    return accounts


def account_for_admin(*, user: User, account_id: uuid.UUID) -> User:
    _may_manage(user)
    account = User.objects.select_related("team", "team__service").filter(pk=account_id).first()
    if account is None:
        raise Http404("No such account")
    return account
