"""The child protection plan's pages: the plan as the family reads it (on screen, printed
and as PDF), its outcomes, core group meetings and its ending. (The family's own copy,
through their link, is in external_views.)"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import Action
from safeguard.casework.documents import pdf_response
from safeguard.casework.models import ChildProtectionPlan
from safeguard.conferences import forms, plans
from safeguard.design_system.pages import form_page, posted
from safeguard.people.permissions import can


def _plan_url(plan: ChildProtectionPlan | Any) -> str:
    return reverse("conferences:plan", args=[plan.pk if hasattr(plan, "pk") else plan])


def plan_context(plan: ChildProtectionPlan) -> dict[str, Any]:
    return {"view": plans.plan_view(plan), "today": timezone.localdate()}


@require_GET
def plan(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    cp_plan = plans.plan_get_for_user(user=request.user, plan_id=plan_id, request=request)
    return render(
        request,
        "conferences/plan.html",
        {
            **plan_context(cp_plan),
            "may_edit": cp_plan.is_open and can(request.user, Action.EDIT, cp_plan.child),
            "child": cp_plan.child,
        },
    )


@require_GET
def plan_pdf(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    cp_plan = plans.plan_get_for_user(user=request.user, plan_id=plan_id, request=request)
    return pdf_response(
        template="conferences/plan_pdf.html",
        context=plan_context(cp_plan),
        filename="child-protection-plan.pdf",
    )


def _editable(request: AuthenticatedRequest, plan_id: uuid.UUID) -> ChildProtectionPlan:
    return plans.plan_get_for_user(user=request.user, plan_id=plan_id, action=Action.EDIT, request=request)


@require_http_methods(["GET", "POST"])
def outcome_new(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    cp_plan = _editable(request, plan_id)
    if not cp_plan.is_open:
        return HttpResponseRedirect(_plan_url(cp_plan))
    return form_page(
        request,
        forms.OutcomeForm(posted(request)),
        template="conferences/plan_outcome.html",
        save=lambda data: plans.plan_outcome_add(actor=request.user, plan=cp_plan, values=data),
        then=_plan_url(cp_plan),
        success="The outcome is added to the plan.",
        context={"plan": cp_plan, "child": cp_plan.child, "back_url": _plan_url(cp_plan)},
    )


@require_http_methods(["GET", "POST"])
def core_group_new(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    cp_plan = _editable(request, plan_id)
    if not cp_plan.is_open:
        return HttpResponseRedirect(_plan_url(cp_plan))
    return form_page(
        request,
        forms.CoreGroupForm(posted(request)),
        template="conferences/core_group.html",
        save=lambda data: plans.core_group_record(actor=request.user, plan=cp_plan, **data),
        then=_plan_url(cp_plan),
        success="The core group meeting is recorded.",
        context={"plan": cp_plan, "child": cp_plan.child, "back_url": _plan_url(cp_plan)},
    )


@require_http_methods(["GET", "POST"])
def plan_end(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    cp_plan = _editable(request, plan_id)
    if not cp_plan.is_open:
        return HttpResponseRedirect(_plan_url(cp_plan))
    return form_page(
        request,
        forms.PlanEndForm(posted(request)),
        template="conferences/plan_end.html",
        save=lambda data: plans.cp_plan_close(
            actor=request.user,
            plan=cp_plan,
            end_date=data["end_date"],
            reason=data["reason"],
            detail=data["detail"],
            step_down=data["step_down"] == "yes",
        ),
        then=_plan_url(cp_plan),
        success=lambda ending: (
            "The plan has ended and a child in need plan has started."
            if ending.stepped_down_to_cin
            else "The plan has ended."
        ),
        context={"plan": cp_plan, "child": cp_plan.child, "back_url": _plan_url(cp_plan)},
    )
