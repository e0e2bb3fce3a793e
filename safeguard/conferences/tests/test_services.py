from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safeguard.accounts.models import Role, Service, Team, TeamKind
from safeguard.accounts.tests.factories import UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework.models import (
    ChildProtectionPlan,
    ChildProtectionReview,
    CINPlan,
    ClockKind,
    Section47Outcome,
    StatutoryClock,
)
from safeguard.casework.tests.factories import CPPlanFactory
from safeguard.conferences.models import Conference, ConferenceAttendance, ConferenceKind, ConferenceStatus
from safeguard.conferences.services import (
    AttendanceRow,
    conference_propose_initial,
    conference_record,
    conference_schedule,
    quorate,
    review_conference_propose,
    review_target,
)
from safeguard.conferences.tests.scenario import ICPC_TARGET, QUORATE, at, build_case, scheduled, today_is

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> list[str]:
    return error.messages


# -- proposing ------------------------------------------------------------------------------


def test_propose_takes_the_enquirys_target_and_is_audited():
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    # Strategy discussion Monday 2 November 2026 + 15 working days = Monday 23 November 2026.
    assert conference.target_date == ICPC_TARGET == case.enquiry.icpc_target_date
    assert (conference.kind, conference.status) == (ConferenceKind.INITIAL, ConferenceStatus.PROPOSED)
    assert conference.child == case.child
    assert AuditEvent.objects.filter(
        action="conference_propose_initial", object_id=str(conference.pk)
    ).exists()


def test_a_second_initial_conference_for_one_enquiry_is_refused():
    case = build_case()
    conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    with pytest.raises(ValidationError, match="already has an initial conference"):
        conference_propose_initial(actor=case.team_manager, enquiry=case.enquiry)
    assert Conference.objects.count() == 1


def test_after_a_cancelled_one_an_initial_conference_can_be_proposed_again():
    case = build_case()
    first = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    Conference.objects.filter(pk=first.pk).update(status=ConferenceStatus.CANCELLED)
    second = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    assert second.pk != first.pk


def test_an_enquiry_that_did_not_ask_for_a_conference_cannot_have_one():
    case = build_case(outcome=Section47Outcome.NOT_SUBSTANTIATED)
    with pytest.raises(ValidationError, match="outcome is that a conference is needed"):
        conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    assert not Conference.objects.exists()


def test_an_enquiry_without_an_outcome_cannot_have_a_conference():
    case = build_case(outcome="")
    with pytest.raises(ValidationError, match="conference is needed"):
        conference_propose_initial(actor=case.worker, enquiry=case.enquiry)


# -- scheduling -----------------------------------------------------------------------------


def test_scheduling_before_the_target_needs_no_reason():
    case = build_case()
    conference = scheduled(case, day=dt.date(2026, 11, 19))
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.SCHEDULED
    assert conference.chair == case.chair
    assert conference.room == "Room 2, Civic Centre"
    assert conference.late_reason == ""


def test_scheduling_on_the_target_day_itself_is_in_time():
    case = build_case()
    conference = scheduled(case, day=ICPC_TARGET)
    assert conference.late_reason == ""


def test_scheduling_after_the_target_without_a_reason_is_refused_and_saves_nothing():
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    with pytest.raises(ValidationError) as refused:
        conference_schedule(
            actor=case.chair,
            conference=conference,
            chair=case.chair,
            starts_at=at(dt.date(2026, 11, 24)),
            room="Room 2",
        )
    assert refused.value.message_dict["late_reason"] == [
        "Give the reason the conference is after its target date, 23 November 2026"
    ]
    conference.refresh_from_db()
    assert (conference.status, conference.chair_id, conference.starts_at) == (
        ConferenceStatus.PROPOSED,
        None,
        None,
    )


