"""The analyst's pre-submission report page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AccessLogEntry
from safeguard.casework.models import Assessment
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.models import SealedRecordAccess
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
URL = reverse("returns:cin_census_report")
D = dt.date.fromisoformat


@pytest.fixture
def analyst():
    return UserFactory(role=Role.PERFORMANCE_ANALYST)


def _closed_without_assessment(la_child_id: str, **episode):
    """An episode closed after assessment (RC8) with no assessment: query 8825Q."""
    # Under school age, so rule 8770Q (a school-age child with no UPN) does not apply.
    child = ChildFactory(
        la_child_id=la_child_id, given_name="Ruby", family_name="Evans", date_of_birth=D("2022-03-01")
    )
    return EpisodeFactory(
        child=child,
        referral_date=D("2025-08-01"),
        closure_date=D("2025-09-01"),
        reason_for_closure="RC8",
        **episode,
    )


def test_the_report_lists_each_failure_with_a_link_to_fix_it(client, analyst):
    episode = _closed_without_assessment("HM000000100")
    client.force_login(analyst)
    response = client.get(URL, {"year": "2026"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "0 errors and 1 query." in text
    assert "8825Q" in text
    assert "HM000000100" in text
    assert reverse("casework:episode_detail", args=[episode.pk]) in text
    assert "but has no assessment" in text
    entry = AccessLogEntry.objects.get(user=analyst)
    assert "CIN census pre-submission report 2025-26" in entry.detail


def test_the_report_filters_by_team(client, analyst):
    team, other = TeamFactory(), TeamFactory()
    _closed_without_assessment("HM000000101", team=team)
    _closed_without_assessment("HM000000102", team=other)
    client.force_login(analyst)
    text = client.get(URL, {"year": "2026", "team": str(team.pk)}).content.decode()
    assert "HM000000101" in text
    assert "HM000000102" not in text


def test_the_page_asks_for_a_year_first(client, analyst):
    client.force_login(analyst)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Show the report" in response.content.decode()
    assert not AccessLogEntry.objects.filter(user=analyst).exists()


def test_other_roles_are_refused(client, social_worker):
    client.force_login(social_worker)
    assert client.get(URL, {"year": "2026"}).status_code == 403


def test_a_sealed_child_is_left_out_unless_the_analyst_is_named(client, analyst):
    episode = _closed_without_assessment("HM000000103")
    child = episode.child
    child.is_sealed = True
    child.save()
    client.force_login(analyst)
    text = client.get(URL, {"year": "2026"}).content.decode()
    assert "HM000000103" not in text
    assert "Ruby Evans" not in text
    assert "0 errors and 0 queries." in text
    SealedRecordAccess.objects.create(person=child, user=analyst)
    assert "HM000000103" in client.get(URL, {"year": "2026"}).content.decode()


def test_the_analyst_finds_the_report_in_the_header(client, analyst, social_worker):
    client.force_login(analyst)
    assert URL in client.get(reverse("home:home")).content.decode()
    client.force_login(social_worker)
    assert URL not in client.get(reverse("home:home")).content.decode()


def test_the_report_filters_by_worker(client, analyst):
    mine, theirs = UserFactory(role=Role.SOCIAL_WORKER), UserFactory(role=Role.SOCIAL_WORKER)
    _closed_without_assessment("HM000000104", worker=mine)
    _closed_without_assessment("HM000000105", worker=theirs)
    client.force_login(analyst)
    text = client.get(URL, {"year": "2026", "worker": str(mine.pk)}).content.decode()
    assert "HM000000104" in text
    assert "HM000000105" not in text


def test_a_bad_filter_is_refused_with_a_message_and_no_report(client, analyst):
    _closed_without_assessment("HM000000106")
    client.force_login(analyst)
    response = client.get(URL, {"year": "2026", "team": "not-a-team"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "HM000000106" not in text
    text = client.get(URL, {"year": "2019"}).content.decode()
    assert "Select a census year from the list" in text


def test_a_failure_on_an_assessment_links_to_the_assessment(client, analyst):
    child = ChildFactory(la_child_id="HM000000107", date_of_birth=D("2022-03-01"))
    episode = EpisodeFactory(child=child, referral_date=D("2025-08-01"))
    # Authorised with no factors: query 8897Q, fixed on the assessment itself.
    assessment = Assessment.objects.create(
        episode=episode, start_date=D("2025-08-10"), authorised_date=D("2025-09-05"), factors=[]
    )
    client.force_login(analyst)
    text = client.get(URL, {"year": "2026"}).content.decode()
    assert "8897Q" in text
    assert reverse("casework:assessment", args=[assessment.pk]) in text


def test_the_return_as_a_whole_is_listed_apart(client, analyst):
    _closed_without_assessment("HM000000108")
    client.force_login(analyst)
    text = client.get(URL, {"year": "2026"}).content.decode()
    assert "The return as a whole" in text
    assert "2887Q" in text and "Fewer than 8 different disability codes" in text
