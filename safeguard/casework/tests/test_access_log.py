"""What casework pages write to the access log: the real kind of record, and how it was read."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AccessLogEntry
from safeguard.casework.services.assessments import assessment_start
from safeguard.casework.services.enquiries import strategy_discussion_record
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.access import NOT_FOUND, OUT_OF_SCOPE

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(social_worker):
    return EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 9, 1))


@pytest.fixture
def assessment(social_worker, episode):
    return assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 9, 2))


def _logged(call: Callable[[], object]) -> list[AccessLogEntry]:
    """The access log entries one request wrote."""
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    call()
    return list(AccessLogEntry.objects.exclude(pk__in=before))


def _get(client: Client, name: str, *args: object, status: int = 200) -> Callable[[], object]:
    def call() -> object:
        response = client.get(reverse(name, args=args))
        assert response.status_code == status
        return response

    return call


def test_episode_page_is_an_episode_view(staff_client, episode):
    [entry] = _logged(_get(staff_client, "casework:episode_detail", episode.pk))
    assert (entry.what, entry.action, entry.object_type, entry.object_id, entry.child_id) == (
        "episode",
        "view",
        "casework.cinepisode",
        str(episode.pk),
        episode.child_id,
    )


def test_assessment_page_is_an_assessment_view_not_an_episode(staff_client, episode, assessment):
    [entry] = _logged(_get(staff_client, "casework:assessment", assessment.pk))
    assert (entry.what, entry.action, entry.object_type, entry.object_id, entry.child_id) == (
        "assessment",
        "view",
        "casework.assessment",
        str(assessment.pk),
        episode.child_id,
    )


def test_assessment_pdf_is_one_download_of_the_assessment(staff_client, episode, assessment):
    [entry] = _logged(_get(staff_client, "casework:assessment_pdf", assessment.pk))
    assert (entry.what, entry.action, entry.object_id, entry.child_id) == (
        "assessment",
        "download",
        str(assessment.pk),
        episode.child_id,
    )


def test_chronology_pdf_is_a_download_and_the_page_a_view(staff_client, episode):
    [download] = _logged(_get(staff_client, "casework:chronology_pdf", episode.child_id))
    [view] = _logged(_get(staff_client, "casework:chronology", episode.child_id))
    assert (download.what, download.action, download.child_id) == ("chronology", "download", episode.child_id)
    assert (view.what, view.action) == ("chronology", "view")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("casework:visit_new", "visit"),
        ("casework:note_new", "case_note"),
        ("casework:strategy_discussion", "strategy_discussion"),
        ("casework:cin_plan", "plan"),
        ("casework:close", "episode"),
        ("casework:assessment_start", "assessment"),
    ],
)
def test_episode_forms_name_their_own_kind(staff_client, episode, name, kind):
    [entry] = _logged(_get(staff_client, name, episode.pk))
    assert (entry.what, entry.action, entry.child_id) == (kind, "view", episode.child_id)


def test_section_47_outcome_page_is_a_read_of_the_enquiry(staff_client, social_worker, episode):
    strategy_discussion_record(
        actor=social_worker,
        episode=episode,
        held_on=dt.date(2026, 9, 3),
        agencies=["csc", "police", "health"],
        information_shared="Bruising seen at school.",
        safety_actions="Child stays with grandparent.",
        start_section_47=True,
    )
    enquiry = episode.section_47s.get()
    [entry] = _logged(_get(staff_client, "casework:section_47_outcome", enquiry.pk))
    assert (entry.what, entry.object_type, entry.object_id, entry.child_id) == (
        "section_47",
        "casework.section47enquiry",
        str(enquiry.pk),
        episode.child_id,
    )


def test_another_teams_episode_is_a_refused_attempt_against_that_child(staff_client, social_worker):
    other = EpisodeFactory(team=TeamFactory())
    [entry] = _logged(_get(staff_client, "casework:episode_detail", other.pk, status=404))
    assert (entry.user, entry.what, entry.action, entry.object_id) == (
        social_worker,
        "episode",
        "refused",
        str(other.pk),
    )
    assert (entry.child_id, entry.detail) == (other.child_id, OUT_OF_SCOPE)


def test_an_unknown_assessment_is_refused_with_no_child(staff_client):
    missing = uuid.uuid4()
    [entry] = _logged(_get(staff_client, "casework:assessment", missing, status=404))
    assert (entry.what, entry.action, entry.object_id, entry.child_id, entry.detail) == (
        "assessment",
        "refused",
        str(missing),
        None,
        NOT_FOUND,
    )


def test_an_action_not_allowed_is_refused_with_403(client, social_worker, episode):
    # A colleague in the same team may see the child but not edit another worker's case.
    colleague = UserFactory(role=social_worker.role, team=social_worker.team)
    client.force_login(colleague)
    [entry] = _logged(_get(client, "casework:visit_new", episode.pk, status=403))
    assert (entry.user, entry.what, entry.action, entry.child_id) == (
        colleague,
        "visit",
        "refused",
        episode.child_id,
    )
    assert "may not edit" in entry.detail


def test_clock_board_is_a_list_with_no_child(staff_client, episode):
    [entry] = _logged(_get(staff_client, "casework:clocks"))
    assert (entry.what, entry.action, entry.child_id, entry.object_id) == ("clock_board", "list", None, "")
    assert entry.detail.startswith("Own clocks:")