def test_scheduling_after_the_target_with_a_reason_keeps_the_reason():
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    conference_schedule(
        actor=case.chair,
        conference=conference,
        chair=case.chair,
        starts_at=at(dt.date(2026, 11, 25)),
        video_link="https://meet.example/icpc-1",
        late_reason="The family asked for a date after the school holiday",
    )
    conference.refresh_from_db()
    assert conference.late_reason == "The family asked for a date after the school holiday"
    assert conference.place == "https://meet.example/icpc-1"


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("worker", "is the child's allocated worker"),
        ("team_manager", "manages the allocated worker's team"),
        ("service_manager", "manages the allocated worker's service"),
    ],
)
def test_nobody_in_the_workers_line_management_may_chair(who, reason):
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    chair = getattr(case, who)
    if who == "worker":
        # The worker is not a chair at all: the message says to choose one.
        reason = "Choose a conference chair"
    with pytest.raises(ValidationError, match=reason):
        conference_schedule(
            actor=case.chair,
            conference=conference,
            chair=chair,
            starts_at=at(dt.date(2026, 11, 19)),
            room="Room 2",
        )
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PROPOSED


def test_a_manager_from_another_service_may_chair():
    case = build_case()
    elsewhere = Team.objects.create(
        name="Fostering",
        kind=TeamKind.CHILDREN_IN_NEED,
        service=Service.objects.create(name="Corporate Parenting"),
    )
    manager = UserFactory(role=Role.SERVICE_MANAGER, team=elsewhere)
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    conference_schedule(
        actor=case.chair,
        conference=conference,
        chair=manager,
        starts_at=at(dt.date(2026, 11, 19)),
        room="Room 2",
    )
    assert conference.chair == manager


def test_a_chair_booked_twice_at_once_is_refused():
    first_case, second_case = build_case(), build_case()
    scheduled(first_case, day=dt.date(2026, 11, 19))  # 10:00 to 12:00
    second = conference_propose_initial(actor=second_case.worker, enquiry=second_case.enquiry)
    with pytest.raises(
        ValidationError, match="Grace Osei is already chairing a conference on 19 November 2026 at 10:00"
    ):
        conference_schedule(
            actor=second_case.chair,
            conference=second,
            chair=first_case.chair,
            starts_at=at(dt.date(2026, 11, 19), 11, 30),
            room="Room 5",
        )
    second.refresh_from_db()
    assert second.status == ConferenceStatus.PROPOSED


def test_a_chair_may_chair_back_to_back():
    first_case, second_case = build_case(), build_case()
    scheduled(first_case, day=dt.date(2026, 11, 19))  # ends at 12:00
    second = conference_propose_initial(actor=second_case.worker, enquiry=second_case.enquiry)
    conference_schedule(
        actor=second_case.chair,
        conference=second,
        chair=first_case.chair,
        starts_at=at(dt.date(2026, 11, 19), 12, 0),
        room="Room 2, Civic Centre",
    )
    assert second.status == ConferenceStatus.SCHEDULED


def test_a_room_booked_twice_at_once_is_refused_whatever_its_case():
    first_case, second_case = build_case(), build_case()
    scheduled(first_case, day=dt.date(2026, 11, 19), room="Room 2, Civic Centre")
    second = conference_propose_initial(actor=second_case.worker, enquiry=second_case.enquiry)
    with pytest.raises(ValidationError, match="Room 2, civic centre is already booked"):
        conference_schedule(
            actor=second_case.other_chair,
            conference=second,
            chair=second_case.other_chair,
            starts_at=at(dt.date(2026, 11, 19), 9, 0),
            room="Room 2, civic centre",
        )


def test_moving_a_conference_does_not_clash_with_itself():
    case = build_case()
    conference = scheduled(case, day=dt.date(2026, 11, 19))
    conference_schedule(
        actor=case.chair,
        conference=conference,
        chair=case.chair,
        starts_at=at(dt.date(2026, 11, 19), 11),
        room="Room 2, Civic Centre",
    )
    assert conference.starts_at == at(dt.date(2026, 11, 19), 11)


def test_a_place_is_needed():
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    with pytest.raises(ValidationError, match="Enter a room or a video link"):
        conference_schedule(
            actor=case.chair, conference=conference, chair=case.chair, starts_at=at(dt.date(2026, 11, 19))
        )


# -- quoracy --------------------------------------------------------------------------------


