"""The public "Report a concern" journey and the staff triage pages. Thin: forms validate,
selectors read and authorise, services write."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.accounts.middleware import AuthenticatedRequest, public
from safeguard.accounts.models import Team, User
from safeguard.accounts.policy import Action
from safeguard.casework.models import CINEpisode
from safeguard.casework.selectors import receiving_team_for, receiving_teams
from safeguard.core.codes import AssessmentFactor
from safeguard.core.searches import search_recall, search_remember
from safeguard.design_system import journey as journeys
from safeguard.design_system.formatting import govuk_date
from safeguard.design_system.pages import form_action, form_page, posted
from safeguard.frontdoor import config, forms, matching, selectors, services
from safeguard.frontdoor.api import openapi_operations
from safeguard.frontdoor.clock import clock_tag
from safeguard.frontdoor.journeys import REPORT_CONCERN
from safeguard.frontdoor.models import Contact, ContactStatus, Decision
from safeguard.frontdoor.permissions import can_see_referrer, is_front_door, is_front_door_manager
from safeguard.frontdoor.ratelimit import client_ip, rate_limited
from safeguard.people.permissions import can, children_for

R = TypeVar("R")


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "frontdoor/too_many.html", {"exit_url": REPORT_CONCERN.exit_url}, status=429)


# -- report a concern (public) ---------------------------------------------------------


@public
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontdoor/start.html",
        {"exit_url": REPORT_CONCERN.exit_url, "first_step": REPORT_CONCERN.url("step", slug="who")},
    )


@public
@require_http_methods(["GET", "POST"])
def report_step(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in {step.slug for step in REPORT_CONCERN.steps}:
        return HttpResponseRedirect(REPORT_CONCERN.url("step", slug=REPORT_CONCERN.steps[0].slug))
    if request.method == "POST":
        _limit, window = config.public_rate_limit()
        if rate_limited("step", client_ip(request), config.public_step_rate_limit(), window):
            return _too_many(request)
    return journeys.journey_step(request, REPORT_CONCERN, slug)


def _without_honeypot(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if row["key"]["text"] != forms.HONEYPOT_LABEL]


@public
@require_http_methods(["GET", "POST"])
def report_check(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        limit, window = config.public_rate_limit()
        if rate_limited("report", client_ip(request), limit, window):
            return _too_many(request)
        return journeys.journey_check(request, REPORT_CONCERN)
    draft = journeys.draft_current(request, REPORT_CONCERN, create=False)
    if draft is None:
        return HttpResponseRedirect(REPORT_CONCERN.url("step", slug="who"))
    answers, active, first_incomplete = journeys.answers_from(REPORT_CONCERN, draft.data.get("raw", {}))
    if first_incomplete is not None:
        return HttpResponseRedirect(REPORT_CONCERN.url("step", slug=first_incomplete.slug))
    return render(
        request,
        "frontdoor/report_check.html",
        {
            "journey": REPORT_CONCERN,
            "rows": _without_honeypot(journeys.summary_rows(REPORT_CONCERN, answers, active)),
            "draft": draft,
            "back_url": REPORT_CONCERN.url("step", slug=active[-1].slug),
        },
    )


@public
@require_GET
def report_done(request: HttpRequest) -> HttpResponse:
    if not request.session.get(f"journey:{REPORT_CONCERN.name}:submitted"):
        return HttpResponseRedirect(reverse("frontdoor:start"))
    return journeys.journey_done(request, REPORT_CONCERN)


@public
@require_http_methods(["GET", "POST"])
def report_start_again(request: HttpRequest) -> HttpResponse:
    return journeys.journey_start_again(request, REPORT_CONCERN)


@public
@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """Readable API docs from the OpenAPI schema. Ninja's Swagger UI loads scripts from a
    CDN, which the site's Content-Security-Policy (script-src 'self') rightly blocks."""
    return render(request, "frontdoor/api_docs.html", {"operations": openapi_operations()})


# -- triage (front door staff) -----------------------------------------------------------


def _require_front_door(request: AuthenticatedRequest) -> None:
    if not is_front_door(request.user):
        raise PermissionDenied


_FILTER_KEYS = ("status", "assigned", "danger")
_SEARCH_KEY = "queue_searches"


def _queue_url(filters: QueryDict, token: str = "") -> str:
    query = QueryDict(mutable=True)
    for key in _FILTER_KEYS:
        if key in filters:
            query.setlist(key, filters.getlist(key))
    if token:
        query["search"] = token
    return f"{reverse('frontdoor:queue')}?{query.urlencode()}" if query else reverse("frontdoor:queue")


