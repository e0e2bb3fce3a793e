"""The census details pages: a child's UPN and disabilities, an episode's primary need."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory
from safeguard.people.validators import upn_check_letter

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def _upn(rest: str) -> str:
    return upn_check_letter(rest) + rest


@pytest.fixture
def episode(social_worker):
    child = ChildFactory(
        la_child_id="HM000000600", date_of_birth=D("2015-03-01"), upn="", upn_unknown_reason="UN4"
    )
    return EpisodeFactory(
        child=child, referral_date=D("2025-05-01"), worker=social_worker, team=social_worker.team
    )


def _child_url(episode) -> str:
    return reverse("returns:child_census", args=[episode.child_id])


def test_the_worker_records_a_upn_and_disabilities(client, social_worker, episode):
    client.force_login(social_worker)
    assert client.get(_child_url(episode)).status_code == 200
    upn = _upn("999220172867")
    response = client.post(
        _child_url(episode), {"upn": upn, "upn_unknown_reason": "", "disabilities": ["MOB", "COMM"]}
    )
    assert response.status_code == 302
    child = episode.child
    child.refresh_from_db()
    assert child.upn == upn and child.upn_unknown_reason == ""
    assert sorted(child.disabilities.values_list("code", flat=True)) == ["COMM", "MOB"]
    event = AuditEvent.objects.get(action="returns.child_census_update")
    assert event.changes["disabilities"] == {"before": [], "after": ["COMM", "MOB"]}


def test_a_rule_the_details_break_is_shown_with_its_number_and_nothing_is_saved(
    client, social_worker, episode
):
    client.force_login(social_worker)
    response = client.post(
        _child_url(episode), {"upn": "", "upn_unknown_reason": "UN4", "disabilities": ["NONE", "MOB"]}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "DfE rule 8790" in text
    assert 'value="MOB" checked' in text or "checked" in text
    assert not episode.child.disabilities.exists()


def test_a_child_with_no_upn_needs_a_reason(client, social_worker, episode):
    client.force_login(social_worker)
    response = client.post(
        _child_url(episode), {"upn": "", "upn_unknown_reason": "", "disabilities": ["NONE"]}
    )
    assert "Select why the child has no UPN" in response.content.decode()


def test_the_worker_changes_the_primary_need(client, social_worker, episode):
    client.force_login(social_worker)
    url = reverse("returns:episode_census", args=[episode.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"primary_need": "N4", "referral_source": "2A", "referral_nfa": "no"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.primary_need == "N4" and episode.referral_source == "2A"
    assert AuditEvent.objects.filter(action="returns.episode_census_update").exists()


def test_a_referral_with_no_further_action_and_an_assessment_is_refused(client, social_worker, episode):
    episode.assessments.create(start_date=D("2025-05-02"))
    client.force_login(social_worker)
    url = reverse("returns:episode_census", args=[episode.pk])
    response = client.post(url, {"primary_need": "N1", "referral_source": "2A", "referral_nfa": "yes"})
    assert response.status_code == 200
    assert "DfE rule 8831" in response.content.decode()
    episode.refresh_from_db()
    assert episode.referral_nfa is False


def test_someone_who_may_not_edit_the_child_cannot_open_the_pages(client, episode):
    client.force_login(UserFactory(role=Role.PERFORMANCE_ANALYST))
    assert client.get(_child_url(episode)).status_code == 404
    assert client.get(reverse("returns:episode_census", args=[episode.pk])).status_code in (403, 404)


def test_a_query_asks_for_a_confirmation_and_keeps_what_was_typed(client, social_worker, episode):
    # UN1 ("not of school age") for a child of ten: query 8770Q.
    client.force_login(social_worker)
    answers = {"upn": "", "upn_unknown_reason": "UN1", "disabilities": ["NONE"]}
    response = client.post(_child_url(episode), answers)
    text = response.content.decode()
    assert response.status_code == 200
    assert "DfE rule 8770Q" in text
    assert "I have checked this and it is right" in text
    episode.child.refresh_from_db()
    assert episode.child.upn_unknown_reason == "UN4"
    confirmed = {**answers, "census_confirmed": "on", "census_reason": "Home educated until this term"}
    assert client.post(_child_url(episode), confirmed).status_code == 302
    episode.child.refresh_from_db()
    assert episode.child.upn_unknown_reason == "UN1"


def test_the_child_and_episode_pages_link_to_the_census_details(client, social_worker, episode):
    client.force_login(social_worker)
    child_page = client.get(reverse("people:child_detail", args=[episode.child_id])).content.decode()
    assert _child_url(episode) in child_page
    episode_page = client.get(reverse("casework:episode_detail", args=[episode.pk])).content.decode()
    assert reverse("returns:episode_census", args=[episode.pk]) in episode_page
    client.force_login(UserFactory(role=Role.PERFORMANCE_ANALYST))
    response = client.get(reverse("people:child_detail", args=[episode.child_id]))
    assert _child_url(episode) not in response.content.decode()