def test_quorate_needs_social_care_and_two_other_agencies_present():
    assert quorate(QUORATE)
    # The GP sent a report only: police and school are still two others.
    assert not quorate([QUORATE[0], QUORATE[1], QUORATE[2]])
    assert not quorate(QUORATE[1:])  # no children's social care
    family = AttendanceRow("Kim Evans", "family", "Mother", "present")
    assert not quorate([QUORATE[0], QUORATE[1], family])


# -- the record -----------------------------------------------------------------------------


def _record(case, conference, **overrides):
    values = {
        "actor": case.chair,
        "conference": conference,
        "held_on": dt.date(2026, 11, 19),
        "attendance": QUORATE,
        "plan_needed": True,
        "category": "NEG",
        "lead_worker": case.worker,
    }
    values.update(overrides)
    with today_is(max(values["held_on"], dt.date(2026, 11, 20))):
        return conference_record(**values)


def test_recording_a_plan_sets_the_icpc_date_stops_the_clock_met_and_starts_the_plan():
    case = build_case()
    conference = scheduled(case)
    _record(case, conference, dissent="The school thought a child in need plan enough")
    case.enquiry.refresh_from_db()
    assert case.enquiry.icpc_date == dt.date(2026, 11, 19)
    clock = StatutoryClock.objects.get(kind=ClockKind.ICPC, source_id=case.enquiry.pk)
    assert (clock.met_date, clock.late_reason) == (dt.date(2026, 11, 19), "")
    plan = ChildProtectionPlan.objects.get(child=case.child)
    assert (plan.start_date, plan.initial_category, plan.latest_category) == (
        dt.date(2026, 11, 19),
        "NEG",
        "NEG",
    )
    assert plan.number_of_previous_plans == 0
    conference.refresh_from_db()
    assert (conference.status, conference.plan, conference.lead_worker) == (
        ConferenceStatus.HELD,
        plan,
        case.worker,
    )
    assert conference.dissent == "The school thought a child in need plan enough"
    assert ConferenceAttendance.objects.filter(conference=conference).count() == 4
    # The first review is proposed: Thursday 19 November 2026 + 3 months = Friday 19 February 2027.
    review = Conference.objects.get(kind=ConferenceKind.REVIEW, plan=plan)
    assert (review.target_date, review.status) == (dt.date(2027, 2, 19), ConferenceStatus.PROPOSED)


def test_previous_plans_are_counted_from_history():
    case = build_case()
    CPPlanFactory(
        episode=case.episode, child=case.child, start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 9, 1)
    )
    conference = scheduled(case)
    _record(case, conference)
    assert (
        ChildProtectionPlan.objects.get(child=case.child, end_date__isnull=True).number_of_previous_plans == 1
    )


def test_no_plan_stops_the_clock_and_starts_nothing():
    case = build_case()
    conference = scheduled(case)
    _record(case, conference, plan_needed=False, category="", lead_worker=None)
    assert not ChildProtectionPlan.objects.exists()
    assert not Conference.objects.filter(kind=ConferenceKind.REVIEW).exists()
    assert StatutoryClock.objects.get(kind=ClockKind.ICPC).met_date == dt.date(2026, 11, 19)


def test_a_late_conference_stops_the_clock_late_with_the_reason_given_when_scheduled():
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    conference_schedule(
        actor=case.chair,
        conference=conference,
        chair=case.chair,
        starts_at=at(dt.date(2026, 11, 25)),
        room="Room 2",
        late_reason="Police could not attend before the 25th",
    )
    _record(case, conference, held_on=dt.date(2026, 11, 25), plan_needed=False, category="", lead_worker=None)
    clock = StatutoryClock.objects.get(kind=ClockKind.ICPC)
    assert clock.met_date == dt.date(2026, 11, 25) > clock.due_date
    assert clock.late_reason == "Police could not attend before the 25th"


def test_held_late_with_no_reason_is_refused():
    case = build_case()
    conference = scheduled(case)
    # Scheduled in time but held on Tuesday 24 November 2026, a day after the target.
    with pytest.raises(ValidationError) as refused, today_is(dt.date(2026, 11, 26)):
        conference_record(
            actor=case.chair,
            conference=conference,
            held_on=dt.date(2026, 11, 24),
            attendance=QUORATE,
            plan_needed=False,
        )
    assert "late_reason" in refused.value.message_dict
    assert StatutoryClock.objects.get(kind=ClockKind.ICPC).met_date is None


