"""Visits, case notes and the chronology (and its PDF)."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessAction, AccessKind
from safeguard.casework import forms
from safeguard.casework.clocks import visit_due
from safeguard.casework.documents import pdf_response
from safeguard.casework.models import VisitKind
from safeguard.casework.selectors import chronology_for
from safeguard.casework.services import recording
from safeguard.casework.views.common import episode_to_record_on, episode_url
from safeguard.design_system.formatting import govuk_date
from safeguard.design_system.pages import form_page, posted
from safeguard.people.access import child_read
from safeguard.people.permissions import can


@require_http_methods(["GET", "POST"])
def visit_new(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_to_record_on(request, episode_id, AccessKind.VISIT)
    form = forms.VisitForm(posted(request))
    due = [
        (label, clock.due_date)
        for label, clock in (
            ("child protection", visit_due(episode, VisitKind.CP)),
            ("child in need", visit_due(episode, VisitKind.CIN)),
        )
        if clock is not None
    ]
    if due:
        form.fields["late_reason"].help_text = "Only if it was after its due date: " + "; ".join(
            f"the next {label} visit is due by {govuk_date(day)}" for label, day in due
        )
    return form_page(
        request,
        form,
        template="casework/visit_new.html",
        save=lambda data: recording.visit_record(
            actor=request.user,
            episode=episode,
            visit_date=data["visit_date"],
            kind=data["kind"],
            child_seen=data["child_seen"] == "yes",
            child_seen_alone={"yes": True, "no": False}.get(data["child_seen_alone"]),
            observations=data["observations"],
            late_reason=data["late_reason"],
        ),
        then=episode_url(episode.pk),
        success="The visit is recorded.",
        context={"episode": episode, "back_url": episode_url(episode.pk)},
    )


@require_http_methods(["GET", "POST"])
def note_new(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_to_record_on(request, episode_id, AccessKind.CASE_NOTE)
    form = forms.CaseNoteForm(posted(request), initial={"written_on": timezone.localdate()})
    return form_page(
        request,
        form,
        template="casework/note_new.html",
        save=lambda data: recording.case_note_add(
            actor=request.user, episode=episode, written_on=data["written_on"], text=data["text"]
        ),
        then=episode_url(episode.pk),
        success="The note is saved.",
        context={"episode": episode, "back_url": episode_url(episode.pk)},
    )


@require_GET
def chronology(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    child, lines = chronology_for(user=request.user, child_id=child_id, request=request)
    return render(
        request,
        "casework/chronology.html",
        {
            "child": child,
            "lines": lines,
            "may_add": can(request.user, Action.EDIT, child),
            "back_url": reverse("people:child_detail", args=[child.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def chronology_new(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_read(
        user=request.user,
        child_id=child_id,
        what=AccessKind.CHRONOLOGY_ENTRY_FORM,
        request=request,
        scope=Action.EDIT,
    )
    form = forms.ChronologyEntryForm(posted(request))
    back = reverse("casework:chronology", args=[child.pk])
    return form_page(
        request,
        form,
        template="casework/chronology_new.html",
        # The form's fields are the service's arguments: happened_on, event, source, analysis.
        save=lambda data: recording.chronology_entry_add(actor=request.user, child=child, **data),
        then=back,
        context={"child": child, "back_url": back},
    )


@require_GET
def chronology_pdf(request: AuthenticatedRequest, child_id: uuid.UUID) -> HttpResponse:
    child, lines = chronology_for(
        user=request.user, child_id=child_id, request=request, access=AccessAction.DOWNLOAD
    )
    return pdf_response(
        template="casework/document.html",
        context={
            "title": "Chronology",
            "child": child,
            "sections": [],
            "lines": lines,
            "printed": timezone.localdate(),
            "printed_by": request.user.display_name,
        },
        filename="chronology.pdf",
    )
