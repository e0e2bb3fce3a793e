from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.casework.models import ChildProtectionPlan, Section47Outcome
from safeguard.conferences.models import Conference, ConferenceAttendance, ConferenceStatus
from safeguard.conferences.services import conference_propose_initial
from safeguard.conferences.tests.scenario import build_case, scheduled, today_is

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return str(response.content.decode())


# -- the chairs' diary ----------------------------------------------------------------------


def test_the_diary_lists_the_next_weeks_conferences_with_readiness(client):
    case = build_case()
    conference = scheduled(case, day=dt.date(2026, 11, 19))
    client.force_login(case.chair)
    with today_is(dt.date(2026, 11, 16)):
        response = client.get(reverse("conferences:diary"))
    assert response.status_code == 200
    page = _html(response)
    assert case.child.full_name in page
    assert reverse("conferences:detail", args=[conference.pk]) in page
    assert "Grace Osei (you)" in page
    assert "Within target" in page
    assert "Not authorised" in page  # no authorised assessment on this episode
    assert "Booked" in page


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.DIRECTOR, Role.PARTNER_AGENCY])
def test_the_diary_is_for_conference_chairs_only(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("conferences:diary")).status_code == 403


# -- proposing ------------------------------------------------------------------------------


def test_the_worker_proposes_the_conference_from_the_enquiry(client):
    case = build_case()
    client.force_login(case.worker)
    url = reverse("conferences:propose", args=[case.enquiry.pk])
    page = _html(client.get(url))
    assert "Propose the initial child protection conference" in page
    assert "23 November 2026" in page
    response = client.post(url)
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("conferences:detail", args=[conference.pk])
    # Once proposed, the page goes to the conference rather than offering a second.
    assert client.get(url)["Location"] == reverse("conferences:detail", args=[conference.pk])


def test_the_episode_page_links_to_the_proposal_while_no_conference_is_held(client):
    case = build_case()
    client.force_login(case.worker)
    episode_url = reverse("casework:episode_detail", args=[case.enquiry.episode_id])
    page = _html(client.get(episode_url))
    link = f'href="{reverse("conferences:propose", args=[case.enquiry.pk])}">Propose the conference</a>'
    assert link in page
    case.enquiry.icpc_date = dt.date(2026, 11, 20)
    case.enquiry.save(update_fields=["icpc_date"])
    assert link not in _html(client.get(episode_url))


def test_a_second_proposal_posted_from_an_old_page_is_refused_with_a_message(client):
    case = build_case()
    conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    client.force_login(case.worker)
    response = client.post(reverse("conferences:propose", args=[case.enquiry.pk]))
    assert response.status_code == 200
    assert "already has an initial conference" in _html(response)
    assert Conference.objects.count() == 1


def test_an_enquiry_with_no_conference_needed_says_so(client):
    case = build_case(outcome=Section47Outcome.ICPC_NOT_REQUIRED)
    client.force_login(case.worker)
    response = client.post(reverse("conferences:propose", args=[case.enquiry.pk]))
    assert response.status_code == 200
    assert "outcome is that a conference is needed" in _html(response)
    assert not Conference.objects.exists()


def test_someone_outside_the_childs_team_cannot_find_the_enquiry(client):
    case = build_case()
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER, team=TeamFactory()))
    assert client.get(reverse("conferences:propose", args=[case.enquiry.pk])).status_code == 404


# -- scheduling -----------------------------------------------------------------------------


def _schedule_data(chair, **overrides):
    data = {
        "chair": str(chair.pk),
        "day-day": "19",
        "day-month": "11",
        "day-year": "2026",
        "time": "10:00",
        "room": "Room 2, Civic Centre",
        "video_link": "",
        "late_reason": "",
    }
    data.update(overrides)
    return data


def test_a_chair_schedules_the_conference(client):
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    client.force_login(case.chair)
    url = reverse("conferences:schedule", args=[conference.pk])
    page = _html(client.get(url))
    assert "It must be held by <strong>23 November 2026</strong>" in page
    # The worker's managers are listed with why they cannot chair.
    assert "Tom Reid (not independent: Tom Reid manages the allocated worker" in page
    with today_is(dt.date(2026, 11, 16)):
        response = client.post(url, _schedule_data(case.chair))
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.SCHEDULED
    assert conference.chair == case.chair


def test_a_chair_in_line_management_is_refused_on_the_page_and_nothing_typed_is_lost(client):
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    client.force_login(case.chair)
    response = client.post(
        reverse("conferences:schedule", args=[conference.pk]),
        _schedule_data(case.team_manager, room="Room 7, Town Hall"),
    )
    page = _html(response)
    assert response.status_code == 200
    assert "s team, so is not independent of the case" in page
    assert 'value="Room 7, Town Hall"' in page
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PROPOSED


