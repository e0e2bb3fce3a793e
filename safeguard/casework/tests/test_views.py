from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from markupsafe import escape

from safeguard.accounts.models import Role, TeamKind
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AccessLogEntry
from safeguard.casework import services
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import Assessment, AssessmentSection, Section47Enquiry, StatutoryClock
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


def test_assessment_sections_autosave_and_conflicts(staff_client, client, manager, episode):
    staff_client.post(
        reverse("casework:assessment_start", args=[episode.pk]), _date("start_date", dt.date(2026, 11, 3))
    )
    assessment = Assessment.objects.get()
    url = reverse("casework:assessment_autosave", args=[assessment.pk, "analysis"])
    first = staff_client.post(url, {"text": "Draft words", "version": "0"})
    assert first.status_code == 200 and first.json()["version"] == 1
    client.force_login(manager)
    clash = client.post(url, {"text": "Manager's words", "version": "0"})
    assert clash.status_code == 409 and "Someone else has saved" in clash.json()["error"]
    assert AssessmentSection.objects.get(key="analysis").text == "Draft words"
    page = staff_client.get(
        reverse("casework:assessment_section", args=[assessment.pk, "analysis"])
    ).content.decode()
    assert "Draft words" in page and 'name="version" value="1"' in page
    assert "Your draft was restored: last saved" in page


def _start(staff_client, episode) -> Assessment:
    staff_client.post(
        reverse("casework:assessment_start", args=[episode.pk]), _date("start_date", dt.date(2026, 11, 3))
    )
    return Assessment.objects.get()


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)" name="{name}"', page
    )
    assert found, f"no {name} field"
    return found.group(1)


def test_the_pages_autosave_and_save_and_return_crossing_is_not_a_conflict(staff_client, episode):
    assessment = _start(staff_client, episode)
    section_url = reverse("casework:assessment_section", args=[assessment.pk, "analysis"])
    page = staff_client.get(section_url).content.decode()
    edit = _hidden(page, "edit")
    assert len(edit) == 32 and _hidden(page, "version") == "0"
    assert "saved as you type" not in page
    assert "Your draft is saved every 30 seconds and when you leave the box." in page  # for the script
    # Leaving the box autosaves; the form, sent at the same moment, still says version 0.
    autosave = reverse("casework:assessment_autosave", args=[assessment.pk, "analysis"])
    assert (
        staff_client.post(autosave, {"text": "Risk is low", "version": "0", "edit": edit}).json()["version"]
        == 1
    )
    response = staff_client.post(section_url, {"text": "Risk is low", "version": "0", "edit": edit})
    assert response.status_code == 302
    assert AssessmentSection.objects.get(key="analysis").text == "Risk is low"
    # A new drawing of the page is a new edit, with the version it shows.
    again = staff_client.get(section_url).content.decode()
    assert _hidden(again, "edit") != edit and _hidden(again, "version") == "1"


def test_a_real_conflict_shows_both_texts_and_saving_again_works(staff_client, manager, episode):
    assessment = _start(staff_client, episode)
    section_url = reverse("casework:assessment_section", args=[assessment.pk, "analysis"])
    edit = _hidden(staff_client.get(section_url).content.decode(), "edit")
    other = Client()
    other.force_login(manager)
    manager_edit = _hidden(other.get(section_url).content.decode(), "edit")
    other.post(section_url, {"text": "The manager's analysis", "version": "0", "edit": manager_edit})
    response = staff_client.post(section_url, {"text": "The worker's analysis", "version": "0", "edit": edit})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"What {escape(manager.display_name)} saved" in page and "Someone else saved this section" in page
    assert "The manager&#39;s analysis" in page and "The worker&#39;s analysis" in page
    assert AssessmentSection.objects.get(key="analysis").text == "The manager's analysis"
    # The page now stands on the manager's version: saving again is accepted.
    assert _hidden(page, "version") == "1" and _hidden(page, "edit") != edit
    merged = {"text": "Both analyses", "version": "1", "edit": _hidden(page, "edit")}
    assert staff_client.post(section_url, merged).status_code == 302
    assert AssessmentSection.objects.get(key="analysis").text == "Both analyses"


