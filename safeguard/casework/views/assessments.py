"""Assessment pages: start, task list, sections and autosave, details, submission, authorisation, PDF."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessAction, AccessKind
from safeguard.casework import forms
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS, SECTION_KEYS
from safeguard.casework.clocks import assessment_clock
from safeguard.casework.documents import pdf_response
from safeguard.casework.models import Assessment, AssessmentSection, AssessmentStatus
from safeguard.casework.selectors import (
    assessment_authorise_refusal,
    assessment_get_for_user,
    assessment_missing,
)
from safeguard.casework.services import assessments
from safeguard.casework.views.common import episode_to_record_on, episode_url
from safeguard.core.codes import AssessmentFactor
from safeguard.core.entry_checks import EntryTarget
from safeguard.design_system.formatting import govuk_date
from safeguard.design_system.pages import add_service_errors, form_action, form_page, posted
from safeguard.people.permissions import can


@require_http_methods(["GET", "POST"])
def assessment_start(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_to_record_on(request, episode_id, AccessKind.ASSESSMENT)
    form = forms.AssessmentStartForm(
        posted(request), entry=EntryTarget(child_id=episode.child_id, episode_id=episode.pk)
    )
    return form_page(
        request,
        form,
        template="casework/assessment_start.html",
        save=lambda data: assessments.assessment_start(
            actor=request.user, episode=episode, start_date=data["start_date"]
        ),
        then=lambda made: reverse("casework:assessment", args=[made.pk]),
        context={"episode": episode, "back_url": episode_url(episode.pk)},
    )


def _section_texts(assessment_id: uuid.UUID) -> dict[str, AssessmentSection]:
    return {s.key: s for s in AssessmentSection.objects.filter(assessment_id=assessment_id)}


@require_GET
def assessment(request: AuthenticatedRequest, assessment_id: uuid.UUID) -> HttpResponse:
    item = assessment_get_for_user(user=request.user, assessment_id=assessment_id, request=request)
    sections = _section_texts(item.pk)
    tasks = [
        {
            "title": title,
            "href": reverse("casework:assessment_section", args=[item.pk, key]),
            "done": bool(sections.get(key) and sections[key].text.strip()),
            # A section can be read once it can no longer be changed.
            "readable": True,
        }
        for key, title, _hint in ASSESSMENT_SECTIONS
    ]
    details_done = bool(item.child_seen_date and item.factors and item.outcome)
    tasks.append(
        {
            "title": "Dates seen, factors and outcome",
            "href": reverse("casework:assessment_details", args=[item.pk]),
            "done": details_done,
            "readable": False,
        }
    )
    user = request.user
    refusal = (
        assessment_authorise_refusal(actor=user, assessment=item)
        if item.status == AssessmentStatus.SUBMITTED and can(user, Action.AUTHORISE, item.episode.child)
        else None
    )
    return render(
        request,
        "casework/assessment.html",
        {
            "assessment": item,
            "episode": item.episode,
            "tasks": tasks,
            "missing": assessment_missing(item),
            "may_edit": item.status == AssessmentStatus.IN_PROGRESS
            and can(user, Action.EDIT, item.episode.child),
            "may_authorise": item.status == AssessmentStatus.SUBMITTED
            and can(user, Action.AUTHORISE, item.episode.child)
            and refusal is None,
            "authorise_refusal": refusal,
            "back_url": episode_url(item.episode_id),
        },
    )


def _section_title(key: str) -> tuple[str, str]:
    for section_key, title, hint in ASSESSMENT_SECTIONS:
        if section_key == key:
            return title, hint
    raise Http404("No such section")


def _new_edit() -> str:
    """A fresh token for one drawing of a section's editing page."""
    return uuid.uuid4().hex


def _conflict_message(clash: assessments.EditConflict, user: User) -> str:
    if clash.section.modified_by_id == user.pk:
        return (
            "You saved this section in another window or tab while this page was open. Your "
            "words here are below what you saved there: copy what you need, then save again."
        )
    return (
        "Someone else saved this section while you were editing it. Your words are below "
        "theirs: copy what you need, then save again."
    )


class _NoLongerEditable(Exception):
    """The assessment was sent for authorisation while the section's page was open."""

    def __init__(self, error: ValidationError, text: str) -> None:
        super().__init__(error.messages)
        self.error = error
        self.text = text


