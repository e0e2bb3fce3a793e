"""Invitations (staff pages) and the pages for people outside the council: the agency
report portal and the family page, reached by a link and a code, never an account.

The public pages show one conference's own facts and nothing else: no staff navigation
(their template has none), no other child, never the referrer or the family's address.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.accounts.middleware import AuthenticatedRequest, public
from safeguard.casework.documents import pdf_response
from safeguard.conferences import external_forms as forms
from safeguard.conferences import invitations, plan_views, plans, voice
from safeguard.conferences.models import ChildViews, ConferenceInvitation, ConferenceStatus, FamilyQuestion
from safeguard.conferences.portal import (
    LinkState,
    code_check,
    conference_day,
    invitation_for_token,
    released_reports,
    report_due,
    session_has,
    session_open,
)
from safeguard.conferences.selectors import conference_get_for_user
from safeguard.design_system.pages import form_action, form_page, posted


def _detail_url(conference_id: uuid.UUID) -> str:
    return reverse("conferences:detail", args=[conference_id])


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# -- staff pages ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = conference_get_for_user(user=request.user, conference_id=conference_id, request=request)
    if not invitations.may_invite(request.user, conference):
        raise PermissionDenied("You cannot invite people to this conference")

    def save(data: dict[str, Any]) -> ConferenceInvitation:
        return invitations.invitation_create(
            actor=request.user, conference=conference, values=data, site_url=_site_url(request)
        )

    return form_page(
        request,
        forms.InviteForm(posted(request)),
        template="conferences/invite.html",
        save=save,
        then=_detail_url(conference.pk),
        success=lambda i: (
            f"{i.name} is invited. The invitation and, separately, the security code are being emailed."
            if i.email
            else f"{i.name} is invited. Print their letter from the list of invitations."
        ),
        context={"conference": conference, "back_url": _detail_url(conference.pk)},
    )


def _staff_invitation(request: AuthenticatedRequest, invitation_id: uuid.UUID) -> ConferenceInvitation:
    invitation = ConferenceInvitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation")
    # Authorises the conference (404 if out of reach) and logs the access.
    invitation.conference = conference_get_for_user(
        user=request.user, conference_id=invitation.conference_id, request=request
    )
    return invitation


@require_POST
def invitation_revoke(request: AuthenticatedRequest, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = _staff_invitation(request, invitation_id)
    back = _detail_url(invitation.conference_id)
    return form_action(
        request,
        None,
        save=lambda _d: invitations.invitation_revoke(actor=request.user, invitation=invitation),
        then=back,
        back=back,
        success=f"{invitation.name}'s link no longer works.",
    )


@require_POST
def invitation_letter(request: AuthenticatedRequest, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = _staff_invitation(request, invitation_id)
    context = invitations.invitation_letter(
        actor=request.user, invitation=invitation, site_url=_site_url(request)
    )
    return pdf_response(
        template="conferences/invite_letter.html", context=context, filename="conference-invitation.pdf"
    )


@require_POST
def interpreter_booked(request: AuthenticatedRequest, invitation_id: uuid.UUID) -> HttpResponse:
    invitation = _staff_invitation(request, invitation_id)
    back = _detail_url(invitation.conference_id)
    return form_action(
        request,
        None,
        save=lambda _d: invitations.invitation_interpreter_booked(actor=request.user, invitation=invitation),
        then=back,
        back=back,
        success=f"The interpreter for {invitation.name} is booked.",
    )


@require_POST
def question_answered(request: AuthenticatedRequest, question_id: uuid.UUID) -> HttpResponse:
    question = FamilyQuestion.objects.select_related("invitation").filter(pk=question_id).first()
    if question is None:
        raise Http404("No such question")
    conference = conference_get_for_user(
        user=request.user, conference_id=question.invitation.conference_id, request=request
    )
    back = _detail_url(conference.pk)
    return form_action(
        request,
        None,
        save=lambda _d: invitations.family_question_answered(actor=request.user, question=question),
        then=back,
        back=back,
        success="The question is marked answered.",
    )


@require_http_methods(["GET", "POST"])
def child_views(request: AuthenticatedRequest, conference_id: uuid.UUID) -> HttpResponse:
    """The child's views, typed in by the worker (or chair) sitting with the child."""
    conference = conference_get_for_user(user=request.user, conference_id=conference_id, request=request)
    back = _detail_url(conference.pk)
    if ChildViews.objects.filter(conference=conference).exists():
        return HttpResponseRedirect(back + "#child-views")
    if not voice.may_enter_views(request.user, conference):
        raise PermissionDenied("You cannot give the child's views for this conference")
    return form_page(
        request,
        forms.ChildViewsForm(posted(request)),
        template="conferences/child_views.html",
        save=lambda data: voice.child_views_submit(
            actor=request.user, conference=conference, values=data, site_url=_site_url(request)
        ),
        then=back + "#child-views",
        success=lambda v: (
            "The child's views are saved. They say they feel unsafe at home: "
            "their worker and manager have been told."
            if v.feels_unsafe
            else "The child's views are saved for the chair."
        ),
        context={"conference": conference, "child": conference.child, "back_url": back},
    )