@require_http_methods(["GET", "POST"])
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """The queue, its filters (in the URL) and its search (in the session, by token). A
    search posts the box and the filters shown, and comes back as a link that keeps both."""
    _require_front_door(request)
    search_form = forms.QueueSearchForm(request.POST if request.method == "POST" else None)
    source = request.POST if request.method == "POST" else request.GET
    filter_form = forms.QueueFilterForm(source if any(k in source for k in _FILTER_KEYS) else None)
    token = ""
    if request.method == "POST":
        if search_form.is_valid():
            text = search_form.cleaned_data["q"].strip()
            return HttpResponseRedirect(
                _queue_url(request.POST, search_remember(request, _SEARCH_KEY, text) if text else "")
            )
        search = None
    else:
        token = request.GET.get("search", "")
        text = search_recall(request, _SEARCH_KEY, token)
        token = token if text else ""
        search_form = forms.QueueSearchForm({"q": text}) if text else forms.QueueSearchForm()
        search = search_form.cleaned_data["search"] if text and search_form.is_valid() else None
    data = filter_form.cleaned_data if filter_form.is_valid() else {}
    filters = selectors.QueueFilters(
        status=data.get("status") or "open",
        assigned=data.get("assigned") or "",
        danger=bool(data.get("danger")),
    )
    page = selectors.contact_queue(
        user=request.user,
        filters=filters,
        page_number=request.GET.get("page"),
        request=request,
        search=search,
    )
    today = timezone.localdate()
    rows = [(contact, clock_tag(contact.decision_due, today)) for contact in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "frontdoor/queue.html",
        {
            "form": filter_form,
            "search_form": search_form,
            "search": search,
            "search_token": token,
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "clear_search_url": _queue_url(request.GET),
            "all_statuses_url": _queue_url(QueryDict("status=any"), token),
        },
    )


def _contact_url(contact: Contact) -> str:
    return reverse("frontdoor:contact_detail", args=[contact.pk])


@require_GET
def contact_detail(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id, request=request)
    front_door = is_front_door(request.user)
    today = timezone.localdate()
    staff = selectors.front_door_staff() if front_door else []
    return render(
        request,
        "frontdoor/contact_detail.html",
        {
            "contact": contact,
            "clock": clock_tag(contact.decision_due, today),
            "timing": contact.decision_timing(today),
            "front_door": front_door,
            "manager": is_front_door_manager(request.user),
            "show_referrer": can_see_referrer(request.user, contact),
            "matches": (
                selectors.match_candidates(user=request.user, contact=contact, request=request)
                if front_door and contact.is_open and contact.child_id is None
                else []
            ),
            "weights": matching,
            "history": selectors.child_history(user=request.user, contact=contact, request=request),
            "alerts": selectors.repeat_concern_alerts(user=request.user, contact=contact, today=today),
            "merge_targets": list(selectors.contacts_to_merge_into(contact)) if front_door else [],
            "assign_form": forms.AssignForm(
                initial={"assignee": str(contact.assigned_to_id or "")},
                staff=[(str(u.pk), u.display_name) for u in staff],
            ),
            "risk_factor_labels": _risk_factor_labels(contact.risk_factors),
            "episode": _episode_shown(request.user, contact),
            "back_url": reverse("frontdoor:queue") if front_door else reverse("home:home"),
        },
    )


def _episode_shown(user: Any, contact: Contact) -> CINEpisode | None:
    """The episode the decision opened, linked only for a user who may open it."""
    episode = contact.episode
    if episode is None or not can(user, Action.VIEW, episode.child):
        return None
    return episode


def _risk_factor_labels(codes: list[str]) -> list[str]:
    labels = dict(AssessmentFactor.choices)
    return [f"{labels.get(code, code)} ({code})" for code in codes]


def _triage_contact(request: AuthenticatedRequest, contact_id: uuid.UUID) -> Contact:
    contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id, request=request)
    if not is_front_door(request.user):
        selectors.contact_refuse(
            user=request.user, contact=contact, reason="triage is for front door staff", request=request
        )
    return contact


def _contact_action(
    request: AuthenticatedRequest,
    contact: Contact,
    save: Callable[[dict[str, Any]], R],
    *,
    success: str | Callable[[R], str],
    then: Callable[[R], str] | None = None,
) -> HttpResponse:
    """A triage button on the contact's page: a refusal goes back to it as a message."""
    back = _contact_url(contact)
    return form_action(request, None, save=save, then=then or back, back=back, success=success)


