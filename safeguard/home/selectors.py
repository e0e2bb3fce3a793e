"""What each role sees on its home page: the work and figures that matter to that role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from safeguard.accounts.models import Role, Team, TeamKind, User
from safeguard.audit.models import AccessKind
from safeguard.audit.services import access_log_record_list
from safeguard.casework.models import CINEpisode
from safeguard.casework.selectors import (
    assessments_to_authorise,
    cp_plans_with_next_review,
    episodes_open_for_worker,
    referrals_to_allocate,
    running_clocks,
    team_caseloads,
)
from safeguard.home.worklist import work_items_for
from safeguard.performance.headlines import headline_figures
from safeguard.workforce.caseloads import WorkerLoad, worker_loads
from safeguard.workforce.rules import case_weights


@dataclass
class HomePage:
    heading: str
    intro: str
    sections: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


_INTROS = {
    Role.FRONT_DOOR_PRACTITIONER: "New referrals, and referrals waiting to be sent to a team.",
    Role.FRONT_DOOR_MANAGER: "New referrals, decisions, and referrals waiting to be sent to a team.",
    Role.SOCIAL_WORKER: "The children allocated to you.",
    Role.SENIOR_PRACTITIONER: "The children allocated to you.",
    Role.TEAM_MANAGER: "Referrals to allocate, assessments to authorise, and your team's caseloads.",
    Role.SERVICE_MANAGER: "The teams in your service.",
    Role.CONFERENCE_CHAIR: "Children on child protection plans and their next reviews.",
    Role.PERFORMANCE_ANALYST: "Headline measures against the England figures.",
    Role.WORKFORCE_LEAD: "Staff in post by team.",
    Role.HR_OFFICER: "Staff records, pay and incentives.",
    Role.DIRECTOR: "Headline measures and the service at a glance.",
    Role.SYSTEM_ADMINISTRATOR: "Accounts and reference data.",
    Role.PARTNER_AGENCY: "Referrals your agency has made and what happened next.",
}


def home_for_user(*, user: User, request: HttpRequest | None = None) -> HomePage:
    role = Role(user.role) if user.role else Role.SOCIAL_WORKER
    page = HomePage(heading=f"{role.label} home", intro=_INTROS[role])
    today = timezone.localdate()
    if role in (Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER):
        page.sections.append("clocks")
        page.data["clocks"] = running_clocks(user=user, today=today, scope="mine", limit=10)
        page.data["clocks_heading"] = "Your clocks"
        page.sections.append("my_children")
        page.data["my_children"] = list(episodes_open_for_worker(worker=user))
    if role == Role.TEAM_MANAGER:
        page.sections += ["to_allocate", "to_authorise"]
        page.data["to_allocate"] = referrals_to_allocate(user=user, today=today)
        page.data["to_authorise"] = assessments_to_authorise(user=user, today=today)
    if role in (Role.TEAM_MANAGER, Role.FRONT_DOOR_MANAGER):
        page.sections.append("clocks")
        page.data["clocks"] = running_clocks(user=user, today=today, scope="team", limit=10)
        page.data["clocks_heading"] = "Your team's clocks"
    if role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.WORKFORCE_LEAD, Role.DIRECTOR):
        page.sections.append("caseloads")
        page.data["caseloads"] = weighted_caseloads(teams=_teams_in_scope(user), today=today)
        page.data["cp_weight"] = case_weights()["cp_plan"]
    if role in (Role.FRONT_DOOR_PRACTITIONER, Role.FRONT_DOOR_MANAGER):
        page.sections.append("unallocated")
        page.data["unallocated"] = _unallocated_episodes(user)
    if role == Role.CONFERENCE_CHAIR:
        page.sections.append("reviews")
        page.data["reviews"] = cp_plans_with_next_review(today=today, limit=25)
    if role in (Role.PERFORMANCE_ANALYST, Role.DIRECTOR, Role.SERVICE_MANAGER):
        page.sections.append("headlines")
        page.data["headlines"] = headline_figures(
            today=today, child_population=settings.COUNCIL_CHILD_POPULATION
        )
    if role == Role.SYSTEM_ADMINISTRATOR:
        page.sections.append("admin")
        page.data["admin"] = {
            "users": User.objects.filter(is_active=True).count(),
            "teams": Team.objects.count(),
        }
    if role == Role.PARTNER_AGENCY:
        page.sections.append("partner")
    items = work_items_for(user=user, today=today)
    if items:
        page.sections.insert(0, "work_items")
        page.data["work_items"] = items
    _log_work_lists(user, page, request)
    return page


_WORK_LISTS = {
    "clocks": "clocks",
    "my_children": "children allocated",
    "unallocated": "referrals to send to a team",
    "to_allocate": "referrals to allocate",
    "to_authorise": "assessments to authorise",
    "reviews": "plan reviews",
}


def _log_work_lists(user: User, page: HomePage, request: HttpRequest | None) -> None:
    """The lists on the home page name children, so showing them is written to the access log."""
    shown = [f"{label} ({len(page.data[key])})" for key, label in _WORK_LISTS.items() if key in page.sections]
    naming = [item for item in page.data.get("work_items", []) if item.names_child]
    if naming:
        shown.append(f"things to do ({len(naming)})")
    if shown:
        access_log_record_list(
            user=user,
            what=AccessKind.WORK_LIST,
            model=CINEpisode,
            detail="Home page: " + ", ".join(shown),
            request=request,
        )


def weighted_caseloads(*, teams: list[Team], today: dt.date) -> list[tuple[Team, list[WorkerLoad]]]:
    """Each team's case-holding workers with workforce's weighted caseload (the configured
    weights per kind of case, against the team's policy for their hours): the same figure
    the allocation page shows."""
    by_team = team_caseloads(teams=teams)
    loads = worker_loads([c.worker for _team, rows in by_team for c in rows], on=today)
    return [(team, [loads[c.worker.pk] for c in rows]) for team, rows in by_team]


def _teams_in_scope(user: User) -> list[Team]:
    teams = Team.objects.select_related("service")
    if user.role == Role.TEAM_MANAGER:
        return list(teams.filter(pk=user.team_id)) if user.team_id else []
    if user.role == Role.SERVICE_MANAGER and user.team is not None:
        return list(teams.filter(service=user.team.service))
    return list(teams.filter(kind__in=_CASE_HOLDING_TEAM_KINDS))


_CASE_HOLDING_TEAM_KINDS = ("assessment", "child_protection", "children_in_need", "front_door")


def _unallocated_episodes(user: User) -> list[CINEpisode]:
    """Referrals still with the front door: no worker, and no team that assesses children
    (once sent, a referral is the receiving team's to allocate, on its manager's list)."""
    with_front_door = Q(team__isnull=True) | Q(team__kind=TeamKind.FRONT_DOOR)
    if user.team_id is not None:
        with_front_door |= Q(team_id=user.team_id)
    episodes = (
        CINEpisode.objects.filter(closure_date__isnull=True, worker__isnull=True)
        .filter(with_front_door)
        .exclude(child__is_sealed=True)
    )
    return list(episodes.select_related("child", "team").order_by("referral_date")[:25])
