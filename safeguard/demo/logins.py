"""What is waiting for each demo account, in a few words, for ``manage.py demo_logins``.

Plain counts of the records each role's home page and work lists are built from (the
same filters), so a newcomer knows where to start. Counting here, rather than calling
the home page's selector, keeps the command from writing an access-log entry for each
demo user: printing the logins is not anybody looking at children's records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from safeguard.accounts.models import Role, Team, User
from safeguard.casework.models import (
    Assessment,
    AssessmentStatus,
    ChildProtectionPlan,
    CINEpisode,
    ClockKind,
    StatutoryClock,
)
from safeguard.casework.selectors import cp_plans_with_next_review
from safeguard.frontdoor.models import OPEN_STATUSES, Contact
from safeguard.people.permissions import children_for
from safeguard.performance.headlines import headline_figures
from safeguard.workforce.figures import vacancies_open
from safeguard.workforce.rules import pounds
from safeguard.workforce.selectors import (
    applications_waiting,
    payments_due,
    quarter_of,
    repayments_outstanding,
)

REVIEWS_AHEAD_DAYS = 28


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    team: str
    waiting: str


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _case_holder(user: User, today: dt.date) -> str:
    episodes = CINEpisode.objects.filter(worker=user, closure_date__isnull=True)
    assessing = Assessment.objects.filter(
        episode__in=episodes, authorised_date__isnull=True, status=AssessmentStatus.IN_PROGRESS
    ).count()
    visits = StatutoryClock.objects.filter(
        episode__in=episodes,
        kind__in=(ClockKind.CP_VISIT, ClockKind.CIN_VISIT),
        met_date__isnull=True,
        stopped_reason="",
    )
    overdue = visits.filter(due_date__lt=today).count()
    parts = [
        _plural(episodes.count(), "child", "children"),
        _plural(assessing, "assessment") + " in progress",
        _plural(visits.count(), "visit") + f" due ({overdue:,} overdue)",
    ]
    return "; ".join(parts)


def _team_manager(team: Team) -> str:
    submitted = Assessment.objects.filter(
        status=AssessmentStatus.SUBMITTED, episode__team=team, episode__closure_date__isnull=True
    ).count()
    to_allocate = CINEpisode.objects.filter(team=team, worker__isnull=True, closure_date__isnull=True).count()
    children = CINEpisode.objects.filter(team=team, closure_date__isnull=True).count()
    return (
        f"{_plural(submitted, 'assessment')} to authorise; "
        f"{_plural(to_allocate, 'referral')} to allocate; "
        f"{_plural(children, 'child', 'children')} in the team"
    )


def _service_manager(team: Team) -> str:
    teams = Team.objects.filter(service=team.service_id).count()
    waiting = CINEpisode.objects.filter(
        team__service=team.service_id, worker__isnull=True, closure_date__isnull=True
    ).count()
    return f"{_plural(teams, 'team')}; {_plural(waiting, 'child', 'children')} waiting for a worker"


def _front_door(today: dt.date) -> str:
    queue = Contact.objects.filter(status__in=OPEN_STATUSES)
    return (
        f"{_plural(queue.count(), 'contact')} in the queue "
        f"({queue.filter(received_on=today).count():,} received today)"
    )


def _chair(today: dt.date) -> str:
    plans = ChildProtectionPlan.objects.filter(end_date__isnull=True).count()
    reviews = cp_plans_with_next_review(today=today, limit=plans)
    soon = sum(1 for review in reviews if 0 <= review.days_left <= REVIEWS_AHEAD_DAYS)
    overdue = sum(1 for review in reviews if review.days_left < 0)
    return (
        f"{_plural(plans, 'child', 'children')} on plans; "
        f"{_plural(soon, 'review')} due in the next {REVIEWS_AHEAD_DAYS} days ({overdue:,} overdue)"
    )


def _figures(today: dt.date) -> str:
    shown = {
        h.label: h.value
        for h in headline_figures(today=today, child_population=settings.COUNCIL_CHILD_POPULATION)
    }
    return (
        f"children in need {shown['Children in need per 10,000']} per 10,000 (England about 333); "
        f"on plans {shown['Child protection plans per 10,000']} (about 41)"
    )


def _workforce(today: dt.date) -> str:
    vacancies = vacancies_open(today).count()
    due = payments_due(until=quarter_of(today)[1]).count()
    owed = list(repayments_outstanding())
    outstanding = pounds(sum(a.outstanding_pence() for a in owed))
    waiting = applications_waiting().count()
    return (
        f"{_plural(vacancies, 'open vacancy', 'open vacancies')}; "
        f"{_plural(due, 'incentive payment')} due this quarter; "
        f"{outstanding} outstanding from {_plural(len(owed), 'leaver')}; "
        f"{_plural(waiting, 'progression application')} waiting for a panel"
    )


def _administrator() -> str:
    return (
        f"{_plural(User.objects.filter(is_active=True).count(), 'active account')} "
        f"in {_plural(Team.objects.count(), 'team')}"
    )


def _partner(user: User) -> str:
    contacts = Contact.objects.filter(agency__name=user.agency_name)
    waiting = contacts.filter(status__in=OPEN_STATUSES).count()
    return (
        f"{_plural(contacts.count(), 'contact')} made by {user.agency_name or 'no agency'} "
        f"({waiting:,} waiting for a decision)"
    )


def waiting_for(user: User, today: dt.date) -> str:
    """What the account will find waiting when it signs in."""
    role, team = user.role, user.team
    if role in (Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER):
        text = _case_holder(user, today)
        if role == Role.SOCIAL_WORKER and team is not None:
            others = CINEpisode.objects.filter(closure_date__isnull=True).exclude(team=team)
            hidden = others.exclude(child__in=children_for(user)).values("child_id").distinct().count()
            text += f"; cannot see {hidden:,} children held by other teams"
        return text
    if role == Role.TEAM_MANAGER and team is not None:
        return _team_manager(team)
    if role == Role.SERVICE_MANAGER and team is not None:
        return _service_manager(team)
    if role in (Role.FRONT_DOOR_PRACTITIONER, Role.FRONT_DOOR_MANAGER):
        return _front_door(today)
    if role == Role.CONFERENCE_CHAIR:
        return _chair(today)
    if role in (Role.PERFORMANCE_ANALYST, Role.DIRECTOR):
        return _figures(today)
    if role in (Role.WORKFORCE_LEAD, Role.HR_OFFICER):
        return _workforce(today)
    if role == Role.SYSTEM_ADMINISTRATOR:
        return _administrator()
    if role == Role.PARTNER_AGENCY:
        return _partner(user)
    return ""


def demo_logins(users: list[User], today: dt.date) -> list[DemoLogin]:
    labels = {role.value: str(role.label) for role in Role}
    return [
        DemoLogin(
            role=labels.get(user.role, user.role),
            email=user.email,
            team=user.team.name if user.team else "",
            waiting=waiting_for(user, today),
        )
        for user in users
    ]


__all__ = ["DemoLogin", "demo_logins", "waiting_for"]
