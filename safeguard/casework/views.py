"""Casework pages: the episode, allocation, assessment, strategy discussion, closure, clocks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.models import Team, User
from safeguard.accounts.policy import FRONT_DOOR_ROLES, Action, Scope, scope_for
from safeguard.audit.models import AccessAction, AccessKind
from safeguard.casework import forms, services
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS, SECTION_KEYS
from safeguard.casework.documents import pdf_response
from safeguard.casework.models import (
    AssessmentSection,
    AssessmentStatus,
    CINEpisode,
    ClockKind,
    StatutoryClock,
    VisitKind,
)
from safeguard.casework.selectors import (
    CP_PLAN_WEIGHT,
    WorkerCaseload,
    assessment_get_for_user,
    chronology_for,
    clock_board,
    episode_get_for_user,
    receiving_team_for,
    receiving_teams,
    section_47_get_for_user,
    strategy_discussion_get_for_user,
    team_caseloads,
)
from safeguard.core.codes import AssessmentFactor
from safeguard.design_system.formatting import govuk_date
from safeguard.people.access import child_read
from safeguard.people.permissions import can


def _posted(request: AuthenticatedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _episode_url(episode_id: uuid.UUID) -> str:
    return reverse("casework:episode_detail", args=[episode_id])


def _late_hint(form: Form, due: dt.date | None, what: str) -> None:
    if due is not None:
        form.fields[
            "late_reason"
        ].help_text = f"Only if it was after its due date: {what} was due by {govuk_date(due)}."


def _add_errors(form: Form, error: ValidationError) -> None:
    # A missing reason for lateness belongs beside the box that asks for it.
    field = (
        "late_reason"
        if isinstance(error, services.LateReasonNeeded) and "late_reason" in form.fields
        else None
    )
    for message in error.messages:
        form.add_error(field, message)


def _save_or_none(
    request: AuthenticatedRequest,
    form: Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    then: Callable[[Any], str],
) -> HttpResponse | None:
    """On a valid POST, call the service; its errors become form errors (nothing typed is
    lost), success redirects. Returns None when the page should be shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error)
        return None
    if success:
        messages.success(request, success)
    return HttpResponseRedirect(then(result))


