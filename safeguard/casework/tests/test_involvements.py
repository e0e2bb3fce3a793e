"""Involvement rows say what the episodes and plans say, and the access rule built on them
gives the children the episodes and plans gave before."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.accounts.models import Role, Service, Team, TeamKind, User
from safeguard.accounts.policy import Action, Scope, scope_for
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.involvements import (
    involvements_backfill,
    involvements_current,
    involvements_expected,
)
from safeguard.casework.models import ChildProtectionPlan, CINEpisode
from safeguard.casework.services.episodes import (
    episode_allocate,
    episode_close,
    episode_open,
    episode_send_to_team,
    episode_transfer,
)
from safeguard.casework.services.plans import cp_plan_end, cp_plan_start
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.core.codes import CategoryOfAbuse, ReferralSource
from safeguard.people.models import Involvement, InvolvementKind, Person
from safeguard.people.permissions import children_for
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

OPERATIONS = ("open", "send", "allocate", "allocate_elsewhere", "transfer", "plan", "end_plan", "close")


class _Council:
    """Two teams in one service, a front door, and one user of each role that holds a scope."""

    def __init__(self) -> None:
        service = Service.objects.create(name="Involvement service")
        other = Service.objects.create(name="Elsewhere")
        self.front_door = Team.objects.create(name="Front door", kind=TeamKind.FRONT_DOOR, service=service)
        self.assessment = Team.objects.create(name="Assessment", kind=TeamKind.ASSESSMENT, service=service)
        self.protection = Team.objects.create(
            name="Protection", kind=TeamKind.CHILD_PROTECTION, service=service
        )
        far = Team.objects.create(name="Far", kind=TeamKind.CHILD_PROTECTION, service=other)
        self.front_door_worker: User = UserFactory(role=Role.FRONT_DOOR_PRACTITIONER, team=self.front_door)
        self.worker: User = UserFactory(role=Role.SOCIAL_WORKER, team=self.assessment)
        self.colleague: User = UserFactory(role=Role.SOCIAL_WORKER, team=self.assessment)
        self.protection_worker: User = UserFactory(role=Role.SOCIAL_WORKER, team=self.protection)
        self.manager: User = UserFactory(role=Role.TEAM_MANAGER, team=self.assessment)
        self.service_manager: User = UserFactory(role=Role.SERVICE_MANAGER, team=self.assessment)
        self.chair: User = UserFactory(role=Role.CONFERENCE_CHAIR, team=None)
        self.far_worker: User = UserFactory(role=Role.SOCIAL_WORKER, team=far)
        self.users = [
            self.front_door_worker,
            self.worker,
            self.colleague,
            self.protection_worker,
            self.manager,
            self.service_manager,
            self.chair,
            self.far_worker,
        ]


def _apply(council: _Council, child: Person, operation: str) -> None:
    """One step of a case's life through the services; a step the services refuse is skipped."""
    today = timezone.localdate()
    episode = CINEpisode.objects.filter(child=child, closure_date__isnull=True).first()
    plan = ChildProtectionPlan.objects.filter(child=child, end_date__isnull=True).first()
    try:
        if operation == "open":
            episode_open(
                actor=council.front_door_worker,
                child=child,
                referral_date=today - dt.timedelta(days=30),
                referral_source=ReferralSource.POLICE,
                team=council.front_door,
            )
        elif episode is None:
            return
        elif operation == "send":
            episode_send_to_team(actor=council.front_door_worker, episode=episode, team=council.assessment)
        elif operation == "allocate":
            episode_allocate(actor=council.service_manager, episode=episode, worker=council.worker)
        elif operation == "allocate_elsewhere":
            episode_allocate(actor=council.service_manager, episode=episode, worker=council.protection_worker)
        elif operation == "transfer":
            to = council.protection if episode.team_id != council.protection.pk else council.assessment
            episode_transfer(
                actor=council.service_manager, episode=episode, team=to, reason="Needs protection"
            )
        elif operation == "plan":
            cp_plan_start(
                actor=council.worker,
                episode=episode,
                start_date=episode.referral_date,
                category=CategoryOfAbuse.NEGLECT,
            )
        elif operation == "end_plan" and plan is not None:
            cp_plan_end(actor=council.worker, plan=plan, end_date=today)
        elif operation == "close":
            episode_close(actor=council.worker, episode=episode, closure_date=today, reason="RC7")
    except (ValidationError, PermissionError):
        pass


def _episodes_said(user: User, action: Action, child: Person) -> bool:
    """The access rule as it was written against episodes and plans before involvements."""
    scope = scope_for(user.role, action)
    if scope == Scope.ALL:
        return True
    if scope == Scope.NONE:
        return False
    open_episodes = CINEpisode.objects.filter(child=child, closure_date__isnull=True)
    if user.role == Role.CONFERENCE_CHAIR:
        own = ChildProtectionPlan.objects.filter(child=child, end_date__isnull=True).exists()
    else:
        own = open_episodes.filter(worker=user).exists()
    if scope == Scope.OWN or user.team is None:
        return own
    if scope == Scope.TEAM:
        return own or open_episodes.filter(team_id=user.team_id).exists()
    return own or open_episodes.filter(team__service_id=user.team.service_id).exists()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=8))
