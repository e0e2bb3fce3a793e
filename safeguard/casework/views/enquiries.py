"""Strategy discussion and section 47 pages."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessKind
from safeguard.casework import forms
from safeguard.casework.clocks import running_clock_due
from safeguard.casework.models import ClockKind
from safeguard.casework.selectors import (
    section_47_get_for_user,
    strategy_discussion_get_for_user,
)
from safeguard.casework.services import enquiries
from safeguard.casework.views.common import episode_to_record_on, episode_url, late_hint
from safeguard.core.entry_checks import EntryTarget
from safeguard.design_system.pages import form_page, posted


@require_http_methods(["GET", "POST"])
def strategy_discussion(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_to_record_on(request, episode_id, AccessKind.STRATEGY_DISCUSSION)
    form = forms.StrategyDiscussionForm(
        posted(request), entry=EntryTarget(child_id=episode.child_id, episode_id=episode.pk)
    )
    late_hint(form, running_clock_due(episode, ClockKind.STRATEGY_DISCUSSION), "the discussion")
    return form_page(
        request,
        form,
        template="casework/strategy_discussion.html",
        save=lambda data: enquiries.strategy_discussion_record(
            actor=request.user,
            episode=episode,
            held_on=data["held_on"],
            agencies=data["agencies"],
            information_shared=data["information_shared"],
            safety_actions=data["safety_actions"],
            start_section_47=data["start_section_47"] == "yes",
            late_reason=data["late_reason"],
        ),
        then=episode_url(episode.pk),
        success="The strategy discussion is recorded.",
        context={"episode": episode, "back_url": episode_url(episode.pk)},
    )


@require_http_methods(["GET", "POST"])
def section_47_outcome(request: AuthenticatedRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    enquiry = section_47_get_for_user(
        user=request.user, enquiry_id=enquiry_id, action=Action.EDIT, request=request
    )
    episode = enquiry.episode
    return form_page(
        request,
        forms.Section47OutcomeForm(posted(request)),
        template="casework/section_47_outcome.html",
        save=lambda data: enquiries.section_47_outcome_record(
            actor=request.user, enquiry=enquiry, outcome=data["outcome"]
        ),
        then=episode_url(episode.pk),
        success="The outcome of the enquiry is recorded.",
        context={"episode": episode, "enquiry": enquiry, "back_url": episode_url(episode.pk)},
    )


@require_http_methods(["GET", "POST"])
def strategy_record(request: AuthenticatedRequest, discussion_id: uuid.UUID) -> HttpResponse:
    """Say when the record of a strategy discussion went to the agencies (meets its clock)."""
    discussion = strategy_discussion_get_for_user(
        user=request.user, discussion_id=discussion_id, action=Action.EDIT, request=request
    )
    episode = discussion.episode
    form = forms.StrategyRecordForm(posted(request), initial={"circulated_on": timezone.localdate()})
    return form_page(
        request,
        form,
        template="casework/strategy_record.html",
        save=lambda data: enquiries.strategy_record_circulate(
            actor=request.user,
            discussion=discussion,
            on=data["circulated_on"],
            late_reason=data["late_reason"],
        ),
        then=episode_url(episode.pk),
        success="The record of the strategy discussion is marked as sent.",
        context={"episode": episode, "discussion": discussion, "back_url": episode_url(episode.pk)},
    )
