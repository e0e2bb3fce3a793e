"""The system administrator's pages: services, teams and staff accounts.

Reference data and accounts only: nothing here shows a child's record. Every view refuses
anyone but a system administrator (403) before it reads anything, and every change is a
service in ``accounts.services`` that writes the audit trail.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.accounts import services
from safeguard.accounts.forms import (
    AccountCreateForm,
    AccountDeactivateForm,
    AccountReactivateForm,
    AccountRoleForm,
    AccountSearchForm,
    SecurityCodesResetForm,
    ServiceForm,
    TeamForm,
)
from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.models import Team, User
from safeguard.accounts.policy import MANAGE_ROLES
from safeguard.accounts.selectors import (
    AccountFilters,
    account_for_admin,
    accounts_for_admin,
    service_for_admin,
    services_for_admin,
    team_for_admin,
    teams_for_admin,
)
from safeguard.design_system.pages import form_page, posted

ACCOUNTS_PAGE_SIZE = 50

V = TypeVar("V", bound=Callable[..., HttpResponse])


def administrators_only(view: V) -> V:
    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role not in MANAGE_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _site_url(request: AuthenticatedRequest) -> str:
    return request.build_absolute_uri("/")


@require_GET
@administrators_only
def manage_home(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/manage/index.html", {})


# -- Services


@require_GET
@administrators_only
def service_list(request: AuthenticatedRequest) -> HttpResponse:
    rows = services_for_admin(user=request.user)
    return render(
        request, "accounts/manage/service_list.html", {"rows": rows, "back_url": reverse("accounts:manage")}
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def service_new(request: AuthenticatedRequest) -> HttpResponse:
    services_for_admin(user=request.user)  # authorises; the list itself is not needed
    done = reverse("accounts:manage_service_list")
    return form_page(
        request,
        ServiceForm(posted(request)),
        template="accounts/manage/service_new.html",
        save=lambda data: services.service_create(actor=request.user, name=data["name"]),
        then=done,
        success=lambda service: f"{service.name} has been added.",
        context={"back_url": done},
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def service_edit(request: AuthenticatedRequest, service_id: uuid.UUID) -> HttpResponse:
    service = service_for_admin(user=request.user, service_id=service_id)
    done = reverse("accounts:manage_service_list")
    return form_page(
        request,
        ServiceForm(posted(request), initial={"name": service.name}),
        template="accounts/manage/service_edit.html",
        save=lambda data: services.service_update(actor=request.user, service=service, name=data["name"]),
        then=done,
        success=lambda saved: f"{saved.name} has been saved.",
        context={"service": service, "back_url": done},
    )


# -- Teams


@require_GET
@administrators_only
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    teams = teams_for_admin(user=request.user)
    return render(
        request, "accounts/manage/team_list.html", {"teams": teams, "back_url": reverse("accounts:manage")}
    )


def _team_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in ("name", "kind", "service", "caseload_policy")}


@require_http_methods(["GET", "POST"])
@administrators_only
def team_new(request: AuthenticatedRequest) -> HttpResponse:
    teams_for_admin(user=request.user)  # authorises
    done = reverse("accounts:manage_team_list")
    return form_page(
        request,
        TeamForm(posted(request)),
        template="accounts/manage/team_new.html",
        save=lambda data: services.team_create(actor=request.user, **_team_fields(data)),
        then=done,
        success=lambda team: f"{team.name} has been added.",
        context={"back_url": done},
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def team_edit(request: AuthenticatedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = team_for_admin(user=request.user, team_id=team_id)
    done = reverse("accounts:manage_team_list")
    initial = {
        "name": team.name,
        "kind": team.kind,
        "service": team.service_id,
        "caseload_policy": team.caseload_policy,
    }
    return form_page(
        request,
        TeamForm(posted(request), initial=initial),
        template="accounts/manage/team_edit.html",
        save=lambda data: services.team_update(actor=request.user, team=team, **_team_fields(data)),
        then=done,
        success=lambda saved: f"{saved.name} has been saved.",
        context={"team": team, "back_url": done},
    )


# -- Accounts


@require_GET
@administrators_only
def account_list(request: AuthenticatedRequest) -> HttpResponse:
    form = AccountSearchForm(request.GET if request.GET else None)
    filters = AccountFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = AccountFilters(words=data["q"], team=data["team"], role=data["role"], status=data["status"])
    accounts = accounts_for_admin(user=request.user, filters=filters)
    page = Paginator(accounts, ACCOUNTS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/manage/account_list.html",
        {
            "form": form,
            "page": page,
            "filtered": filters != AccountFilters(),
            "page_base": "?" + (query.urlencode() + "&" if query else "") + "page=",
            "back_url": reverse("accounts:manage"),
        },
    )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _account_url(account: User) -> str:
    return reverse("accounts:manage_account", args=[account.pk])


@require_http_methods(["GET", "POST"])
@administrators_only
def account_new(request: AuthenticatedRequest) -> HttpResponse:
    accounts_for_admin(user=request.user, filters=AccountFilters())  # authorises
    initial: dict[str, Any] = {}
    team_id = _uuid_or_none(request.GET.get("team", ""))
    if team_id is not None and Team.objects.filter(pk=team_id).exists():
        initial["team"] = team_id
    return form_page(
        request,
        AccountCreateForm(posted(request), initial=initial),
        template="accounts/manage/account_new.html",
        save=lambda data: services.account_create(actor=request.user, site_url=_site_url(request), **data),
        then=_account_url,
        success=lambda account: (
            f"The account has been made. {account.display_name} has been emailed a link to choose a password."
        ),
        context={"back_url": reverse("accounts:manage_account_list")},
    )


def _account_context(request: AuthenticatedRequest, account: User) -> dict[str, Any]:
    return {
        "account": account,
        "is_self": account.pk == request.user.pk,
        "open_episodes": services.account_open_episodes(user=account),
        "mfa_enrolled": services.mfa_enrolled(user=account),
        "back_url": _account_url(account),
    }


@require_GET
@administrators_only
def account_detail(request: AuthenticatedRequest, account_id: uuid.UUID) -> HttpResponse:
    account = account_for_admin(user=request.user, account_id=account_id)
    context = _account_context(request, account)
    context["back_url"] = reverse("accounts:manage_account_list")
    context["awaiting_password"] = account.is_active and not account.has_usable_password()
    return render(request, "accounts/manage/account_detail.html", context)


@require_http_methods(["GET", "POST"])
@administrators_only
def account_role(request: AuthenticatedRequest, account_id: uuid.UUID) -> HttpResponse:
    account = account_for_admin(user=request.user, account_id=account_id)
    initial = {"role": account.role, "team": account.team_id, "agency_name": account.agency_name}
    return form_page(
        request,
        AccountRoleForm(posted(request), initial=initial),
        template="accounts/manage/account_role.html",
        save=lambda data: services.account_role_change(actor=request.user, user=account, **data),
        then=_account_url(account),
        success=f"{account.display_name}'s role and team have been saved.",
        context=lambda: _account_context(request, account),
    )


def _already(request: AuthenticatedRequest, account: User, message: str) -> HttpResponse:
    messages.info(request, message)
    return HttpResponseRedirect(_account_url(account))


def _deactivated(account: User, open_work: list[services.OpenEpisode]) -> str:
    done = f"{account.display_name}'s account has been deactivated and they have been signed out."
    if open_work:
        done += f" They still hold {len(open_work)} open episodes: their team manager must reallocate them."
    return done


@require_http_methods(["GET", "POST"])
@administrators_only
def account_deactivate(request: AuthenticatedRequest, account_id: uuid.UUID) -> HttpResponse:
    account = account_for_admin(user=request.user, account_id=account_id)
    if not account.is_active:
        return _already(request, account, "This account is already deactivated.")
    return form_page(
        request,
        AccountDeactivateForm(posted(request)),
        template="accounts/manage/account_deactivate.html",
        save=lambda data: services.account_deactivate(
            actor=request.user, user=account, reason=data["reason"]
        ),
        then=_account_url(account),
        success=lambda open_work: _deactivated(account, open_work),
        context=lambda: _account_context(request, account),
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def account_reactivate(request: AuthenticatedRequest, account_id: uuid.UUID) -> HttpResponse:
    account = account_for_admin(user=request.user, account_id=account_id)
    if account.is_active:
        return _already(request, account, "This account is already active.")
    return form_page(
        request,
        AccountReactivateForm(posted(request)),
        template="accounts/manage/account_reactivate.html",
        save=lambda data: services.account_reactivate(
            actor=request.user, user=account, reason=data["reason"]
        ),
        then=_account_url(account),
        success=f"{account.display_name}'s account has been reactivated.",
        context=lambda: _account_context(request, account),
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def account_security_codes(request: AuthenticatedRequest, account_id: uuid.UUID) -> HttpResponse:
    account = account_for_admin(user=request.user, account_id=account_id)
    return form_page(
        request,
        SecurityCodesResetForm(posted(request)),
        template="accounts/manage/account_security_codes.html",
        save=lambda data: services.account_security_codes_reset(
            actor=request.user, user=account, reason=data["reason"]
        ),
        then=_account_url(account),
        success=(
            f"{account.display_name}'s security codes have been reset and they have been signed out. "
            "They set up a new authenticator app when they next sign in."
        ),
        context=lambda: _account_context(request, account),
    )


@require_POST
@administrators_only
def account_invitation(request: AuthenticatedRequest, account_id: uuid.UUID) -> HttpResponse:
    account = account_for_admin(user=request.user, account_id=account_id)
    services.account_invitation_resend(actor=request.user, user=account, site_url=_site_url(request))
    messages.success(request, f"A new link to choose a password has been emailed to {account.email}.")
    return HttpResponseRedirect(_account_url(account))
