from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.design_system import journey as journeys
from safeguard.people.forms import ChildSearchForm
from safeguard.people.journeys import ADD_CHILD
from safeguard.people.permissions import can_add_child
from safeguard.people.selectors import child_get_for_user, child_search


@require_GET
def child_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ChildSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = child_search(user=request.user, query=query, page_number=request.GET.get("page"))
    return render(
        request,
        "people/child_list.html",
        {"search_form": form, "query": query, "page": page, "can_add": can_add_child(request.user)},
    )


@require_GET
def child_detail(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_get_for_user(user=request.user, child_id=child_id, request=request)
    return render(request, "people/child_detail.html", {"child": child})


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
