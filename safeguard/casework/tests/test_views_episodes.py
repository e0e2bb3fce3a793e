from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.accounts.models import Role, TeamKind
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AccessLogEntry
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import AddressFactory, ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(social_worker):
    return EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 11, 2))


@pytest.fixture
def manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def test_episode_page_shows_to_the_team_and_logs_the_read(staff_client, social_worker, episode):
    response = staff_client.get(reverse("casework:episode_detail", args=[episode.pk]))
    assert response.status_code == 200 and "Episode from 2 November 2026" in response.content.decode()
    assert AccessLogEntry.objects.filter(what="episode", child_id=episode.child_id).exists()


def test_another_teams_episode_is_not_found(staff_client):
    other = EpisodeFactory(team=TeamFactory())
    assert staff_client.get(reverse("casework:episode_detail", args=[other.pk])).status_code == 404


def test_social_worker_cannot_allocate(staff_client, episode):
    assert staff_client.get(reverse("casework:allocate", args=[episode.pk])).status_code == 403


def test_manager_allocates_seeing_caseloads(client, manager, social_worker, episode):
    client.force_login(manager)
    page = client.get(reverse("casework:allocate", args=[episode.pk])).content.decode()
    team = social_worker.team.name
    assert (
        f"{social_worker.display_name} ({team}): 1 child, weighted caseload 1 against 18 for their hours"
        in page
    )
    colleague = UserFactory(role=Role.SOCIAL_WORKER, team=social_worker.team)
    client.post(reverse("casework:allocate", args=[episode.pk]), {"worker": str(colleague.pk)})
    episode.refresh_from_db()
    assert episode.worker == colleague


def test_close_explains_the_census_rule(staff_client, episode):
    answers = {**_date("closure_date", dt.date(2026, 11, 20)), "reason": "RC8"}
    html = staff_client.post(reverse("casework:close", args=[episode.pk]), answers).content.decode()
    # The census query as the closure is entered, then the service's own refusal.
    assert "DfE rule 8825Q" in html
    html = staff_client.post(
        reverse("casework:close", args=[episode.pk]), {**answers, "census_confirmed": "on"}
    ).content.decode()
    assert "needs an assessment on this episode" in html
    episode.refresh_from_db()
    assert episode.is_open


def test_clocks_page_shows_status_in_words(staff_client, episode):
    staff_client.post(
        reverse("casework:assessment_start", args=[episode.pk]), _date("start_date", dt.date(2026, 11, 3))
    )
    html = staff_client.get(reverse("casework:clocks")).content.decode()
    assert "working day" in html and episode.child.full_name in html


def test_partner_cannot_open_clocks(client, partner_user):
    client.force_login(partner_user)
    assert client.get(reverse("casework:clocks")).status_code == 403


@pytest.fixture
def front_door_user():
    return UserFactory(
        role=Role.FRONT_DOOR_PRACTITIONER, team=TeamFactory(name="Front Door", kind=TeamKind.FRONT_DOOR)
    )


@pytest.fixture
def new_referral(front_door_user):
    child = ChildFactory()
    AddressFactory(person=child, postcode="HM7 2CD")
    return EpisodeFactory(child=child, team=front_door_user.team, referral_date=dt.date(2026, 11, 2))


def test_the_front_door_sends_a_referral_from_the_episode_page(
    client, front_door_user, new_referral, social_worker, manager
):
    social_worker.team.postcode_districts = "HM7"
    social_worker.team.save()
    client.force_login(front_door_user)
    page = client.get(reverse("casework:episode_detail", args=[new_referral.pk])).content.decode()
    assert "Send to a team" in page and "Allocate a worker" not in page
    url = reverse("casework:send_to_team", args=[new_referral.pk])
    form = client.get(url).content.decode()
    assert f'<option value="{social_worker.team.pk}" selected>' in form  # the team covering HM7
    missing = client.post(url, {"team": "", "reason": "Note kept"}).content.decode()
    assert "Select the team that will receive the referral" in missing and "Note kept" in missing
    response = client.post(url, {"team": str(social_worker.team.pk), "reason": ""})
    assert response["Location"] == reverse("casework:episode_detail", args=[new_referral.pk])
    new_referral.refresh_from_db()
    assert new_referral.team == social_worker.team
    assert client.get(url).status_code == 403  # it is the team's now

    client.force_login(manager)
    page = client.get(reverse("casework:episode_detail", args=[new_referral.pk])).content.decode()
    assert "Allocate a worker" in page and "Send to a team" not in page
    choices = client.get(reverse("casework:allocate", args=[new_referral.pk])).content.decode()
    assert social_worker.display_name in choices and front_door_user.display_name not in choices


def test_only_the_front_door_sends_referrals(staff_client, new_referral, front_door_user):
    url = reverse("casework:send_to_team", args=[new_referral.pk])
    assert staff_client.get(url).status_code == 404  # not the social worker's team: not found


def test_a_service_manager_transfers_the_case(client, social_worker, manager, episode):
    protection = TeamFactory(name="Child Protection 2", kind=TeamKind.CHILD_PROTECTION)
    url = reverse("casework:transfer", args=[episode.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 403
    assert (
        "Transfer to another team"
        not in client.get(reverse("casework:episode_detail", args=[episode.pk])).content.decode()
    )
    service_manager = UserFactory(role=Role.SERVICE_MANAGER, team=social_worker.team)
    client.force_login(service_manager)
    form = client.get(url).content.decode()
    assert "Child Protection 2" in form and f'value="{social_worker.team.pk}"' not in form
    refused = client.post(url, {"team": str(protection.pk), "reason": ""}).content.decode()
    assert "Enter the reason for the transfer" in refused
    client.post(url, {"team": str(protection.pk), "reason": "A child protection plan was made"})
    episode.refresh_from_db()
    assert episode.team == protection and episode.worker is None