@require_http_methods(["GET", "POST"])
def assessment_section(request: AuthenticatedRequest, assessment_id: uuid.UUID, key: str) -> HttpResponse:
    """One written section: editable while the assessment is in progress, read-only after."""
    title, hint = _section_title(key)
    posting = request.method == "POST"
    item = assessment_get_for_user(
        user=request.user,
        assessment_id=assessment_id,
        action=Action.EDIT if posting else Action.VIEW,
        request=request,
    )
    section = _section_texts(item.pk).get(key)
    conflict: list[AssessmentSection] = []
    form = forms.SectionForm(
        posted(request),
        initial={
            "text": section.text if section else "",
            "version": section.version if section else 0,
            "edit": _new_edit(),
        },
    )
    context = {
        "assessment": item,
        "title": title,
        "hint": hint,
        "key": key,
        "saved": section,
        "back_url": reverse("casework:assessment", args=[item.pk]),
    }

    def editable() -> bool:
        return item.status == AssessmentStatus.IN_PROGRESS and can(
            request.user, Action.EDIT, item.episode.child
        )

    def read_only(unsaved: str = "") -> HttpResponse:
        # Sent for authorisation (or not this user's to change): the words as they stand,
        # and anything just typed shown back so it is not lost.
        return render(
            request,
            "casework/assessment_section_read.html",
            {**context, "form": form if form.errors else None, "unsaved": unsaved},
            status=409 if posting else 200,
        )

    def save(data: dict[str, Any]) -> AssessmentSection:
        try:
            return assessments.assessment_section_save(
                actor=request.user,
                assessment=item,
                key=key,
                text=data["text"],
                based_on_version=data["version"],
                edit=data["edit"],
            )
        except assessments.EditConflict as clash:
            conflict.append(clash.section)
            # The page now shows the newer words, so saving again is based on them: a new
            # edit from their version, or the user could never get past the conflict.
            newer = request.POST.copy()
            newer["version"] = str(clash.section.version)
            newer["edit"] = _new_edit()
            form.data = newer
            raise ValidationError({"text": _conflict_message(clash, request.user)}) from None
        except ValidationError as error:
            item.refresh_from_db(fields=["status"])
            if editable():
                raise
            raise _NoLongerEditable(error, data["text"]) from error

    if not editable() and (not posting or not form.is_valid()):
        return read_only()
    try:
        return form_page(
            request,
            form,
            template="casework/assessment_section.html",
            save=save,
            then=reverse("casework:assessment", args=[item.pk]),
            context=lambda: {
                **context,
                "conflict": conflict[0] if conflict else None,
                "autosave_url": reverse("casework:assessment_autosave", args=[item.pk, key]),
            },
        )
    except _NoLongerEditable as refused:
        add_service_errors(form, refused.error)
        return read_only(refused.text)


@require_POST
def assessment_autosave(request: AuthenticatedRequest, assessment_id: uuid.UUID, key: str) -> JsonResponse:
    """Called by the page every 30 seconds and when the box loses focus: saves the draft.

    The answer carries the new version, which the page sends with its next save.
    """
    if key not in SECTION_KEYS:
        raise Http404("No such section")
    item = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, action=Action.EDIT, request=request
    )
    form = forms.SectionForm(request.POST)
    if not form.is_valid():
        return JsonResponse(
            {"error": " ".join(str(e) for errs in form.errors.values() for e in errs)}, status=422
        )
    try:
        section = assessments.assessment_section_save(
            actor=request.user,
            assessment=item,
            key=key,
            text=form.cleaned_data["text"],
            based_on_version=form.cleaned_data["version"],
            edit=form.cleaned_data["edit"],
        )
    except assessments.EditConflict as clash:
        who = (
            "You saved this section in another window or tab"
            if clash.section.modified_by_id == request.user.pk
            else "Someone else has saved this section"
        )
        # No version back: the page must not overwrite words its user has not seen.
        return JsonResponse(
            {
                "error": f"Not saved. {who}. Your words are still in the box: select "
                "'Save and return' to see both versions.",
                "conflict": True,
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages), "closed": True}, status=409)
    saved = timezone.localtime(section.modified_at)
    return JsonResponse({"version": section.version, "saved_at": f"{saved:%H:%M:%S}"})


