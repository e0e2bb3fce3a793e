"""A partner agency user's pages: make a referral, and see what happened to their
organisation's referrals. Every other user is refused (403); a partner account not yet
linked to an agency is told so, and can do nothing else."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.models import Role
from safeguard.design_system import journey as journeys
from safeguard.frontdoor.journeys import PARTNER_REFERRAL
from safeguard.frontdoor.models import PartnerAgency
from safeguard.frontdoor.partner_selectors import (
    partner_agency_for,
    partner_referral_get,
    partner_referral_list,
)


def _require_partner(request: AuthenticatedRequest) -> None:
    if request.user.role != Role.PARTNER_AGENCY:
        raise PermissionDenied


def _agency_or_none(request: AuthenticatedRequest) -> PartnerAgency | None:
    _require_partner(request)
    return partner_agency_for(request.user)


def _not_linked() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("frontdoor:partner_referrals"))


@require_GET
def referrals(request: AuthenticatedRequest) -> HttpResponse:
    agency = _agency_or_none(request)
    rows = partner_referral_list(user=request.user, agency=agency, request=request) if agency else []
    return render(request, "frontdoor/partner/referrals.html", {"agency": agency, "referrals": rows})


@require_GET
def referral_detail(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    # Addressed by a contact's key: to anyone but its own agency's users, no such page.
    agency = partner_agency_for(request.user)
    if agency is None:
        raise Http404("No referral with that key from your organisation")
    referral = partner_referral_get(user=request.user, agency=agency, contact_id=contact_id, request=request)
    return render(request, "frontdoor/partner/referral_detail.html", {"agency": agency, "referral": referral})


@require_GET
def referral_start(request: AuthenticatedRequest) -> HttpResponse:
    agency = _agency_or_none(request)
    if agency is None:
        return _not_linked()
    first = PARTNER_REFERRAL.url("step", slug=PARTNER_REFERRAL.steps[0].slug)
    return render(request, "frontdoor/partner/referral_start.html", {"agency": agency, "first_step": first})


@require_http_methods(["GET", "POST"])
def referral_step(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    if _agency_or_none(request) is None:
        return _not_linked()
    if slug not in {step.slug for step in PARTNER_REFERRAL.steps}:
        return HttpResponseRedirect(PARTNER_REFERRAL.url("step", slug=PARTNER_REFERRAL.steps[0].slug))
    return journeys.journey_step(request, PARTNER_REFERRAL, slug)


@require_http_methods(["GET", "POST"])
def referral_check(request: AuthenticatedRequest) -> HttpResponse:
    if _agency_or_none(request) is None:
        return _not_linked()
    return journeys.journey_check(request, PARTNER_REFERRAL)


@require_GET
def referral_done(request: AuthenticatedRequest) -> HttpResponse:
    if _agency_or_none(request) is None:
        return _not_linked()
    return journeys.journey_done(request, PARTNER_REFERRAL)


@require_POST
def referral_start_again(request: AuthenticatedRequest) -> HttpResponse:
    if _agency_or_none(request) is None:
        return _not_linked()
    return journeys.journey_start_again(request, PARTNER_REFERRAL)
