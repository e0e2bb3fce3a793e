from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguard.accounts.models import Role, TeamKind
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework.models import ClockKind, Section47Enquiry, StatutoryClock
from safeguard.casework.services.assessments import (
    assessment_authorise,
    assessment_start,
    assessment_submit,
)
from safeguard.casework.services.enquiries import section_47_outcome_record, strategy_discussion_record
from safeguard.casework.services.episodes import (
    episode_allocate,
    episode_close,
    episode_open,
    episode_send_to_team,
    episode_transfer,
)
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory, complete_assessment
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


@pytest.fixture
def episode(social_worker):
    return EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 11, 2))


def test_closure_rules(social_worker, manager, episode):
    with pytest.raises(ValidationError) as rc8:
        episode_close(actor=social_worker, episode=episode, closure_date=dt.date(2026, 11, 20), reason="RC8")
    assert "needs an assessment" in " ".join(rc8.value.messages)
    CPPlanFactory(child=episode.child, episode=episode, start_date=dt.date(2026, 11, 10))
    with pytest.raises(ValidationError, match="End the child protection plan"):
        episode_close(actor=social_worker, episode=episode, closure_date=dt.date(2026, 11, 20), reason="RC7")
    with pytest.raises(ValidationError, match="on or after the referral"):
        episode_close(actor=social_worker, episode=episode, closure_date=dt.date(2026, 10, 1), reason="RC7")


def test_closing_stops_running_clocks(social_worker, manager, episode):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    complete_assessment(assessment, social_worker)
    assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 10))
    assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 11))
    strategy_discussion_record(
        actor=social_worker,
        episode=episode,
        held_on=dt.date(2026, 11, 12),
        agencies=["csc", "police", "health"],
        information_shared="",
        safety_actions="",
        start_section_47=True,
    )
    section_47_outcome_record(
        actor=social_worker, enquiry=Section47Enquiry.objects.get(), outcome="not_substantiated"
    )
    episode_close(actor=social_worker, episode=episode, closure_date=dt.date(2026, 11, 20), reason="RC8")
    episode.refresh_from_db()
    assert episode.closure_date == dt.date(2026, 11, 20)
    assert not StatutoryClock.objects.filter(met_date__isnull=True, stopped_reason="").exists()


def test_allocation_needs_a_case_holder(social_worker, manager, episode):
    with pytest.raises(ValidationError, match="holds cases"):
        episode_allocate(actor=manager, episode=episode, worker=manager)
    other = UserFactory(role=Role.SOCIAL_WORKER, team=social_worker.team)
    episode_allocate(actor=manager, episode=episode, worker=other)
    episode.refresh_from_db()
    assert episode.worker == other and episode.team == other.team


def test_a_team_manager_cannot_move_a_child_to_another_team(social_worker, manager, episode):
    elsewhere = UserFactory(role=Role.SOCIAL_WORKER)
    with pytest.raises(ValidationError, match="ask a service manager"):
        episode_allocate(actor=manager, episode=episode, worker=elsewhere)
    service_manager = UserFactory(role=Role.SERVICE_MANAGER, team=social_worker.team)
    episode_allocate(actor=service_manager, episode=episode, worker=elsewhere)
    episode.refresh_from_db()
    assert episode.team == elsewhere.team


@pytest.fixture
def front_door():
    team = TeamFactory(name="Front Door (MASH)", kind=TeamKind.FRONT_DOOR)
    return UserFactory(role=Role.FRONT_DOOR_PRACTITIONER, team=team)


@pytest.fixture
def referral(front_door):
    return episode_open(
        actor=front_door,
        child=ChildFactory(),
        referral_date=dt.date(2026, 11, 2),
        referral_source="9",
        team=front_door.team,
    )