@require_http_methods(["GET", "POST"])
def assessment_details(request: AuthenticatedRequest, assessment_id: uuid.UUID) -> HttpResponse:
    item = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, action=Action.EDIT, request=request
    )
    initial = {
        "child_seen_date": item.child_seen_date,
        "child_seen_alone": {True: "yes", False: "no"}.get(item.child_seen_alone)
        if item.child_seen_alone is not None
        else "",
        "internal_review_date": item.internal_review_date,
        "factors": item.factors,
        "outcome": item.outcome,
    }
    target = EntryTarget(child_id=item.episode.child_id, episode_id=item.episode_id, record_id=item.pk)
    form = forms.AssessmentDetailsForm(posted(request), initial=initial, entry=target)
    return form_page(
        request,
        form,
        template="casework/assessment_details.html",
        save=lambda data: assessments.assessment_record_details(
            actor=request.user,
            assessment=item,
            fields={
                "child_seen_date": data["child_seen_date"],
                "child_seen_alone": {"yes": True, "no": False}.get(data["child_seen_alone"]),
                "internal_review_date": data["internal_review_date"],
                "factors": data["factors"],
                "outcome": data["outcome"],
            },
        ),
        then=reverse("casework:assessment", args=[item.pk]),
        context={"assessment": item, "back_url": reverse("casework:assessment", args=[item.pk])},
    )


@require_POST
def assessment_submit(request: AuthenticatedRequest, assessment_id: uuid.UUID) -> HttpResponse:
    item = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, action=Action.EDIT, request=request
    )
    back = reverse("casework:assessment", args=[item.pk])

    def save(_data: dict[str, Any]) -> Assessment:
        try:
            return assessments.assessment_submit(actor=request.user, assessment=item, on=timezone.localdate())
        except ValidationError as error:
            raise ValidationError("The assessment is not complete: " + "; ".join(error.messages)) from error

    return form_action(
        request,
        None,
        save=save,
        then=back,
        back=back,
        success="The assessment has been sent to your manager to authorise.",
    )


@require_http_methods(["GET", "POST"])
def assessment_authorise(request: AuthenticatedRequest, assessment_id: uuid.UUID) -> HttpResponse:
    item = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, action=Action.AUTHORISE, request=request
    )
    form = forms.AuthoriseForm(
        posted(request),
        initial={"authorised_on": timezone.localdate()},
        entry=EntryTarget(child_id=item.episode.child_id, episode_id=item.episode_id, record_id=item.pk),
    )
    clock = assessment_clock(item)
    if clock is None or clock.due_date >= timezone.localdate():
        # Not late on any date that can be chosen (the date cannot be in the future).
        del form.fields["late_reason"]
    else:
        form.fields[
            "late_reason"
        ].help_text = f"It was due on {govuk_date(clock.due_date)}, 45 working days after it started."
    return form_page(
        request,
        form,
        template="casework/assessment_authorise.html",
        save=lambda data: assessments.assessment_authorise(
            actor=request.user,
            assessment=item,
            on=data["authorised_on"],
            late_reason=data.get("late_reason", ""),
        ),
        then=episode_url(item.episode_id),
        success="The assessment is authorised.",
        context={
            "assessment": item,
            "refusal": assessment_authorise_refusal(actor=request.user, assessment=item),
            "back_url": reverse("casework:assessment", args=[item.pk]),
        },
    )


@require_GET
def assessment_pdf(request: AuthenticatedRequest, assessment_id: uuid.UUID) -> HttpResponse:
    item = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, request=request, access=AccessAction.DOWNLOAD
    )
    texts = _section_texts(item.pk)
    sections = [(title, texts[key].text if key in texts else "") for key, title, _hint in ASSESSMENT_SECTIONS]
    sections += [
        ("Date the child was seen", govuk_date(item.child_seen_date)),
        ("Factors identified", ", ".join(dict(AssessmentFactor.choices).get(f, f) for f in item.factors)),
        ("Outcome", item.get_outcome_display()),
    ]
    # Who did the work and who signed it off: the record of the four-eyes check on paper.
    worker = item.submitted_by or item.episode.worker or item.created_by
    return pdf_response(
        template="casework/document.html",
        context={
            "title": "Child and family assessment",
            "child": item.episode.child,
            "summary": [
                ("Started", govuk_date(item.start_date)),
                ("Status", item.get_status_display()),
                ("Assessing worker", worker.display_name if worker else ""),
                (
                    "Sent for authorisation",
                    govuk_date(item.submitted_date) if item.submitted_date else "",
                ),
                (
                    "Manager's sign-off",
                    f"Authorised by {item.authorised_by.display_name} on {govuk_date(item.authorised_date)}"
                    if item.authorised_by and item.authorised_date
                    else "",
                ),
            ],
            "sections": sections,
            "printed": timezone.localdate(),
            "printed_by": request.user.display_name,
        },
        filename="assessment.pdf",
    )