def test_involvements_follow_every_step_of_a_case(operations: list[str]) -> None:
    # Each example in its own savepoint, undone after: examples share the test's database.
    with transaction.atomic():
        council = _Council()
        child: Person = ChildFactory()
        for operation in ["open", *operations]:
            _apply(council, child, operation)
            assert involvements_current() == involvements_expected(), operation
        for user in council.users:
            for action in (Action.VIEW, Action.EDIT, Action.AUTHORISE):
                involved = children_for(user, action).filter(pk=child.pk).exists()
                assert involved == _episodes_said(user, action, child), (user.role, action, operations)
        transaction.set_rollback(True)


def test_an_allocation_in_the_same_team_keeps_the_teams_start_date() -> None:
    council = _Council()
    episode = EpisodeFactory(team=council.assessment, referral_date=dt.date(2026, 9, 1))
    Involvement.objects.filter(kind=InvolvementKind.TEAM).update(started_on=dt.date(2026, 9, 2))
    episode_allocate(actor=council.manager, episode=episode, worker=council.worker)
    team_row = Involvement.objects.get(kind=InvolvementKind.TEAM)
    assert team_row.started_on == dt.date(2026, 9, 2) and team_row.ended_on is None
    assert Involvement.objects.get(kind=InvolvementKind.WORKER).user == council.worker


def test_a_transfer_ends_the_old_team_and_worker_and_keeps_them_on_record() -> None:
    council = _Council()
    episode = EpisodeFactory(
        team=council.assessment, worker=council.worker, referral_date=dt.date(2026, 9, 1)
    )
    episode_transfer(actor=council.service_manager, episode=episode, team=council.protection, reason="CP")
    ended = Involvement.objects.filter(ended_on=timezone.localdate())
    assert {(i.kind, i.team_id or i.user_id) for i in ended} == {
        (InvolvementKind.TEAM, council.assessment.pk),
        (InvolvementKind.WORKER, council.worker.pk),
    }
    # A social worker sees their own team's children: the old team's workers no longer do.
    assert not children_for(council.worker).filter(pk=episode.child_id).exists()
    assert children_for(council.protection_worker).filter(pk=episode.child_id).exists()


def _bulk_episodes(council: _Council) -> list[CINEpisode]:
    """Episodes and a plan written straight to the tables, as the demo and an import do."""
    children = [ChildFactory() for _ in range(3)]
    episodes = CINEpisode.objects.bulk_create(
        [
            CINEpisode(
                child=children[0],
                referral_date=dt.date(2026, 9, 1),
                team=council.assessment,
                worker=council.worker,
                team_since=dt.date(2026, 9, 3),
            ),
            CINEpisode(child=children[1], referral_date=dt.date(2026, 9, 1)),
            CINEpisode(
                child=children[2],
                referral_date=dt.date(2026, 9, 1),
                team=council.protection,
                closure_date=dt.date(2026, 10, 1),
                reason_for_closure="RC7",
            ),
        ]
    )
    ChildProtectionPlan.objects.bulk_create(
        [
            ChildProtectionPlan(
                episode=episodes[0],
                child=children[0],
                start_date=dt.date(2026, 9, 20),
                initial_category=CategoryOfAbuse.NEGLECT,
                latest_category=CategoryOfAbuse.NEGLECT,
            )
        ]
    )
    return episodes


def test_the_migration_backfills_the_open_episodes_and_plans() -> None:
    council = _Council()
    episodes = _bulk_episodes(council)
    assert not Involvement.objects.exists()
    migration = importlib.import_module("safeguard.people.migrations.0004_involvements_backfill")
    migration._backfill(apps, None)
    assert involvements_current() == involvements_expected()
    worker_row = Involvement.objects.get(kind=InvolvementKind.WORKER)
    assert worker_row.started_on == dt.date(2026, 9, 3) and worker_row.child_id == episodes[0].child_id
    assert Involvement.objects.get(kind=InvolvementKind.CONFERENCE_CHAIRS).started_on == dt.date(2026, 9, 20)
    # The closed episode involves nobody; the waiting referral is an open case held by no team.
    assert not Involvement.objects.filter(child_id=episodes[2].child_id).exists()
    assert [i.kind for i in Involvement.objects.filter(child_id=episodes[1].child_id)] == [
        InvolvementKind.OPEN_CASE
    ]
    assert children_for(council.worker, Action.EDIT).filter(pk=episodes[0].child_id).exists()
    assert children_for(council.chair).filter(pk=episodes[0].child_id).exists()


def test_the_backfill_adds_what_is_missing_and_ends_what_is_no_longer_true() -> None:
    council = _Council()
    episodes = _bulk_episodes(council)
    # The first's open case, team and worker, the second's open case, the plan's chairs.
    assert involvements_backfill() == 5
    assert involvements_backfill() == 0
    CINEpisode.objects.filter(pk=episodes[0].pk).update(worker=council.colleague)
    assert involvements_backfill() == 2  # the old worker's row ends, the new worker's starts
    assert involvements_current() == involvements_expected()
    assert Involvement.objects.filter(user=council.worker, ended_on=timezone.localdate()).exists()