def _chosen(key: str, request: AuthenticatedRequest, error: str) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get(key, ""))
    except ValueError:
        raise ValidationError(error) from None


_NO_ASSIGNEE = "Select who to assign the contact to"
_NO_CHILD = "Select the child this contact is about"
_NO_CONTACT = "Select the contact to merge this one into"


@require_POST
def contact_assign(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = _triage_contact(request, contact_id)
    staff = selectors.front_door_staff()
    form = forms.AssignForm(request.POST, staff=[(str(u.pk), u.display_name) for u in staff])

    def assign(_data: dict[str, Any]) -> User:
        if not form.is_valid():
            raise ValidationError(_NO_ASSIGNEE)
        assignee = staff.get(pk=form.cleaned_data["assignee"])
        services.contact_assign(actor=request.user, contact=contact, assignee=assignee)
        return assignee

    return _contact_action(
        request, contact, assign, success=lambda assignee: f"Contact assigned to {assignee.display_name}"
    )


@require_POST
def contact_link_child(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = _triage_contact(request, contact_id)

    def link(_data: dict[str, Any]) -> Contact:
        child = children_for(request.user).filter(pk=_chosen("child", request, _NO_CHILD)).first()
        if child is None:
            raise ValidationError(_NO_CHILD)
        return services.contact_link_child(actor=request.user, contact=contact, child=child)

    return _contact_action(request, contact, link, success="The contact is linked to the child's record")


@require_POST
def contact_child_create(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = _triage_contact(request, contact_id)
    return _contact_action(
        request,
        contact,
        lambda _data: services.contact_child_create(actor=request.user, contact=contact),
        success="A new child's record was created and linked to the contact",
    )


@require_POST
def contact_merge(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = _triage_contact(request, contact_id)

    def merge(_data: dict[str, Any]) -> Contact:
        into_id = _chosen("into", request, _NO_CONTACT)
        into = selectors.contacts_to_merge_into(contact).filter(pk=into_id).first()
        if into is None:
            raise ValidationError(_NO_CONTACT)
        return services.contact_merge(actor=request.user, contact=contact, into=into)

    return _contact_action(
        request,
        contact,
        merge,
        success=f"Contact {contact.reference} was merged into this one",
        then=lambda merged: reverse("frontdoor:contact_detail", args=[merged.merged_into_id]),
    )


def _contact_form(
    request: AuthenticatedRequest,
    contact: Contact,
    form: BaseForm,
    page: str,
    save: Callable[[dict[str, Any]], R],
    *,
    then: str = "",
    success: str | Callable[[R], str] = "",
) -> HttpResponse:
    """A triage page with a form of its own, about one contact (``frontdoor/contact_<page>.html``)."""
    return form_page(
        request,
        form,
        template=f"frontdoor/contact_{page}.html",
        save=save,
        then=then or _contact_url(contact),
        success=success,
        context={"contact": contact, "back_url": _contact_url(contact)},
    )


def _decision_key(contact: Contact) -> str:
    return f"frontdoor:decision:{contact.pk}"


def _team_choices() -> list[tuple[str, str]]:
    return [(str(t.pk), f"{t.name} ({t.get_kind_display().lower()})") for t in receiving_teams()]


def _team(team_id: str | None) -> Team | None:
    return receiving_teams().filter(pk=team_id).first() if team_id else None


def _default_team(contact: Contact) -> str:
    team = receiving_team_for(child=contact.child, postcode=contact.child_postcode)
    return str(team.pk) if team else ""


@require_http_methods(["GET", "POST"])
def contact_decide(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = _triage_contact(request, contact_id)
    if not contact.is_open or contact.status == ContactStatus.AWAITING_AUTHORISATION:
        return HttpResponseRedirect(_contact_url(contact))
    initial = request.session.get(_decision_key(contact)) or {"receiving_team": _default_team(contact)}
    form = forms.DecisionForm(posted(request), initial=initial, teams=_team_choices())
    if timezone.localdate() <= contact.decision_due:
        del form.fields["late_reason"]
    else:
        form.fields["late_reason"].help_text = f"It was due on {govuk_date(contact.decision_due)}."

    def choose(data: dict[str, Any]) -> None:
        needs_child = data["decision"] in (Decision.REFERRAL, Decision.STRATEGY)
        if needs_child and contact.child_id is None:
            raise ValidationError({"decision": "Link the contact to a child's record before you refer"})
        request.session[_decision_key(contact)] = data

    return _contact_form(
        request,
        contact,
        form,
        "decide",
        choose,
        then=reverse("frontdoor:contact_decide_check", args=[contact.pk]),
    )


def _decision_recorded(contact: Contact) -> str:
    if contact.status == ContactStatus.AWAITING_AUTHORISATION:
        return "Decision sent to a front door manager to authorise"
    if contact.episode is not None and contact.episode.team is not None:
        return f"Decision recorded. The referral is with {contact.episode.team.name}"
    return "Decision recorded"


@require_http_methods(["GET", "POST"])
def contact_decide_check(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = _triage_contact(request, contact_id)
    chosen = request.session.get(_decision_key(contact))
    if not chosen or not contact.is_open or contact.status == ContactStatus.AWAITING_AUTHORISATION:
        return HttpResponseRedirect(_contact_url(contact))
    team = _team(chosen.get("receiving_team"))
    if request.method == "POST":

        def decide(_data: dict[str, Any]) -> Contact:
            decided = services.contact_decide(
                actor=request.user,
                contact=contact,
                decision=chosen["decision"],
                reason=chosen["reason"],
                late_reason=chosen.get("late_reason", ""),
                receiving_team=team,
            )
            request.session.pop(_decision_key(contact), None)
            return decided

        return _contact_action(request, contact, decide, success=_decision_recorded)
    needs_manager = chosen[
        "decision"
    ] in config.decisions_needing_authorisation() and not is_front_door_manager(request.user)
    return render(
        request,
        "frontdoor/decide_check.html",
        {
            "contact": contact,
            "decision": Decision(chosen["decision"]).label,
            "reason": chosen["reason"],
            "late_reason": chosen.get("late_reason", ""),
            "team": team,
            "needs_manager": needs_manager,
            "back_url": reverse("frontdoor:contact_decide", args=[contact.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def contact_authorise(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = _triage_contact(request, contact_id)
    if not is_front_door_manager(request.user):
        raise PermissionDenied
    if contact.status != ContactStatus.AWAITING_AUTHORISATION:
        return HttpResponseRedirect(_contact_url(contact))
    referring = contact.decision in (Decision.REFERRAL, Decision.STRATEGY)
    proposed = str(contact.receiving_team_id) if contact.receiving_team_id else _default_team(contact)
    form = forms.AuthoriseForm(
        posted(request), initial={"receiving_team": proposed}, teams=_team_choices() if referring else None
    )
    if timezone.localdate() <= contact.decision_due or contact.decision_late_reason:
        del form.fields["late_reason"]
    else:
        form.fields["late_reason"].help_text = f"It was due on {govuk_date(contact.decision_due)}."

    def authorise(data: dict[str, Any]) -> bool:
        approve: bool = data["approve"] == "yes"
        try:
            services.contact_authorise(
                actor=request.user,
                contact=contact,
                approve=approve,
                note=data["note"],
                late_reason=data.get("late_reason", ""),
                receiving_team=_team(data.get("receiving_team")),
            )
        except ValidationError as error:
            # The service's refusals are about the reason for lateness, when it is asked.
            if "late_reason" in form.fields:
                raise ValidationError({"late_reason": error.messages}) from error
            raise
        return approve

    return _contact_form(
        request,
        contact,
        form,
        "authorise",
        authorise,
        success=lambda approved: (
            "Decision authorised" if approved else "Decision returned to be decided again"
        ),
    )


@require_http_methods(["GET", "POST"])
def contact_partner_information(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = _triage_contact(request, contact_id)
    return _contact_form(
        request,
        contact,
        forms.PartnerInformationForm(posted(request)),
        "partner_information",
        lambda data: services.partner_information_add(actor=request.user, contact=contact, **data),
        success="Information from the partner agency recorded",
    )


@require_http_methods(["GET", "POST"])
def contact_release_referrer(request: AuthenticatedRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = _triage_contact(request, contact_id)
    if not is_front_door_manager(request.user):
        raise PermissionDenied
    return _contact_form(
        request,
        contact,
        forms.ReleaseReferrerForm(posted(request)),
        "release_referrer",
        lambda data: services.referrer_release(actor=request.user, contact=contact, reason=data["reason"]),
        success="The referrer's details can now be seen by staff working with the child",
    )
