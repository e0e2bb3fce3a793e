from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessLogEntry, AuditEvent
from safeguard.casework.models import CaseNote, ChronologyEntry, ClockKind, StatutoryClock, Visit
from safeguard.casework.services.assessments import assessment_section_save, assessment_start
from safeguard.casework.services.plans import cin_plan_start
from safeguard.casework.services.recording import visit_record
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.core.calendar import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(social_worker):
    return EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 9, 1))


def _date(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def test_a_visit_in_the_future_is_refused_and_answers_kept(staff_client, episode):
    html = staff_client.post(
        reverse("casework:visit_new", args=[episode.pk]),
        {
            **_date("visit_date", dt.date(2099, 1, 1)),
            "kind": "cin",
            "child_seen": "yes",
            "child_seen_alone": "yes",
            "observations": "Bedroom tidy; child chatty.",
        },
    ).content.decode()
    assert "must be today or in the past" in html and "Bedroom tidy; child chatty." in html
    assert not Visit.objects.exists()


def test_not_seen_cannot_be_seen_alone(staff_client, episode):
    html = staff_client.post(
        reverse("casework:visit_new", args=[episode.pk]),
        {
            **_date("visit_date", dt.date(2026, 11, 2)),
            "kind": "cin",
            "child_seen": "no",
            "child_seen_alone": "yes",
            "observations": "Nobody home.",
        },
    ).content.decode()
    assert "A child who was not seen cannot have been seen alone" in html


def test_cp_visits_keep_the_visit_clock_running(social_worker, episode):
    CPPlanFactory(child=episode.child, episode=episode, start_date=dt.date(2026, 10, 1))
    visit_record(
        actor=social_worker,
        episode=episode,
        visit_date=dt.date(2026, 11, 2),
        kind="cp",
        child_seen=True,
        child_seen_alone=True,
        observations="Seen at school.",
    )
    first = StatutoryClock.objects.get(kind=ClockKind.CP_VISIT)
    assert first.due_date == add_working_days(dt.date(2026, 11, 2), 10)
    visit_record(
        actor=social_worker,
        episode=episode,
        visit_date=dt.date(2026, 11, 10),
        kind="cp",
        child_seen=True,
        child_seen_alone=False,
        observations="Seen at home.",
    )
    first.refresh_from_db()
    assert first.met_date == dt.date(2026, 11, 10)
    assert StatutoryClock.objects.filter(kind=ClockKind.CP_VISIT, met_date__isnull=True).count() == 1


def test_case_note_is_saved_and_audited(staff_client, social_worker, episode):
    staff_client.post(
        reverse("casework:note_new", args=[episode.pk]),
        {**_date("written_on", dt.date(2026, 11, 3)), "text": "Phoned the school."},
    )
    assert CaseNote.objects.get().text == "Phoned the school."
    assert AuditEvent.objects.filter(action="case_note_add", actor=social_worker).exists()
    assert (
        "Phoned the school."
        in staff_client.get(reverse("casework:episode_detail", args=[episode.pk])).content.decode()
    )


def test_chronology_merges_record_events_with_workers_analysis(staff_client, social_worker, episode):
    staff_client.post(
        reverse("casework:chronology_new", args=[episode.child_id]),
        {
            **_date("happened_on", dt.date(2026, 10, 5)),
            "event": "Police called to the home",
            "source": "Police PPN",
            "analysis": "Third incident in a year: pattern of escalating violence.",
        },
    )
    assert ChronologyEntry.objects.count() == 1
    html = staff_client.get(reverse("casework:chronology", args=[episode.child_id])).content.decode()
    referral = html.index("Referral: Police")
    curated = html.index("Police called to the home")
    assert referral < curated and "pattern of escalating violence" in html
    assert AccessLogEntry.objects.filter(what="chronology", child_id=episode.child_id).exists()


def test_chronology_of_another_teams_child_is_not_found(client, make_user, episode):
    client.force_login(make_user("social_worker"))
    assert client.get(reverse("casework:chronology", args=[episode.child_id])).status_code == 404


def test_chronology_and_assessment_download_as_pdf(staff_client, social_worker, episode):
    from safeguard.casework.models import Assessment

    response = staff_client.get(reverse("casework:chronology_pdf", args=[episode.child_id]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 9, 2))
    assessment_section_save(
        actor=social_worker,
        assessment=assessment,
        key="analysis",
        text="Risk is reducing.",
        based_on_version=0,
    )
    pdf = staff_client.get(reverse("casework:assessment_pdf", args=[Assessment.objects.get().pk]))
    assert pdf.content.startswith(b"%PDF")
    # The PDF is logged as what it is, an assessment, and how it was read, a download.
    assert AccessLogEntry.objects.filter(
        what="assessment", action="download", child_id=episode.child_id
    ).exists()


def test_cin_plan_starts_and_ends_and_blocks_closure_while_open(staff_client, social_worker, episode):
    staff_client.post(reverse("casework:cin_plan", args=[episode.pk]), _date("on", dt.date(2026, 10, 1)))
    assert episode.cin_plans.get().end_date is None
    html = staff_client.post(
        reverse("casework:close", args=[episode.pk]),
        {**_date("closure_date", dt.date(2026, 11, 1)), "reason": "RC7"},
    ).content.decode()
    assert "End the child in need plan before closing the episode" in html
    staff_client.post(reverse("casework:cin_plan", args=[episode.pk]), _date("on", dt.date(2026, 10, 30)))
    assert episode.cin_plans.get().end_date == dt.date(2026, 10, 30)


def test_no_cin_plan_alongside_a_cp_plan(social_worker, episode):
    from django.core.exceptions import ValidationError

    CPPlanFactory(child=episode.child, episode=episode, start_date=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError, match="replaces a child in need plan"):
        cin_plan_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 10, 2))


def test_cin_plan_review_is_recorded_within_the_plan(staff_client, social_worker, episode):
    plan = cin_plan_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 10, 1))
    early = staff_client.post(
        reverse("casework:cin_plan_review", args=[episode.pk]),
        {**_date("held_on", dt.date(2026, 9, 20)), "summary": "Too early"},
    ).content.decode()
    assert "between the plan&#39;s start and today" in early or "between the plan's start and today" in early
    staff_client.post(
        reverse("casework:cin_plan_review", args=[episode.pk]),
        {**_date("held_on", dt.date(2026, 11, 2)), "summary": "Keep the plan; more help at school."},
    )
    assert plan.reviews.get().summary == "Keep the plan; more help at school."
    assert (
        "2 November 2026"
        in staff_client.get(reverse("casework:episode_detail", args=[episode.pk])).content.decode()
    )


def test_opening_the_chronology_form_is_logged(staff_client, episode):
    assert staff_client.get(reverse("casework:chronology_new", args=[episode.child_id])).status_code == 200
    assert AccessLogEntry.objects.filter(what="chronology_entry_form", child_id=episode.child_id).exists()