def test_the_same_user_in_another_window_is_not_called_someone_else(staff_client, social_worker, episode):
    assessment = _start(staff_client, episode)
    section_url = reverse("casework:assessment_section", args=[assessment.pk, "analysis"])
    first = _hidden(staff_client.get(section_url).content.decode(), "edit")
    second = _hidden(staff_client.get(section_url).content.decode(), "edit")
    staff_client.post(section_url, {"text": "From the first window", "version": "0", "edit": first})
    page = staff_client.post(
        section_url, {"text": "From the second window", "version": "0", "edit": second}
    ).content.decode()
    assert "What you saved in another window or tab" in page and "Someone else" not in page
    autosave = reverse("casework:assessment_autosave", args=[assessment.pk, "analysis"])
    clash = staff_client.post(autosave, {"text": "Again", "version": "0", "edit": second})
    assert clash.status_code == 409 and "another window or tab" in clash.json()["error"]
    assert "version" not in clash.json()


def _submitted(staff_client, social_worker, episode) -> Assessment:
    assessment = _start(staff_client, episode)
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        services.assessment_section_save(
            actor=social_worker, assessment=assessment, key=key, text=f"About {key}", based_on_version=0
        )
    services.assessment_record_details(
        actor=social_worker,
        assessment=assessment,
        fields={"child_seen_date": dt.date(2026, 11, 5), "factors": ["3B"], "outcome": "services"},
    )
    return services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))


def test_a_submitted_assessments_sections_are_read_only(staff_client, social_worker, episode):
    assessment = _submitted(staff_client, social_worker, episode)
    section_url = reverse("casework:assessment_section", args=[assessment.pk, "analysis"])
    page = staff_client.get(section_url).content.decode()
    assert "has been sent for authorisation, so its sections can no longer be changed" in page
    assert "About analysis" in page and "<textarea" not in page and "data-autosave-url" not in page
    assert "Save and return" not in page
    overview = staff_client.get(reverse("casework:assessment", args=[assessment.pk])).content.decode()
    assert f'href="{section_url}"' in overview  # readable from the task list
    assert "Submit for authorisation" not in overview
    # The server refuses writes too, and shows back what was typed.
    refused = staff_client.post(section_url, {"text": "A late change", "version": "1", "edit": "x" * 32})
    html = refused.content.decode()
    assert refused.status_code == 409 and "can no longer be changed" in html and "A late change" in html
    assert "Your words that were not saved" in html and "<textarea" not in html
    autosave = reverse("casework:assessment_autosave", args=[assessment.pk, "analysis"])
    late = staff_client.post(autosave, {"text": "A late autosave", "version": "1", "edit": "x" * 32})
    assert late.status_code == 409 and "can no longer be changed" in late.json()["error"]
    assert AssessmentSection.objects.get(key="analysis").text == "About analysis"