@require_GET
def episode_detail(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_get_for_user(user=request.user, episode_id=episode_id, request=request)
    today = timezone.localdate()
    clocks = StatutoryClock.objects.filter(episode=episode).order_by("met_date", "due_date")
    user = request.user
    return render(
        request,
        "casework/episode_detail.html",
        {
            "episode": episode,
            "clocks": clocks,
            "today": today,
            "assessments": episode.assessments.all(),
            "discussions": episode.strategy_discussions.all(),
            "enquiries": episode.section_47s.all(),
            "visits": episode.visits.all()[:20],
            "notes": episode.notes.select_related("created_by")[:20],
            "may_edit": episode.is_open and can(user, Action.EDIT, episode.child),
            "may_allocate": episode.is_open
            and can(user, Action.AUTHORISE, episode.child)
            and not _may_send(user, episode),
            "may_send": _may_send(user, episode),
            "may_transfer": episode.is_open
            and _may_transfer(user)
            and can(user, Action.AUTHORISE, episode.child),
            "back_url": reverse("people:child_detail", args=[episode.child_id]),
        },
    )


def _caseload_label(load: WorkerCaseload) -> str:
    """What the manager weighs when allocating: how much the worker holds for their hours."""
    over = " - over policy" if load.over_policy else ""
    return (
        f"{load.worker.display_name} ({load.worker.team.name if load.worker.team else 'no team'}): "
        f"{load.open_cases} {'child' if load.open_cases == 1 else 'children'}, "
        f"weighted caseload {load.weighted:g} "
        f"against {load.capacity:g} for their hours{over}"
    )


@require_http_methods(["GET", "POST"])
def allocate(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_get_for_user(
        user=request.user, episode_id=episode_id, action=Action.AUTHORISE, request=request
    )
    teams = _allocation_teams(request.user, episode)
    loads = [load for _team, team_loads in team_caseloads(teams=teams) for load in team_loads]
    choices = [(str(c.worker.pk), _caseload_label(c)) for c in loads]
    form = forms.AllocateForm(_posted(request), workers=choices)
    done = _save_or_none(
        request,
        form,
        lambda data: services.episode_allocate(
            actor=request.user, episode=episode, worker=User.objects.get(pk=data["worker"])
        ),
        success="The case is allocated.",
        then=lambda _: _episode_url(episode.pk),
    )
    if done:
        return done
    return render(
        request,
        "casework/allocate.html",
        {
            "form": form,
            "episode": episode,
            "teams": teams,
            "has_workers": bool(choices),
            "cp_weight": CP_PLAN_WEIGHT,
            "back_url": _episode_url(episode.pk),
        },
    )


def _receiving_choices(exclude: Team | None) -> list[tuple[str, str]]:
    return [
        (str(t.pk), f"{t.name} ({t.get_kind_display().lower()})")
        for t in receiving_teams()
        if exclude is None or t.pk != exclude.pk
    ]


def _move_page(
    request: AuthenticatedRequest,
    episode: CINEpisode,
    form: Form,
    move: Callable[[Team, str], CINEpisode],
    *,
    heading: str,
    button: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        team = receiving_teams().get(pk=form.cleaned_data["team"])
        try:
            move(team, form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"The referral is now with {team.name}, for its manager to allocate.")
            return HttpResponseRedirect(_episode_url(episode.pk))
    return render(
        request,
        "casework/move.html",
        {
            "form": form,
            "episode": episode,
            "heading": heading,
            "button": button,
            "back_url": _episode_url(episode.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def send_to_team(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    """The front door sends a referral still with it to the team that will assess the child."""
    episode = episode_get_for_user(user=request.user, episode_id=episode_id, request=request)
    if request.user.role not in FRONT_DOOR_ROLES or not _may_send(request.user, episode):
        raise PermissionDenied
    default = receiving_team_for(child=episode.child)
    form = forms.SendToTeamForm(
        _posted(request),
        initial={"team": str(default.pk) if default else ""},
        teams=_receiving_choices(None),
    )
    return _move_page(
        request,
        episode,
        form,
        lambda team, reason: services.episode_send_to_team(
            actor=request.user, episode=episode, team=team, reason=reason
        ),
        heading="Send the referral to a team",
        button="Send the referral",
    )


@require_http_methods(["GET", "POST"])
def transfer(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    """A service manager moves the case to another team."""
    episode = episode_get_for_user(
        user=request.user, episode_id=episode_id, action=Action.AUTHORISE, request=request
    )
    if not _may_transfer(request.user):
        raise PermissionDenied
    form = forms.TransferForm(_posted(request), teams=_receiving_choices(episode.team))
    return _move_page(
        request,
        episode,
        form,
        lambda team, reason: services.episode_transfer(
            actor=request.user, episode=episode, team=team, reason=reason
        ),
        heading="Transfer the case to another team",
        button="Transfer the case",
    )


def _may_send(user: User, episode: CINEpisode) -> bool:
    return (
        user.role in FRONT_DOOR_ROLES
        and episode.is_open
        and episode.worker_id is None
        and services.is_with_front_door(user, episode)
    )


def _may_transfer(user: User) -> bool:
    return scope_for(user.role, Action.AUTHORISE) >= Scope.SERVICE


@require_http_methods(["GET", "POST"])
def assessment_start(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_get_for_user(
        user=request.user,
        episode_id=episode_id,
        action=Action.EDIT,
        request=request,
        what=AccessKind.ASSESSMENT,
    )
    form = forms.AssessmentStartForm(_posted(request))
    done = _save_or_none(
        request,
        form,
        lambda data: services.assessment_start(
            actor=request.user, episode=episode, start_date=data["start_date"]
        ),
        success="",
        then=lambda made: reverse("casework:assessment", args=[made.pk]),
    )
    if done:
        return done
    return render(
        request,
        "casework/assessment_start.html",
        {"form": form, "episode": episode, "back_url": _episode_url(episode.pk)},
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
        services.assessment_authorise_refusal(actor=user, assessment=item)
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
            "missing": services.assessment_missing(item),
            "may_edit": item.status == AssessmentStatus.IN_PROGRESS
            and can(user, Action.EDIT, item.episode.child),
            "may_authorise": item.status == AssessmentStatus.SUBMITTED
            and can(user, Action.AUTHORISE, item.episode.child)
            and refusal is None,
            "authorise_refusal": refusal,
            "back_url": _episode_url(item.episode_id),
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


def _conflict_message(clash: services.EditConflict, user: User) -> str:
    if clash.section.modified_by_id == user.pk:
        return (
            "You saved this section in another window or tab while this page was open. Your "
            "words here are below what you saved there: copy what you need, then save again."
        )
    return (
        "Someone else saved this section while you were editing it. Your words are below "
        "theirs: copy what you need, then save again."
    )


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
    conflict = None
    unsaved = ""
    form = forms.SectionForm(
        _posted(request),
        initial={
            "text": section.text if section else "",
            "version": section.version if section else 0,
            "edit": _new_edit(),
        },
    )
    if posting and form.is_valid():
        try:
            services.assessment_section_save(
                actor=request.user,
                assessment=item,
                key=key,
                text=form.cleaned_data["text"],
                based_on_version=form.cleaned_data["version"],
                edit=form.cleaned_data["edit"],
            )
        except services.EditConflict as clash:
            conflict = clash.section
            # The page now shows the newer words, so saving again is based on them: a new
            # edit from their version, or the user could never get past the conflict.
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            data["edit"] = _new_edit()
            form = forms.SectionForm(data)
            form.is_valid()
            form.add_error("text", _conflict_message(clash, request.user))
        except ValidationError as error:
            item.refresh_from_db(fields=["status"])
            unsaved = form.cleaned_data["text"]
            _add_errors(form, error)
        else:
            return HttpResponseRedirect(reverse("casework:assessment", args=[item.pk]))
    context = {
        "assessment": item,
        "title": title,
        "hint": hint,
        "key": key,
        "saved": section,
        "back_url": reverse("casework:assessment", args=[item.pk]),
    }
    editable = item.status == AssessmentStatus.IN_PROGRESS and can(
        request.user, Action.EDIT, item.episode.child
    )
    if not editable:
        # Sent for authorisation (or not this user's to change): the words as they stand,
        # and anything just typed shown back so it is not lost.
        return render(
            request,
            "casework/assessment_section_read.html",
            {**context, "form": form if form.errors else None, "unsaved": unsaved},
            status=409 if posting else 200,
        )
    return render(
        request,
        "casework/assessment_section.html",
        {
            **context,
            "form": form,
            "conflict": conflict,
            "autosave_url": reverse("casework:assessment_autosave", args=[item.pk, key]),
        },
    )


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
        section = services.assessment_section_save(
            actor=request.user,
            assessment=item,
            key=key,
            text=form.cleaned_data["text"],
            based_on_version=form.cleaned_data["version"],
            edit=form.cleaned_data["edit"],
        )
    except services.EditConflict as clash:
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
        "factors": item.factors,
        "outcome": item.outcome,
    }
    form = forms.AssessmentDetailsForm(_posted(request), initial=initial)
    done = _save_or_none(
        request,
        form,
        lambda data: services.assessment_record_details(
            actor=request.user,
            assessment=item,
            fields={
                "child_seen_date": data["child_seen_date"],
                "child_seen_alone": {"yes": True, "no": False}.get(data["child_seen_alone"]),
                "factors": data["factors"],
                "outcome": data["outcome"],
            },
        ),
        success="",
        then=lambda _: reverse("casework:assessment", args=[item.pk]),
    )
    if done:
        return done
    return render(
        request,
        "casework/assessment_details.html",
        {"form": form, "assessment": item, "back_url": reverse("casework:assessment", args=[item.pk])},
    )


@require_POST
def assessment_submit(request: AuthenticatedRequest, assessment_id: uuid.UUID) -> HttpResponse:
    item = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, action=Action.EDIT, request=request
    )
    try:
        services.assessment_submit(actor=request.user, assessment=item, on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, "The assessment is not complete: " + "; ".join(error.messages))
    else:
        messages.success(request, "The assessment has been sent to your manager to authorise.")
    return HttpResponseRedirect(reverse("casework:assessment", args=[item.pk]))


@require_http_methods(["GET", "POST"])
def assessment_authorise(request: AuthenticatedRequest, assessment_id: uuid.UUID) -> HttpResponse:
    item = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, action=Action.AUTHORISE, request=request
    )
    form = forms.AuthoriseForm(_posted(request), initial={"authorised_on": timezone.localdate()})
    clock = services.assessment_clock(item)
    if clock is None or clock.due_date >= timezone.localdate():
        # Not late on any date that can be chosen (the date cannot be in the future).
        del form.fields["late_reason"]
    else:
        form.fields[
            "late_reason"
        ].help_text = f"It was due on {govuk_date(clock.due_date)}, 45 working days after it started."
    done = _save_or_none(
        request,
        form,
        lambda data: services.assessment_authorise(
            actor=request.user,
            assessment=item,
            on=data["authorised_on"],
            late_reason=data.get("late_reason", ""),
        ),
        success="The assessment is authorised.",
        then=lambda _: _episode_url(item.episode_id),
    )
    if done:
        return done
    return render(
        request,
        "casework/assessment_authorise.html",
        {
            "form": form,
            "assessment": item,
            "refusal": services.assessment_authorise_refusal(actor=request.user, assessment=item),
            "back_url": reverse("casework:assessment", args=[item.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def strategy_discussion(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_get_for_user(
        user=request.user,
        episode_id=episode_id,
        action=Action.EDIT,
        request=request,
        what=AccessKind.STRATEGY_DISCUSSION,
    )
    form = forms.StrategyDiscussionForm(_posted(request))
    _late_hint(form, services.running_clock_due(episode, ClockKind.STRATEGY_DISCUSSION), "the discussion")
    done = _save_or_none(
        request,
        form,
        lambda data: services.strategy_discussion_record(
            actor=request.user,
            episode=episode,
            held_on=data["held_on"],
            agencies=data["agencies"],
            information_shared=data["information_shared"],
            safety_actions=data["safety_actions"],
            start_section_47=data["start_section_47"] == "yes",
            late_reason=data["late_reason"],
        ),
        success="The strategy discussion is recorded.",
        then=lambda _: _episode_url(episode.pk),
    )
    if done:
        return done
    return render(
        request,
        "casework/strategy_discussion.html",
        {"form": form, "episode": episode, "back_url": _episode_url(episode.pk)},
    )


@require_http_methods(["GET", "POST"])
def section_47_outcome(request: AuthenticatedRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    enquiry = section_47_get_for_user(
        user=request.user, enquiry_id=enquiry_id, action=Action.EDIT, request=request
    )
    episode = enquiry.episode
    form = forms.Section47OutcomeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.section_47_outcome_record(
            actor=request.user, enquiry=enquiry, outcome=form.cleaned_data["outcome"]
        )
        messages.success(request, "The outcome of the enquiry is recorded.")
        return HttpResponseRedirect(_episode_url(episode.pk))
    return render(
        request,
        "casework/section_47_outcome.html",
        {"form": form, "episode": episode, "enquiry": enquiry, "back_url": _episode_url(episode.pk)},
    )


@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_get_for_user(
        user=request.user, episode_id=episode_id, action=Action.EDIT, request=request
    )
    form = forms.CloseForm(_posted(request))
    done = _save_or_none(
        request,
        form,
        lambda data: services.episode_close(
            actor=request.user, episode=episode, closure_date=data["closure_date"], reason=data["reason"]
        ),
        success="The episode is closed.",
        then=lambda _: _episode_url(episode.pk),
    )
    if done:
        return done
    return render(
        request,
        "casework/close.html",
        {"form": form, "episode": episode, "back_url": _episode_url(episode.pk)},
    )


@require_GET
def clocks(request: AuthenticatedRequest) -> HttpResponse:
    """The user's running clocks; managers also see their team's."""
    if not can_see_clocks(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    scope = "team" if request.GET.get("show") == "team" and request.user.is_manager else "mine"
    rows, counts = clock_board(user=request.user, today=today, scope=scope, request=request)
    return render(request, "casework/clocks.html", {"clocks": rows, "counts": counts, "scope": scope})


def can_see_clocks(user: User) -> bool:
    return user.is_case_holder or user.is_manager


@require_http_methods(["GET", "POST"])
def visit_new(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_get_for_user(
        user=request.user,
        episode_id=episode_id,
        action=Action.EDIT,
        request=request,
        what=AccessKind.VISIT,
    )
    form = forms.VisitForm(_posted(request))
    done = _save_or_none(
        request,
        form,
        lambda data: services.visit_record(
            actor=request.user,
            episode=episode,
            visit_date=data["visit_date"],
            kind=data["kind"],
            child_seen=data["child_seen"] == "yes",
            child_seen_alone={"yes": True, "no": False}.get(data["child_seen_alone"]),
            observations=data["observations"],
            late_reason=data["late_reason"],
        ),
        success="The visit is recorded.",
        then=lambda _: _episode_url(episode.pk),
    )
    if done:
        return done
    due = [
        (label, clock.due_date)
        for label, clock in (
            ("child protection", services.visit_due(episode, VisitKind.CP)),
            ("child in need", services.visit_due(episode, VisitKind.CIN)),
        )
        if clock is not None
    ]
    if due:
        form.fields["late_reason"].help_text = "Only if it was after its due date: " + "; ".join(
            f"the next {label} visit is due by {govuk_date(day)}" for label, day in due
        )
    return render(
        request,
        "casework/visit_new.html",
        {"form": form, "episode": episode, "back_url": _episode_url(episode.pk)},
    )


@require_http_methods(["GET", "POST"])
def note_new(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_get_for_user(
        user=request.user,
        episode_id=episode_id,
        action=Action.EDIT,
        request=request,
        what=AccessKind.CASE_NOTE,
    )
    form = forms.CaseNoteForm(_posted(request), initial={"written_on": timezone.localdate()})
    done = _save_or_none(
        request,
        form,
        lambda data: services.case_note_add(
            actor=request.user, episode=episode, written_on=data["written_on"], text=data["text"]
        ),
        success="The note is saved.",
        then=lambda _: _episode_url(episode.pk),
    )
    if done:
        return done
    return render(
        request,
        "casework/note_new.html",
        {"form": form, "episode": episode, "back_url": _episode_url(episode.pk)},
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
    form = forms.ChronologyEntryForm(_posted(request))
    done = _save_or_none(
        request,
        form,
        lambda data: services.chronology_entry_add(
            actor=request.user,
            child=child,
            happened_on=data["happened_on"],
            event=data["event"],
            source=data["source"],
            analysis=data["analysis"],
        ),
        success="",
        then=lambda _: reverse("casework:chronology", args=[child.pk]),
    )
    if done:
        return done
    back = reverse("casework:chronology", args=[child.pk])
    return render(request, "casework/chronology_new.html", {"form": form, "child": child, "back_url": back})


def _allocation_teams(user: User, episode: Any) -> list[Any]:
    """The child's team, or, for service managers (who may transfer), every team in their service."""
    if scope_for(user.role, Action.AUTHORISE) >= Scope.SERVICE and user.team is not None:
        return list(Team.objects.filter(service_id=user.team.service_id).order_by("name"))
    if episode.team is not None:
        return [episode.team]
    return [user.team] if user.team is not None else []


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


@require_http_methods(["GET", "POST"])
def cin_plan(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Start the episode's child in need plan, or end the open one."""
    episode = episode_get_for_user(
        user=request.user,
        episode_id=episode_id,
        action=Action.EDIT,
        request=request,
        what=AccessKind.PLAN,
    )
    current = episode.cin_plans.filter(end_date__isnull=True).first()
    form = forms.PlanDateForm(_posted(request), initial={"on": timezone.localdate()})
    done = _save_or_none(
        request,
        form,
        lambda data: (
            services.cin_plan_start(actor=request.user, episode=episode, start_date=data["on"])
            if current is None
            else services.cin_plan_end(actor=request.user, plan=current, end_date=data["on"])
        ),
        success="The child in need plan is updated.",
        then=lambda _: _episode_url(episode.pk),
    )
    if done:
        return done
    heading = "Start a child in need plan" if current is None else "End the child in need plan"
    return render(
        request,
        "casework/cin_plan.html",
        {
            "form": form,
            "episode": episode,
            "heading": heading,
            "back_url": _episode_url(episode.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def cin_plan_review(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_get_for_user(
        user=request.user,
        episode_id=episode_id,
        action=Action.EDIT,
        request=request,
        what=AccessKind.PLAN,
    )
    plan = episode.cin_plans.order_by("-start_date").first()
    if plan is None:
        raise Http404("No child in need plan")
    form = forms.CINPlanReviewForm(_posted(request))
    _late_hint(form, services.running_clock_due(episode, ClockKind.CIN_REVIEW), "the review")
    done = _save_or_none(
        request,
        form,
        lambda data: services.cin_plan_review_record(
            actor=request.user,
            plan=plan,
            held_on=data["held_on"],
            summary=data["summary"],
            late_reason=data["late_reason"],
        ),
        success="The review is recorded.",
        then=lambda _: _episode_url(episode.pk),
    )
    if done:
        return done
    return render(
        request,
        "casework/cin_plan_review.html",
        {"form": form, "episode": episode, "back_url": _episode_url(episode.pk)},
    )


@require_http_methods(["GET", "POST"])
def strategy_record(request: AuthenticatedRequest, discussion_id: uuid.UUID) -> HttpResponse:
    """Say when the record of a strategy discussion went to the agencies (meets its clock)."""
    discussion = strategy_discussion_get_for_user(
        user=request.user, discussion_id=discussion_id, action=Action.EDIT, request=request
    )
    episode = discussion.episode
    form = forms.StrategyRecordForm(_posted(request), initial={"circulated_on": timezone.localdate()})
    done = _save_or_none(
        request,
        form,
        lambda data: services.strategy_record_circulate(
            actor=request.user,
            discussion=discussion,
            on=data["circulated_on"],
            late_reason=data["late_reason"],
        ),
        success="The record of the strategy discussion is marked as sent.",
        then=lambda _: _episode_url(episode.pk),
    )
    if done:
        return done
    return render(
        request,
        "casework/strategy_record.html",
        {"form": form, "episode": episode, "discussion": discussion, "back_url": _episode_url(episode.pk)},
    )
