"""One child's case ready for an initial conference, built through casework's own services.

Dates (worked by hand; November 2026 has no bank holidays):
- referral Tuesday 1 September 2026;
- strategy discussion starting the section 47 on Monday 2 November 2026 (day 0);
- ICPC target: 15 working days later = three whole weeks = Monday 23 November 2026.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from django.utils import timezone

from safeguard.accounts.models import Role, Service, Team, TeamKind, User
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.models import CINEpisode, Section47Enquiry, Section47Outcome, StrategyAgency
from safeguard.casework.services.enquiries import section_47_outcome_record, strategy_discussion_record
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.conferences.models import Conference
from safeguard.conferences.services import AttendanceRow, conference_propose_initial, conference_schedule
from safeguard.people.models import Person
from safeguard.people.tests.factories import ChildFactory

STRATEGY_DAY = dt.date(2026, 11, 2)
ICPC_TARGET = dt.date(2026, 11, 23)


@contextmanager
def today_is(day: dt.date) -> Iterator[None]:
    """Every ``timezone.localdate()`` (services, forms) answers ``day``."""
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        yield


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


@dataclass
class Case:
    child: Person
    episode: CINEpisode
    enquiry: Section47Enquiry
    worker: User
    team_manager: User
    service_manager: User
    chair: User
    other_chair: User


def build_case(*, outcome: str = Section47Outcome.ICPC) -> Case:
    service = Service.objects.get_or_create(name="Children's Safeguarding")[0]
    team = Team.objects.create(
        name=f"Child Protection Team {Team.objects.count()}", kind=TeamKind.CHILD_PROTECTION, service=service
    )
    chairs_service = Service.objects.get_or_create(name="Quality Assurance")[0]
    chairs_team = Team.objects.get_or_create(
        name="Independent Chairs", defaults={"kind": TeamKind.CONFERENCE_CHAIRS, "service": chairs_service}
    )[0]
    worker: User = UserFactory(role=Role.SOCIAL_WORKER, team=team, first_name="Priya", last_name="Shah")
    team_manager: User = UserFactory(role=Role.TEAM_MANAGER, team=team, first_name="Tom", last_name="Reid")
    service_manager: User = UserFactory(
        role=Role.SERVICE_MANAGER, team=team, first_name="Sara", last_name="Lund"
    )
    chair: User = UserFactory(
        role=Role.CONFERENCE_CHAIR, team=chairs_team, first_name="Grace", last_name="Osei"
    )
    other_chair: User = UserFactory(
        role=Role.CONFERENCE_CHAIR, team=chairs_team, first_name="Hugh", last_name="Marr"
    )
    child: Person = ChildFactory()
    episode: CINEpisode = EpisodeFactory(
        child=child, team=team, worker=worker, referral_date=dt.date(2026, 9, 1)
    )
    with today_is(dt.date(2026, 11, 3)):
        strategy_discussion_record(
            actor=worker,
            episode=episode,
            held_on=STRATEGY_DAY,
            agencies=[StrategyAgency.CSC, StrategyAgency.POLICE, StrategyAgency.HEALTH],
            information_shared="Shared by the agencies.",
            safety_actions="Child stays with grandparent.",
            start_section_47=True,
        )
    enquiry = episode.section_47s.get()
    section_47_outcome_record(actor=worker, enquiry=enquiry, outcome=outcome)
    return Case(child, episode, enquiry, worker, team_manager, service_manager, chair, other_chair)


def scheduled(
    case: Case, *, day: dt.date = dt.date(2026, 11, 19), room: str = "Room 2, Civic Centre"
) -> Conference:
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    return conference_schedule(
        actor=case.chair, conference=conference, chair=case.chair, starts_at=at(day), room=room
    )


QUORATE = [
    AttendanceRow("Priya Shah", "csc", "Social worker", "present"),
    AttendanceRow("PC Dale Hurst", "police", "Child protection officer", "present"),
    AttendanceRow("Dr Ana Ruiz", "gp", "GP", "report_only"),
    AttendanceRow("Jo Penn", "school", "Designated safeguarding lead", "present"),
]
