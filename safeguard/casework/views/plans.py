"""Child in need plan pages: start or end the plan, record a review."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.audit.models import AccessKind
from safeguard.casework import forms
from safeguard.casework.clocks import running_clock_due
from safeguard.casework.models import ClockKind
from safeguard.casework.services import plans
from safeguard.casework.views.common import episode_to_record_on, episode_url, late_hint
from safeguard.core.entry_checks import EntryTarget
from safeguard.design_system.pages import form_page, posted


@require_http_methods(["GET", "POST"])
def cin_plan(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Start the episode's child in need plan, or end the open one."""
    episode = episode_to_record_on(request, episode_id, AccessKind.PLAN)
    current = episode.cin_plans.filter(end_date__isnull=True).first()
    form = forms.PlanDateForm(
        posted(request),
        initial={"on": timezone.localdate()},
        ending=current is not None,
        entry=EntryTarget(
            child_id=episode.child_id, episode_id=episode.pk, record_id=current.pk if current else None
        ),
    )
    return form_page(
        request,
        form,
        template="casework/cin_plan.html",
        save=lambda data: (
            plans.cin_plan_start(actor=request.user, episode=episode, start_date=data["on"])
            if current is None
            else plans.cin_plan_end(actor=request.user, plan=current, end_date=data["on"])
        ),
        then=episode_url(episode.pk),
        success="The child in need plan is updated.",
        context={
            "episode": episode,
            "current": current,
            "back_url": episode_url(episode.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def cin_plan_review(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_to_record_on(request, episode_id, AccessKind.PLAN)
    plan = episode.cin_plans.order_by("-start_date").first()
    if plan is None:
        raise Http404("No child in need plan")
    form = forms.CINPlanReviewForm(posted(request))
    late_hint(form, running_clock_due(episode, ClockKind.CIN_REVIEW), "the review")
    return form_page(
        request,
        form,
        template="casework/cin_plan_review.html",
        # The form's fields are the service's arguments: held_on, summary, late_reason.
        save=lambda data: plans.cin_plan_review_record(actor=request.user, plan=plan, **data),
        then=episode_url(episode.pk),
        success="The review is recorded.",
        context={"episode": episode, "back_url": episode_url(episode.pk)},
    )
