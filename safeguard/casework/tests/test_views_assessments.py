from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from markupsafe import escape

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import Assessment, AssessmentSection, StatutoryClock
from safeguard.casework.services.assessments import (
    assessment_authorise,
    assessment_record_details,
    assessment_section_save,
    assessment_start,
    assessment_submit,
)
from safeguard.casework.tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(social_worker):
    return EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 11, 2))


@pytest.fixture
def manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


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
        assessment_section_save(
            actor=social_worker, assessment=assessment, key=key, text=f"About {key}", based_on_version=0
        )
    assessment_record_details(
        actor=social_worker,
        assessment=assessment,
        fields={"child_seen_date": dt.date(2026, 11, 5), "factors": ["3B"], "outcome": "services"},
    )
    return assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))


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
    # The census rule says so as the date is entered, before the service's own check.
    assert "The assessment starts before the referral date (DfE rule 1103)" in html
    assert 'value="2026"' in html


def test_a_manager_who_wrote_part_of_an_assessment_is_told_why_they_cannot_authorise_it(
    staff_client, client, manager, social_worker, episode
):

    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        assessment_section_save(
            actor=manager, assessment=assessment, key=key, text=f"About {key}", based_on_version=0
        )
    assessment_record_details(
        actor=social_worker,
        assessment=assessment,
        fields={"child_seen_date": dt.date(2026, 11, 5), "factors": ["3B"], "outcome": "services"},
    )
    assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
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
    assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 24))
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


def test_the_internal_review_date_is_entered_shown_and_refused_before_the_start(staff_client, episode):
    staff_client.post(
        reverse("casework:assessment_start", args=[episode.pk]), _date("start_date", dt.date(2026, 11, 3))
    )
    assessment = Assessment.objects.get()
    details = reverse("casework:assessment_details", args=[assessment.pk])
    refused = staff_client.post(
        details, {**_date("internal_review_date", dt.date(2026, 11, 2)), "outcome": "services"}
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "The internal review must be on or after the day the assessment started" in html
    # What was typed is still there, and nothing was saved.
    assert re.search(r'name="internal_review_date-day" type="text" value="2"', html)
    assessment.refresh_from_db()
    assert assessment.internal_review_date is None and assessment.outcome == ""

    staff_client.post(details, _date("internal_review_date", dt.date(2026, 11, 17)))
    page = staff_client.get(reverse("casework:assessment", args=[assessment.pk])).content.decode()
    assert "Reviewed part-way by a manager on 17 November 2026" in page
