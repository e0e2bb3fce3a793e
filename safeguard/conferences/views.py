"""Conference pages: the chairs' diary, proposing from a section 47, scheduling, the record."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.casework.selectors import section_47_get_for_user
from safeguard.conferences import forms, services, voice
from safeguard.conferences.invitations import invitation_context
from safeguard.conferences.models import Conference, ConferenceKind
from safeguard.conferences.selectors import (
    ConferenceUse,
    chair_choices,
    chairs_diary,
    conference_for_enquiry,
    conference_get_for_user,
    lead_worker_choices,
    may_record,
    may_schedule,
    what_comes_next,
)
from safeguard.core.entry_checks import EntryTarget
from safeguard.design_system.pages import form_action, form_page, posted


def _detail_url(conference: Conference) -> str:
    return reverse("conferences:detail", args=[conference.pk])


def _episode_url(conference: Conference) -> str:
    return reverse("casework:episode_detail", args=[conference.episode_id])


@require_GET
def diary(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = chairs_diary(user=request.user, today=today, request=request)
    return render(request, "conferences/diary.html", {"rows": rows, "today": today})


@require_GET
def detail(request: AuthenticatedRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = conference_get_for_user(user=request.user, conference_id=conference_id, request=request)
    return render(
        request,
        "conferences/detail.html",
        {
            "conference": conference,
            "attendance": conference.attendance.all(),
            "may_schedule": may_schedule(request.user, conference),
            "may_record": may_record(request.user, conference),
            **invitation_context(request.user, conference),
            **voice.views_context(request.user, conference),
            "is_chair": conference.chair_id == request.user.pk,
            "next": what_comes_next(conference),
        },
    )


@require_http_methods(["GET", "POST"])
def propose(request: AuthenticatedRequest, enquiry_id: uuid.UUID) -> HttpResponse:
    enquiry = section_47_get_for_user(
        user=request.user, enquiry_id=enquiry_id, action=Action.EDIT, request=request
    )
    existing = conference_for_enquiry(enquiry.pk)
    if existing is not None and request.method == "GET":
        return HttpResponseRedirect(_detail_url(existing))
    return form_page(
        request,
        forms.ProposeForm(posted(request)),
        template="conferences/propose.html",
        save=lambda _data: services.conference_propose_initial(actor=request.user, enquiry=enquiry),
        then=_detail_url,
        success="The initial conference is proposed. The conference chairs can now schedule it.",
        context={
            "enquiry": enquiry,
            "child": enquiry.episode.child,
            "back_url": reverse("casework:episode_detail", args=[enquiry.episode_id]),
        },
    )


def _schedule_initial(conference: Conference) -> dict[str, Any]:
    if conference.starts_at is None:
        return {}
    local = timezone.localtime(conference.starts_at)
    return {
        "chair": str(conference.chair_id) if conference.chair_id else None,
        "day": local.date(),
        "time": f"{local:%H:%M}",
        "room": conference.room,
        "video_link": conference.video_link,
        "late_reason": conference.late_reason,
    }


@require_http_methods(["GET", "POST"])
def schedule(request: AuthenticatedRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = conference_get_for_user(
        user=request.user, conference_id=conference_id, use=ConferenceUse.SCHEDULE, request=request
    )
    chairs = chair_choices(conference)
    by_key = {str(u.pk): u for u, _why in chairs}
    form = forms.ScheduleForm(posted(request), candidates=chairs, initial=_schedule_initial(conference))

    def save(data: dict[str, Any]) -> Conference:
        return services.conference_schedule(
            actor=request.user,
            conference=conference,
            chair=by_key[data["chair"]],
            starts_at=form.starts_at(),
            room=data["room"],
            video_link=data["video_link"],
            late_reason=data["late_reason"],
        )

    return form_page(
        request,
        form,
        template="conferences/schedule.html",
        save=save,
        then=_detail_url,
        success="The conference is scheduled.",
        context={"conference": conference, "back_url": _detail_url(conference)},
    )


@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = conference_get_for_user(
        user=request.user, conference_id=conference_id, use=ConferenceUse.RECORD, request=request
    )
    workers = list(lead_worker_choices(conference))
    by_key: dict[str, User] = {str(u.pk): u for u in workers}
    review = conference.kind == ConferenceKind.REVIEW
    form = forms.RecordForm(
        posted(request),
        workers=workers,
        review=review,
        entry=EntryTarget(
            child_id=conference.child_id,
            episode_id=conference.episode_id,
            record_id=conference.plan_id if review else conference.section_47_id,
        ),
    )

    def save(data: dict[str, Any]) -> Conference:
        return services.conference_record(
            actor=request.user,
            conference=conference,
            held_on=data["held_on"],
            attendance=form.attendance(),
            not_quorate_reason=data["not_quorate_reason"],
            plan_needed=data["plan_needed"] == "yes",
            category=data["category"],
            lead_worker=by_key.get(data["lead_worker"]),
            dissent=data["dissent"],
            late_reason=data["late_reason"],
        )

    return form_page(
        request,
        form,
        template="conferences/record.html",
        save=save,
        then=_detail_url,
        success="The conference is recorded.",
        context={"conference": conference, "back_url": _detail_url(conference)},
    )


@require_http_methods(["GET", "POST"])
def cancel(request: AuthenticatedRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = conference_get_for_user(
        user=request.user, conference_id=conference_id, use=ConferenceUse.SCHEDULE, request=request
    )
    return form_page(
        request,
        forms.CancelForm(posted(request)),
        template="conferences/cancel.html",
        save=lambda data: services.conference_cancel(
            actor=request.user, conference=conference, reason=data["reason"]
        ),
        then=_detail_url,
        success="The conference is cancelled. Everyone invited with an email address is being told.",
        context={"conference": conference, "back_url": _detail_url(conference)},
    )


def _chair_action(request: AuthenticatedRequest, conference_id: uuid.UUID) -> Conference:
    return conference_get_for_user(user=request.user, conference_id=conference_id, request=request)


@require_POST
def letter_sent(request: AuthenticatedRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = _chair_action(request, conference_id)
    back = _detail_url(conference)
    return form_action(
        request,
        None,
        save=lambda _d: services.conference_letter_sent(
            actor=request.user, conference=conference, sent_on=timezone.localdate()
        ),
        then=back,
        back=back,
        success="The outcome letter is recorded as sent today.",
    )


@require_POST
def record_complete(request: AuthenticatedRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = _chair_action(request, conference_id)
    back = _detail_url(conference)
    return form_action(
        request,
        None,
        save=lambda _d: services.conference_record_complete(
            actor=request.user, conference=conference, completed_on=timezone.localdate()
        ),
        then=back,
        back=back,
        success="The record of the conference is finished.",
    )