def test_the_whole_assessment_by_http(staff_client, client, manager, social_worker, episode):
    staff_client.post(
        reverse("casework:assessment_start", args=[episode.pk]), _date("start_date", dt.date(2026, 11, 3))
    )
    assessment = Assessment.objects.get()
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        staff_client.post(
            reverse("casework:assessment_section", args=[assessment.pk, key]),
            {"text": f"About {key}", "version": "0"},
        )
    staff_client.post(
        reverse("casework:assessment_details", args=[assessment.pk]),
        {
            **_date("child_seen_date", dt.date(2026, 11, 5)),
            "child_seen_alone": "yes",
            "factors": ["3B"],
            "outcome": "services",
        },
    )
    staff_client.post(reverse("casework:assessment_submit", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    client.force_login(manager)
    client.post(
        reverse("casework:assessment_authorise", args=[assessment.pk]),
        _date("authorised_on", dt.date(2026, 11, 20)),
    )
    assessment.refresh_from_db()
    assert assessment.status == "authorised" and assessment.authorised_date == dt.date(2026, 11, 20)
    assert StatutoryClock.objects.get().met_date == dt.date(2026, 11, 20)


def test_submitting_an_incomplete_assessment_says_what_is_missing(staff_client, episode):
    staff_client.post(
        reverse("casework:assessment_start", args=[episode.pk]), _date("start_date", dt.date(2026, 11, 3))
    )
    assessment = Assessment.objects.get()
    response = staff_client.post(reverse("casework:assessment_submit", args=[assessment.pk]), follow=True)
    assert "Write the analysis section" in response.content.decode()


def test_assessment_cannot_start_before_the_referral(staff_client, episode):
    html = staff_client.post(
        reverse("casework:assessment_start", args=[episode.pk]), _date("start_date", dt.date(2026, 10, 1))
    ).content.decode()
    assert "The assessment cannot start before the referral" in html
    assert 'value="2026"' in html


def test_strategy_discussion_page_explains_missing_agencies_and_keeps_answers(staff_client, episode):
    html = staff_client.post(
        reverse("casework:strategy_discussion", args=[episode.pk]),
        {
            **_date("held_on", dt.date(2026, 11, 25)),
            "agencies": ["csc", "police"],
            "information_shared": "Report",
            "safety_actions": "Stays with aunt",
            "start_section_47": "yes",
        },
    ).content.decode()
    assert "add health" in html and "Stays with aunt" in html
    assert not Section47Enquiry.objects.exists()


def test_strategy_discussion_in_the_future_is_refused(staff_client, episode):
    html = staff_client.post(
        reverse("casework:strategy_discussion", args=[episode.pk]),
        {
            **_date("held_on", dt.date(2099, 1, 1)),
            "agencies": ["csc", "police", "health"],
            "information_shared": "x",
            "safety_actions": "y",
            "start_section_47": "yes",
        },
    ).content.decode()
    assert "must be today or in the past" in html


def test_close_explains_the_census_rule(staff_client, episode):
    html = staff_client.post(
        reverse("casework:close", args=[episode.pk]),
        {**_date("closure_date", dt.date(2026, 11, 20)), "reason": "RC8"},
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


def test_a_manager_who_wrote_part_of_an_assessment_is_told_why_they_cannot_authorise_it(
    staff_client, client, manager, social_worker, episode
):
    from safeguard.casework import services

    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        services.assessment_section_save(
            actor=manager, assessment=assessment, key=key, text=f"About {key}", based_on_version=0
        )
    services.assessment_record_details(
        actor=social_worker,
        assessment=assessment,
        fields={"child_seen_date": dt.date(2026, 11, 5), "factors": ["3B"], "outcome": "services"},
    )
    services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    client.force_login(manager)
    first_title = escape(ASSESSMENT_SECTIONS[0][1])
    reason = f"You wrote part of this assessment ({first_title}). A manager other than the assessing worker"
    url = reverse("casework:assessment_authorise", args=[assessment.pk])
    overview = client.get(reverse("casework:assessment", args=[assessment.pk])).content.decode()
    assert reason in overview and f'href="{url}"' not in overview  # no button, but the reason why
    assert reason in client.get(url).content.decode()
    response = client.post(url, _date("authorised_on", dt.date(2026, 11, 20)))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and reason in page
    assert "<title>Error: " in page
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.authorised_by is None


def test_the_assessment_pdf_is_tagged_and_says_who_did_it_and_who_signed_it_off(
    staff_client, social_worker, manager, episode
):
    pypdf = pytest.importorskip("pypdf")
    assessment = _submitted(staff_client, social_worker, episode)
    services.assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 24))
    response = staff_client.get(reverse("casework:assessment_pdf", args=[assessment.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    # Tagged for screen readers (PDF/UA-1): a structure tree, marked content, language, title.
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en" and bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title == "Child and family assessment"
    assert b"pdfuaid" in catalog["/Metadata"].get_data()
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Started 3 November 2026" in text
    assert f"Assessing worker {social_worker.display_name}" in text
    assert "Sent for authorisation 20 November 2026" in text
    assert f"Manager's sign-off Authorised by {manager.display_name} on 24 November 2026" in text
    assert "About child_views" in text


def test_an_unsigned_assessment_pdf_says_it_is_not_yet_signed_off(staff_client, social_worker, episode):
    pypdf = pytest.importorskip("pypdf")
    assessment = _start(staff_client, episode)
    response = staff_client.get(reverse("casework:assessment_pdf", args=[assessment.pk]))
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Manager's sign-off Not yet" in text and "Started 3 November 2026" in text
    assert f"Assessing worker {episode.worker.display_name}" in text


# -- the hand-off ------------------------------------------------------------------------


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
