"""The child protection plan the family reads: outcomes, the PDF, core groups, ending it.

The plan starts at the initial conference on Thursday 19 November 2026 (``scenario``).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from safeguard.casework.models import ChildProtectionPlan, CINPlan, ClockKind, StatutoryClock
from safeguard.casework.tests.factories import CPPlanFactory
from safeguard.conferences import invitations, plans
from safeguard.conferences.models import (
    Conference,
    ConferenceKind,
    ConferenceStatus,
    CoreGroupMeeting,
    InviteeRole,
    PlanEnding,
)
from safeguard.conferences.portal import credentials_issue
from safeguard.conferences.services import conference_record
from safeguard.conferences.tests.scenario import QUORATE, Case, build_case, scheduled, today_is
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db
HELD = dt.date(2026, 11, 19)
REFERRER = "Nadia Quincebury"
HIDDEN_STREET = "9 Hidden Lane"
OUTCOME = {
    "what_needs_to_change": "Kai gets to school on time every day",
    "who_does_what": "Mum walks Kai to school. The school rings Mum if Kai is late.",
    "by_when": dt.date(2027, 2, 1),
    "how_we_will_know": "The school's register shows Kai on time.",
}


def _plan(case: Case) -> ChildProtectionPlan:
    conference = scheduled(case)
    # A referrer and a withheld address exist on the child's record: the plan never shows them.
    contact = make_contact(referrer={"name": REFERRER, "phone": "07700 900123"})
    Contact.objects.filter(pk=contact.pk).update(child=case.child)
    AddressFactory(person=case.child, line_1=HIDDEN_STREET, must_not_be_disclosed=True)
    with today_is(dt.date(2026, 11, 20)):
        conference_record(
            actor=case.chair,
            conference=conference,
            held_on=HELD,
            attendance=QUORATE,
            plan_needed=True,
            category="NEG",
            lead_worker=case.worker,
        )
    return ChildProtectionPlan.objects.get(child=case.child, end_date__isnull=True)


@pytest.fixture
def case() -> Case:
    return build_case()


@pytest.fixture
def plan(case: Case) -> ChildProtectionPlan:
    return _plan(case)


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages)


def test_outcomes_show_on_screen_and_in_a_tagged_pdf_without_referrer_or_address(
    case: Case, plan: ChildProtectionPlan, client: Client
) -> None:
    client.force_login(case.worker)
    url = reverse("conferences:plan_outcome_new", args=[plan.pk])
    response = client.post(
        url,
        {
            **{k: v for k, v in OUTCOME.items() if k != "by_when"},
            "by_when-day": "1",
            "by_when-month": "2",
            "by_when-year": "2027",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("conferences:plan", args=[plan.pk])).content.decode()
    assert "Kai gets to school on time every day" in page and "1 February 2027" in page
    pdf = client.get(reverse("conferences:plan_pdf", args=[plan.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert "/StructTreeRoot" in reader.root_object  # tagged (PDF/UA)
    text = _pdf_text(pdf.content)
    assert "Kai gets to school on time every day" in text and case.child.given_name in text
    for secret in (REFERRER, "07700 900123", HIDDEN_STREET, case.child.family_name):
        assert secret not in text and secret not in page.split("The plan as the family reads it")[1]


def test_the_family_reads_the_plan_and_downloads_it_through_their_link(
    case: Case, plan: ChildProtectionPlan, client: Client
) -> None:
    plans.plan_outcome_add(actor=case.worker, plan=plan, values=OUTCOME)
    conference = Conference.objects.get(kind=ConferenceKind.INITIAL, child=case.child)
    family = invitations.ConferenceInvitation.objects.create(
        conference=conference, name="Dawn Hughes", role=InviteeRole.PARENT
    )
    credentials = credentials_issue(family)
    family.save()
    client.post(
        reverse("conferences:portal", kwargs={"token": credentials.token}), {"code": credentials.code}
    )
    page = client.get(reverse("conferences:family", kwargs={"token": credentials.token})).content.decode()
    assert "Kai gets to school on time every day" in page
    pdf = client.get(reverse("conferences:family_plan_pdf", kwargs={"token": credentials.token}))
    text = _pdf_text(pdf.content)
    assert "Kai gets to school on time every day" in text
    assert REFERRER not in text and HIDDEN_STREET not in text
    # Someone else's link does not open it; a guessed one goes to the link problem page.
    other = Client()
    assert other.get(reverse("conferences:family_plan_pdf", kwargs={"token": credentials.token}))[
        "Location"
    ] == reverse("conferences:portal", kwargs={"token": credentials.token})
    assert other.get(reverse("conferences:family_plan_pdf", kwargs={"token": "guessed"}))[
        "Location"
    ] == reverse("conferences:portal_link_problem")


def test_an_outcome_before_the_plan_or_on_an_ended_plan_is_refused(
    case: Case, plan: ChildProtectionPlan, make_user: Any
) -> None:
    with pytest.raises(ValidationError):
        plans.plan_outcome_add(
            actor=case.worker, plan=plan, values={**OUTCOME, "by_when": dt.date(2026, 1, 1)}
        )
    with pytest.raises(PermissionDenied):
        plans.plan_outcome_add(actor=make_user("social_worker"), plan=plan, values=OUTCOME)


def test_the_first_core_group_meets_its_clock(case: Case, plan: ChildProtectionPlan, client: Client) -> None:
    clock = StatutoryClock.objects.get(kind=ClockKind.CORE_GROUP, source_id=plan.pk)
    assert clock.due_date == dt.date(2026, 12, 3)
    client.force_login(case.worker)
    url = reverse("conferences:core_group_new", args=[plan.pk])
    late = {"held_on-day": "7", "held_on-month": "12", "held_on-year": "2026", "attended": "Mum\nSchool"}
    with today_is(dt.date(2026, 12, 8)):
        response = client.post(url, late)
        assert "Give the reason the first core group was late: it was due on 3 December 2026" in (
            response.content.decode()
        )
        assert not CoreGroupMeeting.objects.exists()
        response = client.post(url, {**late, "late_reason": "The school was closed"})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert (clock.met_date, clock.late_reason) == (dt.date(2026, 12, 7), "The school was closed")
    # A later core group has no clock to meet.
    with today_is(dt.date(2027, 1, 20)):
        plans.core_group_record(actor=case.worker, plan=plan, held_on=dt.date(2027, 1, 19))
    assert CoreGroupMeeting.objects.filter(plan=plan).count() == 2


def test_previous_plans_come_from_history() -> None:
    case = build_case()
    CPPlanFactory(
        child=case.child, episode=case.episode, start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 8, 1)
    )
    plan = _plan(case)
    assert plan.number_of_previous_plans == 1
    client = Client()
    client.force_login(case.worker)
    page = client.get(reverse("conferences:plan", args=[plan.pk])).content.decode()
    assert "Previous plans" in page


def test_ending_with_a_step_down_is_one_transaction(
    case: Case, plan: ChildProtectionPlan, client: Client
) -> None:
    client.force_login(case.worker)
    url = reverse("conferences:plan_end", args=[plan.pk])
    with today_is(dt.date(2027, 3, 1)):
        # An end before the start: a clear message, nothing saved, what was typed kept.
        response = client.post(
            url,
            {
                "end_date-day": "1",
                "end_date-month": "11",
                "end_date-year": "2026",
                "reason": "risk_reduced",
                "detail": "Kept this",
                "step_down": "yes",
            },
        )
        assert "The plan must end after the day it started" in response.content.decode()
        assert "Kept this" in response.content.decode()
        plan.refresh_from_db()
        assert plan.is_open and not PlanEnding.objects.exists()
        response = client.post(
            url,
            {
                "end_date-day": "26",
                "end_date-month": "2",
                "end_date-year": "2027",
                "reason": "risk_reduced",
                "step_down": "yes",
            },
        )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.end_date == dt.date(2027, 2, 26)
    ending = PlanEnding.objects.get(plan=plan)
    assert ending.stepped_down_to_cin
    assert CINPlan.objects.get(episode=case.episode).start_date == dt.date(2027, 2, 26)
    running = StatutoryClock.objects.filter(
        episode=case.episode,
        kind__in=[ClockKind.CP_VISIT, ClockKind.CP_REVIEW, ClockKind.CORE_GROUP],
        met_date__isnull=True,
        stopped_reason="",
    )
    assert not running.exists()
    review = Conference.objects.get(kind=ConferenceKind.REVIEW, plan=plan)
    assert review.status == ConferenceStatus.CANCELLED


def test_a_failed_step_down_leaves_the_plan_open(case: Case, plan: ChildProtectionPlan) -> None:
    # An open child in need plan already (entered against the rules, here by hand) makes the
    # step-down fail: the plan's end is rolled back with it.
    CINPlan.objects.create(episode=case.episode, start_date=dt.date(2027, 1, 1))
    with today_is(dt.date(2027, 3, 1)), pytest.raises(ValidationError):
        plans.cp_plan_close(
            actor=case.worker, plan=plan, end_date=dt.date(2027, 2, 26), reason="risk_reduced", step_down=True
        )
    plan.refresh_from_db()
    assert plan.is_open and not PlanEnding.objects.exists()
    assert StatutoryClock.objects.filter(
        kind=ClockKind.CP_REVIEW, met_date__isnull=True, stopped_reason=""
    ).exists()


def test_plan_pages_for_someone_elses_child_are_404(
    case: Case, plan: ChildProtectionPlan, client: Client, make_user: Any
) -> None:
    client.force_login(make_user("social_worker"))
    for name in ("plan", "plan_pdf", "plan_outcome_new", "core_group_new", "plan_end"):
        assert client.get(reverse(f"conferences:{name}", args=[plan.pk])).status_code == 404, name