@require_POST
def child_views_seen(request: AuthenticatedRequest, views_id: uuid.UUID) -> HttpResponse:
    views = ChildViews.objects.filter(pk=views_id).first()
    if views is None:
        raise Http404("No such views")
    views.conference = conference_get_for_user(
        user=request.user, conference_id=views.conference_id, request=request
    )
    back = _detail_url(views.conference_id) + "#child-views"
    return form_action(
        request,
        None,
        save=lambda _d: voice.child_views_alert_seen(actor=request.user, views=views),
        then=back,
        back=back,
        success="The alert is marked as seen.",
    )


# -- public pages: a link and its code ------------------------------------------------

PortalView = Callable[[HttpRequest, ConferenceInvitation, str], HttpResponse]


def _opened(view: PortalView) -> Callable[[HttpRequest, str], HttpResponse]:
    """A page for a link whose code this browser has given: otherwise to the code page
    (or, for a link that no longer works, the page that says so)."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        invitation, state = invitation_for_token(token)
        if invitation is None or state != LinkState.OK:
            return HttpResponseRedirect(reverse("conferences:portal_link_problem"))
        if not session_has(request, invitation):
            return HttpResponseRedirect(reverse("conferences:portal", kwargs={"token": token}))
        return view(request, invitation, token)

    return public(wrapped)


@public
def portal_link_problem(request: HttpRequest) -> HttpResponse:
    return render(request, "conferences/portal_link_problem.html", {})


@public
@require_http_methods(["GET", "POST"])
def portal(request: HttpRequest, token: str) -> HttpResponse:
    invitation, state = invitation_for_token(token)
    if invitation is None or state != LinkState.OK:
        return HttpResponseRedirect(reverse("conferences:portal_link_problem"))
    home = "conferences:family" if invitation.is_family else "conferences:portal_report"
    if session_has(request, invitation):
        return HttpResponseRedirect(reverse(home, kwargs={"token": token}))
    form = forms.CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if code_check(invitation, form.cleaned_data["code"]):
            session_open(request, invitation)
            return HttpResponseRedirect(reverse(home, kwargs={"token": token}))
        if invitation.locked_at is not None:
            return HttpResponseRedirect(reverse("conferences:portal_link_problem"))
        form.add_error("code", "The security code is not right. Check the code we sent you and try again")
    return render(request, "conferences/portal_code.html", {"form": form, "invitation": invitation})


@_opened
@require_http_methods(["GET", "POST"])
def portal_report(request: HttpRequest, invitation: ConferenceInvitation, token: str) -> HttpResponse:
    if invitation.is_family:
        return HttpResponseRedirect(reverse("conferences:family", kwargs={"token": token}))
    conference = invitation.conference
    existing = getattr(invitation, "report", None)
    context = {
        "invitation": invitation,
        "conference": conference,
        "child_first_name": conference.child.given_name,
        "day": conference_day(conference),
        "due": report_due(conference),
        "late_now": timezone.localdate() > report_due(conference),
        "report": existing,
    }
    if existing is not None or conference.status != ConferenceStatus.SCHEDULED:
        return render(request, "conferences/portal_report_done.html", context)
    return form_page(
        request,
        forms.ReportForm(posted(request)),
        template="conferences/portal_report.html",
        save=lambda data: invitations.agency_report_submit(invitation=invitation, values=data),
        then=reverse("conferences:portal_report", kwargs={"token": token}),
        success="Your report has been sent to the conference chair.",
        context=context,
    )


@_opened
@require_http_methods(["GET", "POST"])
def family(request: HttpRequest, invitation: ConferenceInvitation, token: str) -> HttpResponse:
    if not invitation.is_family:
        return HttpResponseRedirect(reverse("conferences:portal_report", kwargs={"token": token}))
    conference = invitation.conference
    today = timezone.localdate()
    here = reverse("conferences:family", kwargs={"token": token})
    return form_page(
        request,
        forms.QuestionForm(posted(request)),
        template="conferences/family.html",
        save=lambda data: invitations.family_question_ask(invitation=invitation, text=data["text"]),
        then=here,
        success="Thank you. Your question has gone to your social worker.",
        context={
            "invitation": invitation,
            "conference": conference,
            "child_first_name": conference.child.given_name,
            "day": conference_day(conference),
            "starts_at": timezone.localtime(conference.starts_at) if conference.starts_at else None,
            "release_day": report_due(conference),
            "reports": released_reports(conference, today=today),
            "released": today >= report_due(conference),
            "held": conference.status == ConferenceStatus.HELD,
            "given_feedback": hasattr(invitation, "feedback"),
            "may_give_views": invitation.role in voice.VIEWS_ROLES,
            "plan_view": plans.plan_view(conference.plan)
            if conference.status == ConferenceStatus.HELD and conference.plan is not None
            else None,
            "token": token,
        },
    )


@_opened
@require_http_methods(["GET", "POST"])
def family_feedback(request: HttpRequest, invitation: ConferenceInvitation, token: str) -> HttpResponse:
    here = reverse("conferences:family", kwargs={"token": token})
    if not invitation.is_family:
        return HttpResponseRedirect(reverse("conferences:portal_report", kwargs={"token": token}))
    if invitation.conference.status != ConferenceStatus.HELD or hasattr(invitation, "feedback"):
        return HttpResponseRedirect(here)
    return form_page(
        request,
        forms.FeedbackForm(posted(request)),
        template="conferences/feedback.html",
        save=lambda data: invitations.family_feedback_submit(invitation=invitation, values=data),
        then=here,
        success="Thank you for your feedback.",
        context={"invitation": invitation, "back_url": here},
    )


@_opened
@require_http_methods(["GET", "POST"])
def child_views_link(request: HttpRequest, invitation: ConferenceInvitation, token: str) -> HttpResponse:
    """The child's own form, through the child's or their advocate's link."""
    here = reverse("conferences:child_views_link", kwargs={"token": token})
    family_url = reverse("conferences:family", kwargs={"token": token})
    if invitation.role not in voice.VIEWS_ROLES:
        return HttpResponseRedirect(family_url)
    conference = invitation.conference
    context = {
        "invitation": invitation,
        "child_first_name": conference.child.given_name,
        "back_url": family_url,
    }
    sent = ChildViews.objects.filter(conference=conference).first()
    if sent is not None or conference.status not in (ConferenceStatus.PROPOSED, ConferenceStatus.SCHEDULED):
        return render(request, "conferences/child_views_done.html", {**context, "sent": sent})
    return form_page(
        request,
        forms.ChildViewsForm(posted(request)),
        template="conferences/child_views_link.html",
        save=lambda data: voice.child_views_submit(
            actor=None, conference=conference, values=data, invitation=invitation, site_url=_site_url(request)
        ),
        then=here,
        success="Thank you. The person running the meeting will read what you said.",
        context=context,
    )


@_opened
@require_GET
def family_plan_pdf(request: HttpRequest, invitation: ConferenceInvitation, token: str) -> HttpResponse:
    """The family's copy of the plan the conference made, through their own link."""
    conference = invitation.conference
    if not invitation.is_family:
        raise PermissionDenied("The plan is sent to the family")
    if conference.status != ConferenceStatus.HELD or conference.plan is None:
        return HttpResponseRedirect(reverse("conferences:family", kwargs={"token": token}))
    return pdf_response(
        template="conferences/plan_pdf.html",
        context=plan_views.plan_context(conference.plan),
        filename="child-protection-plan.pdf",
    )
