"""Allocation reads workforce's records: weighted caseloads on the page; a reason to go past
a newly qualified worker's protected caseload or to someone absent; never to a leaver."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Grade, Role, User
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework.models import CINEpisode
from safeguard.casework.services.episodes import episode_allocate
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.workforce.models import Absence
from safeguard.workforce.tests.factories import AsyeCohortFactory, StaffRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Northfield Assessment")


@pytest.fixture
def manager(team) -> User:
    return UserFactory(role=Role.TEAM_MANAGER, team=team)


@pytest.fixture
def newly_qualified(team) -> User:
    """In their first three months: protected caseload 8 (weighted), holding 7.5."""
    today = timezone.localdate()
    user: User = UserFactory(
        role=Role.SOCIAL_WORKER, team=team, first_name="Mia", last_name="Fenwick", grade=Grade.ASYE
    )
    cohort = AsyeCohortFactory(starts_on=today - dt.timedelta(days=20))
    StaffRecordFactory(
        user=user, team=team, grade=Grade.ASYE, start_date=today - dt.timedelta(days=20), asye_cohort=cohort
    )
    for _ in range(6):
        EpisodeFactory(worker=user, team=team)
    CPPlanFactory(episode=EpisodeFactory(worker=user, team=team))
    return user


@pytest.fixture
def referral(team) -> CINEpisode:
    episode: CINEpisode = EpisodeFactory(team=team, worker=None)
    return episode


def test_past_the_protected_caseload_needs_a_reason_which_the_audit_keeps(manager, newly_qualified, referral):
    # 7.5 now; one more child makes 8.5, over the protected 8.
    with pytest.raises(ValidationError) as error:
        episode_allocate(actor=manager, episode=referral, worker=newly_qualified)
    assert "protected caseload is 8 and this would make it 8.5" in error.value.message_dict["reason"][0]
    referral.refresh_from_db()
    assert referral.worker is None
    episode_allocate(
        actor=manager, episode=referral, worker=newly_qualified, reason="Sibling of a child Mia holds"
    )
    referral.refresh_from_db()
    assert referral.worker == newly_qualified
    event = AuditEvent.objects.get(action="episode_allocate")
    assert event.changes["allocation_reason"]["after"] == "Sibling of a child Mia holds"


def test_someone_absent_needs_a_reason_and_a_leaver_is_refused(team, manager, referral):
    today = timezone.localdate()
    absent: User = UserFactory(role=Role.SOCIAL_WORKER, team=team)
    Absence.objects.create(
        staff=StaffRecordFactory(user=absent, team=team), starts_on=today - dt.timedelta(days=2)
    )
    with pytest.raises(ValidationError) as error:
        episode_allocate(actor=manager, episode=referral, worker=absent)
    assert "is absent" in error.value.message_dict["reason"][0]
    leaver: User = UserFactory(role=Role.SOCIAL_WORKER, team=team)
    StaffRecordFactory(user=leaver, team=team, end_date=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        episode_allocate(actor=manager, episode=referral, worker=leaver, reason="Anyway")
    assert "has left the council" in error.value.message_dict["worker"][0]


def test_the_page_shows_weighted_caseloads_and_asks_for_the_reason(
    client, manager, newly_qualified, referral
):
    client.force_login(manager)
    url = reverse("casework:allocate", args=[referral.pk])
    html = client.get(url).content.decode()
    assert "Mia Fenwick (Northfield Assessment): 7 children, weighted caseload 7.5" in html
    assert "newly qualified, protected caseload 8" in html
    response = client.post(url, {"worker": str(newly_qualified.pk)})
    assert response.status_code == 200
    assert "Give the reason you are allocating this child to them" in response.content.decode()
    response = client.post(url, {"worker": str(newly_qualified.pk), "reason": "Sibling already with Mia"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.worker == newly_qualified