def test_the_front_door_sends_a_referral_to_a_team_and_its_clock_runs_on(front_door, referral, social_worker):
    assessment_start(actor=front_door, episode=referral, start_date=dt.date(2026, 11, 3))
    clock = StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT)
    episode_send_to_team(
        actor=front_door, episode=referral, team=social_worker.team, reason="Lives in the north"
    )
    referral.refresh_from_db()
    assert referral.team == social_worker.team and referral.worker is None
    assert referral.team_since == dt.date.today()
    event = AuditEvent.objects.get(action="episode_send_to_team")
    assert event.actor == front_door and event.child_id == referral.child_id
    assert event.changes["team_id"]["after"] == str(social_worker.team.pk)
    assert event.changes["reason"]["after"] == "Lives in the north"
    # The clock is the child's: the same one, still running, still due on the same day.
    assert list(StatutoryClock.objects.all()) == [clock]
    clock.refresh_from_db()
    assert clock.is_running and clock.due_date == dt.date(2027, 1, 7)


def test_once_sent_the_front_door_cannot_move_it_again(front_door, referral, social_worker):
    episode_send_to_team(actor=front_door, episode=referral, team=social_worker.team)
    with pytest.raises(ValidationError, match="ask a service manager"):
        episode_send_to_team(actor=front_door, episode=referral, team=TeamFactory())
    referral.refresh_from_db()
    assert referral.team == social_worker.team
    assert AuditEvent.objects.filter(action="episode_send_to_team").count() == 1


def test_only_the_front_door_sends_and_only_to_a_team_that_holds_cases(
    front_door, referral, social_worker, manager
):
    with pytest.raises(PermissionError):
        episode_send_to_team(actor=manager, episode=referral, team=social_worker.team)
    chairs = TeamFactory(kind=TeamKind.CONFERENCE_CHAIRS)
    with pytest.raises(ValidationError, match="holds their cases"):
        episode_send_to_team(actor=front_door, episode=referral, team=chairs)
    referral.refresh_from_db()
    assert referral.team == front_door.team
    assert not AuditEvent.objects.filter(action="episode_send_to_team").exists()


def test_the_receiving_teams_manager_allocates_and_nobody_else(front_door, referral, social_worker, manager):
    episode_send_to_team(actor=front_door, episode=referral, team=social_worker.team)
    other_manager = UserFactory(role=Role.TEAM_MANAGER)
    with pytest.raises(PermissionError):
        episode_allocate(actor=other_manager, episode=referral, worker=social_worker)
    with pytest.raises(PermissionError):
        episode_allocate(actor=front_door, episode=referral, worker=social_worker)
    episode_allocate(actor=manager, episode=referral, worker=social_worker)
    referral.refresh_from_db()
    assert referral.worker == social_worker and referral.team == social_worker.team
    event = AuditEvent.objects.get(action="episode_allocate")
    assert event.actor == manager and event.changes["worker_id"]["after"] == str(social_worker.pk)


def test_a_service_manager_transfers_with_a_reason_and_the_new_team_allocates(
    social_worker, manager, episode
):
    assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    service_manager = UserFactory(role=Role.SERVICE_MANAGER, team=social_worker.team)
    protection = TeamFactory(name="Child Protection 1", kind=TeamKind.CHILD_PROTECTION)
    with pytest.raises(PermissionError):
        episode_transfer(actor=manager, episode=episode, team=protection, reason="Plan")
    with pytest.raises(ValidationError, match="reason for the transfer"):
        episode_transfer(actor=service_manager, episode=episode, team=protection, reason=" ")
    episode_transfer(
        actor=service_manager, episode=episode, team=protection, reason="Child protection plan made"
    )
    episode.refresh_from_db()
    assert episode.team == protection and episode.worker is None
    event = AuditEvent.objects.get(action="episode_transfer")
    assert event.changes["worker_id"]["before"] == str(social_worker.pk)
    assert event.changes["reason"]["after"] == "Child protection plan made"
    assert StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT).is_running
    protection_manager = UserFactory(role=Role.TEAM_MANAGER, team=protection)
    protection_worker = UserFactory(role=Role.SOCIAL_WORKER, team=protection)
    episode_allocate(actor=protection_manager, episode=episode, worker=protection_worker)
    episode.refresh_from_db()
    assert episode.worker == protection_worker


def test_a_failed_move_saves_nothing(front_door, referral, social_worker, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("safeguard.audit.services.audit_event_record", broken)
    with pytest.raises(RuntimeError):
        episode_send_to_team(actor=front_door, episode=referral, team=social_worker.team)
    fresh = type(referral).objects.get(pk=referral.pk)
    assert fresh.team == front_door.team