def _nothing_saved(case, conference):
    conference.refresh_from_db()
    case.enquiry.refresh_from_db()
    assert conference.status == ConferenceStatus.SCHEDULED
    assert case.enquiry.icpc_date is None
    assert not ConferenceAttendance.objects.exists()
    assert StatutoryClock.objects.get(kind=ClockKind.ICPC).met_date is None


def test_a_plan_with_no_category_is_refused_and_nothing_is_half_saved():
    case = build_case()
    conference = scheduled(case)
    with pytest.raises(ValidationError) as refused:
        _record(case, conference, category="")
    assert refused.value.message_dict["category"] == ["Choose the category of abuse for the plan"]
    _nothing_saved(case, conference)
    assert not ChildProtectionPlan.objects.exists()


def test_a_second_open_plan_is_refused():
    case = build_case()
    CPPlanFactory(episode=case.episode, child=case.child, start_date=dt.date(2026, 10, 1))
    conference = scheduled(case)
    with pytest.raises(ValidationError, match="already on a child protection plan"):
        _record(case, conference)
    _nothing_saved(case, conference)
    assert ChildProtectionPlan.objects.count() == 1


def test_not_quorate_without_a_reason_is_refused_and_with_one_is_kept():
    case = build_case()
    conference = scheduled(case)
    thin = QUORATE[:2]
    with pytest.raises(ValidationError) as refused:
        _record(case, conference, attendance=thin)
    assert "not_quorate_reason" in refused.value.message_dict
    _nothing_saved(case, conference)
    _record(
        case,
        conference,
        attendance=thin,
        not_quorate_reason="Health sent a full report; delay would leave the child at risk",
    )
    conference.refresh_from_db()
    assert conference.not_quorate_reason.startswith("Health sent a full report")


def test_only_the_chair_records_and_not_in_the_future():
    case = build_case()
    conference = scheduled(case)
    with pytest.raises(ValidationError) as refused, today_is(dt.date(2026, 11, 20)):
        conference_record(
            actor=case.other_chair,
            conference=conference,
            held_on=dt.date(2026, 11, 21),
            attendance=QUORATE,
            plan_needed=False,
        )
    assert "Only the chair of this conference can record it" in refused.value.messages
    assert "The date of the conference cannot be in the future" in refused.value.messages
    _nothing_saved(case, conference)


def test_a_conference_is_recorded_once():
    case = build_case()
    conference = scheduled(case)
    _record(case, conference, plan_needed=False, category="", lead_worker=None)
    with pytest.raises(ValidationError, match="Only a scheduled conference can be recorded"):
        _record(case, conference, plan_needed=False, category="", lead_worker=None)


# -- review conferences ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan_start", "reviews", "due"),
    [
        # Monday 23 November 2026 + 3 months = Tuesday 23 February 2027, a working day.
        (dt.date(2026, 11, 23), [], dt.date(2027, 2, 23)),
        # Friday 27 November 2026 + 3 months = Saturday 27 February 2027 -> Friday 26 February.
        (dt.date(2026, 11, 27), [], dt.date(2027, 2, 26)),
        # Tuesday 29 December 2026 + 3 months = Easter Monday 29 March 2027; Good Friday
        # 26 March is a bank holiday too, so the last working day is Thursday 25 March 2027.
        (dt.date(2026, 12, 29), [], dt.date(2027, 3, 25)),
        # 30 November 2026 + 3 months: February has no 30th, so 28 February 2027, a Sunday
        # -> Friday 26 February 2027.
        (dt.date(2026, 11, 30), [], dt.date(2027, 2, 26)),
        # Later reviews: 6 months from the last. Thursday 25 March 2027 + 6 months =
        # Saturday 25 September 2027 -> Friday 24 September 2027.
        (dt.date(2026, 12, 29), [dt.date(2027, 3, 25)], dt.date(2027, 9, 24)),
        # Tuesday 31 August 2027 + 6 months = 29 February 2028 (a leap year), a Tuesday.
        (dt.date(2027, 5, 4), [dt.date(2027, 6, 1), dt.date(2027, 8, 31)], dt.date(2028, 2, 29)),
    ],
)
def test_review_target_dates(plan_start, reviews, due):
    plan = CPPlanFactory(start_date=plan_start)
    for held_on in reviews:
        ChildProtectionReview.objects.create(plan=plan, held_on=held_on)
    assert review_target(plan) == due


