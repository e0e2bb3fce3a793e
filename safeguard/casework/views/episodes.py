"""Episode pages: the episode, allocation, sending to a team, transfer, closure."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.models import Team, User
from safeguard.accounts.policy import FRONT_DOOR_ROLES, Action, Scope, scope_for
from safeguard.casework import forms
from safeguard.casework.models import CINEpisode, StatutoryClock
from safeguard.casework.selectors import (
    CP_PLAN_WEIGHT,
    WorkerCaseload,
    episode_get_for_user,
    is_with_front_door,
    receiving_team_for,
    receiving_teams,
    team_caseloads,
)
from safeguard.casework.services import episodes
from safeguard.casework.views.common import episode_url
from safeguard.core.entry_checks import EntryTarget
from safeguard.design_system.pages import form_page, posted
from safeguard.people.permissions import can


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
    return form_page(
        request,
        forms.AllocateForm(posted(request), workers=choices),
        template="casework/allocate.html",
        save=lambda data: episodes.episode_allocate(
            actor=request.user, episode=episode, worker=User.objects.get(pk=data["worker"])
        ),
        then=episode_url(episode.pk),
        success="The case is allocated.",
        context={
            "episode": episode,
            "teams": teams,
            "has_workers": bool(choices),
            "cp_weight": CP_PLAN_WEIGHT,
            "back_url": episode_url(episode.pk),
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
    transferring: bool,
) -> HttpResponse:
    def save(data: dict[str, Any]) -> Team:
        team = receiving_teams().get(pk=data["team"])
        move(team, data["reason"])
        return team

    return form_page(
        request,
        form,
        template="casework/move.html",
        save=save,
        then=episode_url(episode.pk),
        success=lambda team: f"The referral is now with {team.name}, for its manager to allocate.",
        context={"episode": episode, "transferring": transferring, "back_url": episode_url(episode.pk)},
    )


@require_http_methods(["GET", "POST"])
def send_to_team(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    """The front door sends a referral still with it to the team that will assess the child."""
    episode = episode_get_for_user(user=request.user, episode_id=episode_id, request=request)
    if request.user.role not in FRONT_DOOR_ROLES or not _may_send(request.user, episode):
        raise PermissionDenied
    default = receiving_team_for(child=episode.child)
    form = forms.SendToTeamForm(
        posted(request),
        initial={"team": str(default.pk) if default else ""},
        teams=_receiving_choices(None),
    )
    return _move_page(
        request,
        episode,
        form,
        lambda team, reason: episodes.episode_send_to_team(
            actor=request.user, episode=episode, team=team, reason=reason
        ),
        transferring=False,
    )


@require_http_methods(["GET", "POST"])
def transfer(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    """A service manager moves the case to another team."""
    episode = episode_get_for_user(
        user=request.user, episode_id=episode_id, action=Action.AUTHORISE, request=request
    )
    if not _may_transfer(request.user):
        raise PermissionDenied
    form = forms.TransferForm(posted(request), teams=_receiving_choices(episode.team))
    return _move_page(
        request,
        episode,
        form,
        lambda team, reason: episodes.episode_transfer(
            actor=request.user, episode=episode, team=team, reason=reason
        ),
        transferring=True,
    )


def _may_send(user: User, episode: CINEpisode) -> bool:
    return (
        user.role in FRONT_DOOR_ROLES
        and episode.is_open
        and episode.worker_id is None
        and is_with_front_door(user, episode)
    )


def _may_transfer(user: User) -> bool:
    return scope_for(user.role, Action.AUTHORISE) >= Scope.SERVICE


@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = episode_get_for_user(
        user=request.user, episode_id=episode_id, action=Action.EDIT, request=request
    )
    return form_page(
        request,
        forms.CloseForm(posted(request), entry=EntryTarget(child_id=episode.child_id, episode_id=episode.pk)),
        template="casework/close.html",
        save=lambda data: episodes.episode_close(
            actor=request.user, episode=episode, closure_date=data["closure_date"], reason=data["reason"]
        ),
        then=episode_url(episode.pk),
        success="The episode is closed.",
        context={"episode": episode, "back_url": episode_url(episode.pk)},
    )


def _allocation_teams(user: User, episode: Any) -> list[Any]:
    """The child's team, or, for service managers (who may transfer), every team in their service."""
    if scope_for(user.role, Action.AUTHORISE) >= Scope.SERVICE and user.team is not None:
        return list(Team.objects.filter(service_id=user.team.service_id).order_by("name"))
    if episode.team is not None:
        return [episode.team]
    return [user.team] if user.team is not None else []