def test_after_the_target_the_page_asks_for_the_reason(client):
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    client.force_login(case.chair)
    response = client.post(
        reverse("conferences:schedule", args=[conference.pk]), _schedule_data(case.chair, **{"day-day": "24"})
    )
    assert "Give the reason the conference is after its target date, 23 November 2026" in _html(response)


def test_a_bad_time_is_refused_by_the_form(client):
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    client.force_login(case.chair)
    response = client.post(
        reverse("conferences:schedule", args=[conference.pk]), _schedule_data(case.chair, time="25:00")
    )
    assert "Enter the start time as hours and minutes" in _html(response)


def test_the_team_manager_may_schedule_but_the_worker_may_not(client):
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    url = reverse("conferences:schedule", args=[conference.pk])
    client.force_login(case.team_manager)
    assert client.get(url).status_code == 200
    client.force_login(case.worker)
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(role=Role.TEAM_MANAGER, team=TeamFactory()))
    assert client.get(url).status_code == 404


# -- recording ------------------------------------------------------------------------------


def _record_data(**overrides):
    data = {
        "held_on-day": "19",
        "held_on-month": "11",
        "held_on-year": "2026",
        "name_1": "Priya Shah",
        "agency_1": "csc",
        "role_1": "Social worker",
        "attendance_1": "present",
        "name_2": "PC Dale Hurst",
        "agency_2": "police",
        "role_2": "",
        "attendance_2": "present",
        "name_3": "Jo Penn",
        "agency_3": "school",
        "role_3": "",
        "attendance_3": "present",
        "plan_needed": "yes",
        "category": "PHY",
        "lead_worker": "",
        "dissent": "",
        "late_reason": "",
        "not_quorate_reason": "",
    }
    data.update(overrides)
    return data


def test_the_chair_records_a_plan(client):
    case = build_case()
    conference = scheduled(case)
    client.force_login(case.chair)
    url = reverse("conferences:record", args=[conference.pk])
    assert "Record the initial child protection conference" in _html(client.get(url))
    with today_is(dt.date(2026, 11, 20)):
        response = client.post(url, _record_data(lead_worker=str(case.worker.pk)))
    assert response.status_code == 302
    plan = ChildProtectionPlan.objects.get(child=case.child)
    assert plan.initial_category == "PHY"
    assert ConferenceAttendance.objects.filter(conference=conference).count() == 3
    detail = _html(client.get(reverse("conferences:detail", args=[conference.pk])))
    assert "Yes: Physical abuse" in detail
    assert "PC Dale Hurst" in detail


def test_a_plan_with_no_category_is_refused_and_the_attendance_typed_is_kept(client):
    case = build_case()
    conference = scheduled(case)
    client.force_login(case.chair)
    with today_is(dt.date(2026, 11, 20)):
        response = client.post(
            reverse("conferences:record", args=[conference.pk]),
            _record_data(category="", lead_worker=str(case.worker.pk)),
        )
    page = _html(response)
    assert response.status_code == 200
    assert "Choose the category of abuse for the plan" in page
    assert 'value="PC Dale Hurst"' in page
    assert not ConferenceAttendance.objects.exists()
    assert not ChildProtectionPlan.objects.exists()


def test_a_named_person_needs_an_agency_and_attendance(client):
    case = build_case()
    conference = scheduled(case)
    client.force_login(case.chair)
    with today_is(dt.date(2026, 11, 20)):
        response = client.post(
            reverse("conferences:record", args=[conference.pk]),
            _record_data(name_4="Dr Ana Ruiz", plan_needed="no", category=""),
        )
    page = _html(response)
    assert "Select the agency of person 4" in page
    assert "Select whether person 4 was present, sent apologies or a report only" in page


def test_only_the_conferences_chair_may_record_it(client):
    case = build_case()
    conference = scheduled(case)
    url = reverse("conferences:record", args=[conference.pk])
    client.force_login(case.other_chair)
    assert client.get(url).status_code == 403
    client.force_login(case.worker)
    assert client.get(url).status_code == 403


def test_the_conference_page_is_hidden_from_people_outside_the_case(client):
    case = build_case()
    conference = scheduled(case)
    url = reverse("conferences:detail", args=[conference.pk])
    client.force_login(case.worker)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER, team=TeamFactory()))
    assert client.get(url).status_code == 404


def test_the_header_offers_the_diary_to_chairs_only(client):
    case = build_case()
    diary = f'href="{reverse("conferences:diary")}"'
    client.force_login(case.chair)
    assert diary in _html(client.get(reverse("home:home")))
    client.force_login(case.worker)
    assert diary not in _html(client.get(reverse("home:home")))