def test_only_one_review_is_proposed_at_a_time_and_none_for_an_ended_plan():
    case = build_case()
    plan = CPPlanFactory(episode=case.episode, child=case.child, start_date=dt.date(2026, 11, 23))
    review_conference_propose(actor=case.worker, plan=plan)
    with pytest.raises(ValidationError, match="already proposed"):
        review_conference_propose(actor=case.worker, plan=plan)
    ended = CPPlanFactory(start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 9, 1))
    with pytest.raises(ValidationError, match="has ended"):
        review_conference_propose(actor=case.worker, plan=ended)


def _review(case, plan, day):
    review = review_conference_propose(actor=case.worker, plan=plan)
    return conference_schedule(
        actor=case.chair, conference=review, chair=case.chair, starts_at=at(day), room="Room 4"
    )


def test_a_review_that_continues_the_plan_updates_its_category_and_proposes_the_next():
    case = build_case()
    plan = CPPlanFactory(episode=case.episode, child=case.child, start_date=dt.date(2026, 8, 24))
    # 24 August 2026 + 3 months = Tuesday 24 November 2026.
    review = _review(case, plan, dt.date(2026, 11, 19))
    assert review.target_date == dt.date(2026, 11, 24)
    _record(case, review, category="EMO")
    plan.refresh_from_db()
    assert (plan.initial_category, plan.latest_category, plan.end_date) == ("NEG", "EMO", None)
    assert list(plan.reviews.values_list("held_on", flat=True)) == [dt.date(2026, 11, 19)]
    # Thursday 19 November 2026 + 6 months = Wednesday 19 May 2027.
    following = Conference.objects.get(plan=plan, status=ConferenceStatus.PROPOSED)
    assert following.target_date == dt.date(2027, 5, 19)


def test_a_review_that_ends_the_plan_ends_it_that_day():
    case = build_case()
    plan = CPPlanFactory(episode=case.episode, child=case.child, start_date=dt.date(2026, 8, 24))
    review = _review(case, plan, dt.date(2026, 11, 19))
    _record(case, review, plan_needed=False, category="", lead_worker=None)
    plan.refresh_from_db()
    assert plan.end_date == dt.date(2026, 11, 19)
    assert not Conference.objects.filter(plan=plan, status=ConferenceStatus.PROPOSED).exists()


def test_the_database_itself_holds_one_live_initial_conference_per_enquiry():
    """Even a write that skips the service (an import, a race the lock did not cover)."""
    case = build_case()
    first = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.create(
            kind=ConferenceKind.INITIAL,
            child=case.child,
            episode=case.episode,
            section_47=case.enquiry,
            target_date=first.target_date,
        )


def test_a_plan_is_refused_while_a_child_in_need_plan_is_open():
    case = build_case()
    CINPlan.objects.create(episode=case.episode, start_date=dt.date(2026, 10, 1))
    conference = scheduled(case)
    with pytest.raises(ValidationError, match="End the child in need plan first"):
        _record(case, conference)
    _nothing_saved(case, conference)


def test_a_new_plan_starts_its_visit_and_review_clocks_through_casework():
    case = build_case()
    conference = scheduled(case)
    _record(case, conference)
    review_clock = StatutoryClock.objects.get(kind=ClockKind.CP_REVIEW, child=case.child)
    # The clock and the proposed review agree: Thursday 19 November 2026 + 3 months =
    # Friday 19 February 2027.
    assert review_clock.due_date == dt.date(2027, 2, 19)
    assert Conference.objects.get(kind=ConferenceKind.REVIEW).target_date == review_clock.due_date
    assert StatutoryClock.objects.filter(
        kind=ClockKind.CP_VISIT, child=case.child, met_date__isnull=True
    ).exists()
