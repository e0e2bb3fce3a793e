from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import RECORDS_ROLES, STAFF_ROLES, Action
from safeguard.audit.models import AccessKind
from safeguard.core.searches import search_recall, search_remember
from safeguard.design_system import journey as journeys
from safeguard.design_system.formatting import govuk_datetime
from safeguard.design_system.pages import form_page, posted
from safeguard.people.access import refuse
from safeguard.people.forms import BreakGlassForm, ChildSearchForm, SealForm
from safeguard.people.journeys import ADD_CHILD
from safeguard.people.models import BreakGlassGrant, Person
from safeguard.people.permissions import (
    can,
    can_add_child,
    can_break_glass,
    can_review_access,
    can_seal,
)
from safeguard.people.selectors import (
    child_access_history,
    child_find_for_break_glass,
    child_get_for_user,
    child_history,
    child_search,
    seal_candidates,
)
from safeguard.people.services import break_glass_open
from safeguard.people.services import child_seal as child_seal_service

_SEARCH_KEY = "child_searches"


@require_http_methods(["GET", "POST"])
def child_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role not in STAFF_ROLES:
        # A partner agency user searches nobody: their pages are their agency's referrals.
        raise PermissionDenied
    if request.method == "POST":
        search = ChildSearchForm(request.POST)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        return HttpResponseRedirect(
            f"{reverse('people:child_list')}?search={search_remember(request, _SEARCH_KEY, query)}"
        )
    token = request.GET.get("search", "")
    query = search_recall(request, _SEARCH_KEY, token)
    form = ChildSearchForm(initial={"q": query})
    page = child_search(user=request.user, query=query, page_number=request.GET.get("page"), request=request)
    return render(
        request,
        "people/child_list.html",
        {
            "search_form": form,
            "query": query,
            "search_token": token if query else "",
            "page": page,
            "can_add": can_add_child(request.user),
            "can_break_glass": can_break_glass(request.user),
        },
    )


@require_GET
def child_detail(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_user(user=request.user, child_id=child_id, request=request)
    return render(
        request,
        "people/child_detail.html",
        {
            "child": child,
            "history": child_history(user=request.user, child=child),
            "can_review_access": can_review_access(request.user, child),
            "can_seal": can_seal(request.user, child) and not child.is_sealed,
            "can_hold": request.user.role in RECORDS_ROLES,
            "can_merge": can(request.user, Action.MERGE, child),
            "can_edit_census": can(request.user, Action.EDIT, child),
        },
    )


@require_GET
def child_access_log(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    child, entries = child_access_history(user=request.user, child_id=child_id, request=request)
    return render(
        request,
        "people/child_access_log.html",
        {
            "child": child,
            "entries": entries[:500],
            "back_url": reverse("people:child_detail", args=[child.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def break_glass(request: AuthenticatedRequest) -> HttpResponse:
    if not can_break_glass(request.user):
        raise PermissionDenied

    def open_record(data: dict[str, Any]) -> BreakGlassGrant:
        child = child_find_for_break_glass(user=request.user, la_child_id=data["la_child_id"])
        if child is None:
            raise ValidationError(
                {"la_child_id": "No child has that local child identifier: check it and try again"}
            )
        return break_glass_open(actor=request.user, person=child, reason=data["reason"])

    return form_page(
        request,
        BreakGlassForm(posted(request), user=request.user),
        template="people/break_glass.html",
        save=open_record,
        then=lambda grant: _child_url(grant.person),
        success=lambda grant: (
            f"You have emergency access to this record until {govuk_datetime(grant.expires_at)}. "
            "Your reason has been recorded and the child's managers have been told."
        ),
        context={"back_url": reverse("people:child_list")},
    )


def _child_url(child: Person) -> str:
    return reverse("people:child_detail", args=[child.pk])


def _require_add(request: AuthenticatedRequest) -> None:
    if not can_add_child(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def add_child_step(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    _require_add(request)
    return journeys.journey_step(request, ADD_CHILD, slug)


@require_http_methods(["GET", "POST"])
def add_child_check(request: AuthenticatedRequest) -> HttpResponse:
    _require_add(request)
    return journeys.journey_check(request, ADD_CHILD)


@require_GET
def add_child_done(request: AuthenticatedRequest) -> HttpResponse:
    _require_add(request)
    return journeys.journey_done(request, ADD_CHILD)


@require_http_methods(["POST"])
def add_child_start_again(request: AuthenticatedRequest) -> HttpResponse:
    _require_add(request)
    return journeys.journey_start_again(request, ADD_CHILD)


def _refuse(request: AuthenticatedRequest, child: Person, reason: str) -> NoReturn:
    refuse(
        user=request.user,
        what=AccessKind.CHILD,
        instance=child,
        child_id=child.pk,
        reason=reason,
        request=request,
    )


@require_http_methods(["GET", "POST"])
def child_seal(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_user(user=request.user, child_id=child_id, request=request)
    if not can_seal(request.user, child):
        _refuse(request, child, "the user may not seal this record")
    form = SealForm(posted(request), candidates=seal_candidates(child=child, exclude=request.user))
    return form_page(
        request,
        form,
        template="people/child_seal.html",
        save=lambda data: child_seal_service(
            actor=request.user, child=child, reason=data["reason"], named_users=form.chosen_users()
        ),
        then=_child_url(child),
        success="The record is sealed. Only the people you named can find it.",
        context={"child": child, "back_url": _child_url(child)},
    )
