"""The workforce services: what they save, what they refuse, and their audit events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from safeguard.accounts.models import Grade, Role
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.workforce import services
from safeguard.workforce.models import (
    AsyeOutcome,
    AsyeReviewKind,
    CoverKind,
    EmploymentKind,
    GradeRoute,
    IncentivePayment,
    PanelDecision,
    Recruitment,
    RecruitmentStage,
    RepaymentRule,
    StaffRecord,
    Vacancy,
)
from safeguard.workforce.tests.factories import AsyeCohortFactory, PostFactory, StaffRecordFactory
from safeguard.workforce.tests.scenario import career_path

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def lead():
    return UserFactory(role=Role.WORKFORCE_LEAD)


def _staff(lead, team, **extra):
    values = {
        "first_name": "Jo",
        "last_name": "Marsh",
        "team": team,
        "grade": Grade.SOCIAL_WORKER,
        "start_date": D(2025, 4, 1),
        "social_work_england_number": "sw 101010",
    } | extra
    return services.staff_create(actor=lead, **values)


def test_a_staff_record_is_saved_with_a_normalised_number_history_and_audit_event(lead):
    staff = _staff(lead, TeamFactory())
    assert staff.social_work_england_number == "SW101010"
    assert [(h.grade, h.route) for h in staff.grade_history.all()] == [
        (Grade.SOCIAL_WORKER, GradeRoute.APPOINTED)
    ]
    event = AuditEvent.objects.get(action="workforce_staff_create")
    assert event.changes["social_work_england_number"]["after"] == "SW101010"


def test_a_number_in_the_wrong_format_is_refused_on_its_field(lead):
    with pytest.raises(ValidationError) as error:
        _staff(lead, TeamFactory(), social_work_england_number="123456")
    assert "SW and then up to 7 digits" in error.value.message_dict["social_work_england_number"][0]
    assert not StaffRecord.objects.exists()


def test_a_duplicate_person_is_refused_by_number_by_account_and_by_name_in_the_team(lead):
    team = TeamFactory()
    user = UserFactory(team=team)
    _staff(lead, team, user=user)
    with pytest.raises(ValidationError) as error:
        _staff(lead, team, first_name="Sam", social_work_england_number="SW101010")
    assert "may already have a record" in error.value.message_dict["social_work_england_number"][0]
    with pytest.raises(ValidationError) as error:
        _staff(lead, team, first_name="Sam", social_work_england_number="SW2", user=user)
    assert "already has a staff record" in error.value.message_dict["user"][0]
    with pytest.raises(ValidationError) as error:
        _staff(lead, team, social_work_england_number="SW3")
    assert "may be the same person" in error.value.message_dict["last_name"][0]
    assert StaffRecord.objects.count() == 1


def test_an_end_date_before_the_start_date_is_refused(lead):
    with pytest.raises(ValidationError) as error:
        _staff(lead, TeamFactory(), end_date=D(2025, 3, 1))
    assert "end date must be" in error.value.message_dict["end_date"][0]


def test_a_post_over_its_funded_fte_needs_a_reason(lead):
    post = PostFactory(funded_fte=Decimal("1.00"))
    _staff(lead, post.team, post=post, fte=Decimal("0.60"))
    with pytest.raises(ValidationError) as error:
        _staff(
            lead,
            post.team,
            first_name="Ali",
            social_work_england_number="SW5",
            post=post,
            fte=Decimal("0.60"),
        )
    assert (
        "funded for 1.00 FTE and would have 1.20 FTE"
        in error.value.message_dict["over_establishment_reason"][0]
    )
    staff = _staff(
        lead,
        post.team,
        first_name="Ali",
        social_work_england_number="SW5",
        post=post,
        fte=Decimal("0.60"),
        over_establishment_reason="Handover while the post holder phases retirement",
    )
    assert staff.over_establishment_reason.startswith("Handover")


def test_a_vacancy_cannot_be_more_than_the_posts_free_fte(lead):
    post = PostFactory(funded_fte=Decimal("2.00"))
    StaffRecordFactory(team=post.team, post=post, fte=Decimal("1.00"))
    with pytest.raises(ValidationError) as error:
        services.vacancy_open(actor=lead, post=post, fte=Decimal("1.50"), opened_on=D(2025, 6, 1))
    assert "only 1.00 FTE of it is free" in error.value.message_dict["fte"][0]
    vacancy = services.vacancy_open(actor=lead, post=post, fte=Decimal("1.00"), opened_on=D(2025, 6, 1))
    assert vacancy.cover == CoverKind.UNFILLED


def test_agency_cover_must_be_an_agency_worker(lead):
    post = PostFactory()
    employed = StaffRecordFactory(team=post.team)
    agency = StaffRecordFactory(team=post.team, kind=EmploymentKind.AGENCY, agency_weekly_cost_pence=165_000)
    vacancy = services.vacancy_open(actor=lead, post=post, fte=Decimal("1.00"), opened_on=D(2025, 6, 1))
    with pytest.raises(ValidationError):
        services.vacancy_cover(actor=lead, vacancy=vacancy, cover=CoverKind.AGENCY, covered_by=employed)
    services.vacancy_cover(actor=lead, vacancy=vacancy, cover=CoverKind.AGENCY, covered_by=agency)
    assert Vacancy.objects.get().covered_by == agency


def _ready_recruitment(lead):
    post = PostFactory()
    vacancy = services.vacancy_open(actor=lead, post=post, fte=Decimal("1.00"), opened_on=D(2025, 1, 6))
    return services.recruitment_start(actor=lead, vacancy=vacancy, advertised_on=D(2025, 1, 10))


def test_the_pipeline_moves_forward_needs_every_check_and_times_the_hire(lead):
    recruitment = _ready_recruitment(lead)
    services.recruitment_advance(
        actor=lead, recruitment=recruitment, stage="shortlisted", on=D(2025, 2, 3), applications=7
    )
    with pytest.raises(ValidationError) as error:
        services.recruitment_advance(
            actor=lead, recruitment=recruitment, stage="applications", on=D(2025, 2, 4)
        )
    assert "after shortlisted" in error.value.message_dict["stage"][0]
    services.recruitment_advance(
        actor=lead, recruitment=recruitment, stage="offered", on=D(2025, 2, 20), candidate="Kai Rowe"
    )
    with pytest.raises(ValidationError) as error:
        services.recruitment_advance(actor=lead, recruitment=recruitment, stage="started", on=D(2025, 4, 1))
    assert "pre-employment check" in error.value.message_dict["stage"][0]
    services.recruitment_checks_record(
        actor=lead,
        recruitment=recruitment,
        dbs_checked_on=D(2025, 3, 1),
        registration_checked_on=D(2025, 2, 21),
        references_received_on=D(2025, 3, 5),
        right_to_work_checked_on=D(2025, 2, 21),
    )
    services.recruitment_advance(actor=lead, recruitment=recruitment, stage="started", on=D(2025, 4, 1))
    recruitment.refresh_from_db()
    assert recruitment.time_to_hire_days == 81
    assert recruitment.vacancy.closed_on == D(2025, 4, 1)
    assert list(recruitment.steps.values_list("stage", flat=True)) == [
        "advertised",
        "shortlisted",
        "offered",
        "started",
    ]


def test_a_withdrawn_recruitment_cannot_move(lead):
    recruitment = _ready_recruitment(lead)
    services.recruitment_advance(
        actor=lead, recruitment=recruitment, stage=RecruitmentStage.WITHDRAWN, on=D(2025, 2, 1)
    )
    with pytest.raises(ValidationError):
        services.recruitment_advance(actor=lead, recruitment=recruitment, stage="offered", on=D(2025, 2, 2))
    assert Recruitment.objects.get().stage == RecruitmentStage.WITHDRAWN


def _scheme(lead, **extra):
    values = {
        "name": "Team manager golden hello",
        "kind": "golden_hello",
        "grade": Grade.TEAM_MANAGER,
        "amount_pence": 500_000,
        "clawback_months": 24,
        "repayment_rule": RepaymentRule.FULL,
        "instalments": [(250_000, 0), (250_000, 6)],
    } | extra
    return services.incentive_scheme_create(actor=lead, **values)


def test_instalments_that_do_not_add_up_are_refused(lead):
    with pytest.raises(ValidationError) as error:
        _scheme(lead, instalments=[(250_000, 0), (200_000, 6)])
    assert "add up to £4,500.00, not the scheme's £5,000.00" in error.value.message_dict["instalments"][0]


def test_a_full_scheme_leaver_repays_what_was_paid_and_the_last_day_repays_nothing(lead):
    scheme = _scheme(lead)
    early = StaffRecordFactory(start_date=D(2025, 4, 1), grade=Grade.TEAM_MANAGER)
    stayer = StaffRecordFactory(start_date=D(2025, 4, 1), grade=Grade.TEAM_MANAGER)
    for staff in (early, stayer):
        award = services.incentive_award(actor=lead, staff=staff, scheme=scheme, starts_on=staff.start_date)
        assert [(p.amount_pence, p.due_on) for p in award.payments.all()] == [
            (250_000, D(2025, 4, 1)),
            (250_000, D(2025, 10, 1)),
        ]
        services.incentive_payment_pay(actor=lead, payment=award.payments.first(), paid_on=D(2025, 4, 30))
    services.staff_leave(actor=lead, staff=early, last_day=D(2025, 8, 31), reason="resigned_agency")
    assert early.awards.get().repayable_pence == 250_000
    second = IncentivePayment.objects.get(award__staff=stayer, number=2)
    services.incentive_payment_pay(actor=lead, payment=second, paid_on=D(2025, 10, 31))
    services.staff_leave(actor=lead, staff=stayer, last_day=D(2027, 3, 31), reason="resigned_other_la")
    assert stayer.awards.get().repayable_pence == 0
    with pytest.raises(ValidationError):
        services.incentive_payment_pay(
            actor=lead,
            payment=IncentivePayment.objects.get(award__staff=early, number=2),
            paid_on=D(2025, 10, 1),
        )


def test_a_pro_rata_scheme_leaver_repays_the_unserved_share(lead):
    scheme = _scheme(
        lead,
        name="Senior practitioner retention",
        clawback_months=12,
        repayment_rule=RepaymentRule.PRO_RATA,
        instalments=[(500_000, 0)],
    )
    staff = StaffRecordFactory(start_date=D(2025, 4, 1))
    award = services.incentive_award(actor=lead, staff=staff, scheme=scheme, starts_on=D(2025, 4, 1))
    services.incentive_payment_pay(actor=lead, payment=award.payments.get(), paid_on=D(2025, 4, 1))
    services.staff_leave(actor=lead, staff=staff, last_day=D(2026, 3, 30), reason="retired")
    award.refresh_from_db()
    assert award.repayable_pence == 41_666
    event = AuditEvent.objects.get(action="workforce_incentive_repayable")
    assert event.changes["repayable_pence"]["after"] == 41_666


def test_a_leaver_cannot_leave_twice_or_before_starting(lead):
    staff = StaffRecordFactory(start_date=D(2025, 4, 1))
    with pytest.raises(ValidationError):
        services.staff_leave(actor=lead, staff=staff, last_day=D(2025, 3, 1), reason="retired")
    services.staff_leave(actor=lead, staff=staff, last_day=D(2025, 5, 1), reason="retired")
    with pytest.raises(ValidationError):
        services.staff_leave(actor=lead, staff=staff, last_day=D(2025, 6, 1), reason="retired")


def test_asye_enrolment_schedules_reviews_and_passing_the_final_assessment_changes_grade(lead):
    cohort = AsyeCohortFactory(starts_on=D(2025, 9, 1))
    staff = StaffRecordFactory(start_date=D(2025, 9, 8), grade=Grade.ASYE)
    services.asye_enrol(actor=lead, staff=staff, cohort=cohort)
    reviews = {r.kind: r for r in staff.asye_reviews.all()}
    assert reviews[AsyeReviewKind.THREE_MONTH].due_on == D(2025, 12, 8)
    assert reviews[AsyeReviewKind.FINAL].due_on == D(2026, 9, 8)
    with pytest.raises(ValidationError):
        services.asye_review_record(
            actor=lead,
            review=reviews[AsyeReviewKind.THREE_MONTH],
            held_on=D(2025, 12, 8),
            outcome=AsyeOutcome.PASSED,
        )
    with pytest.raises(ValidationError):
        services.asye_review_record(
            actor=lead,
            review=reviews[AsyeReviewKind.FINAL],
            held_on=D(2026, 9, 8),
            outcome=AsyeOutcome.ON_TRACK,
        )
    services.asye_review_record(
        actor=lead, review=reviews[AsyeReviewKind.FINAL], held_on=D(2026, 9, 8), outcome=AsyeOutcome.PASSED
    )
    staff.refresh_from_db()
    assert staff.grade == Grade.SOCIAL_WORKER


def test_an_approved_progression_changes_grade_and_history_as_progressed(lead):
    career_path()
    staff = StaffRecordFactory(grade=Grade.EXPERIENCED)
    with pytest.raises(ValidationError):
        services.progression_apply(
            actor=lead,
            staff=staff,
            to_grade=Grade.SENIOR,
            submitted_on=D(2025, 5, 1),
            evidence="  ",
            criteria_met=["Leads on complex cases and court work"],
        )
    application = services.progression_apply(
        actor=lead,
        staff=staff,
        to_grade=Grade.SENIOR,
        submitted_on=D(2025, 5, 1),
        evidence="Portfolio of practice",
        criteria_met=["Leads on complex cases and court work"],
    )
    services.progression_decide(
        actor=lead,
        application=application,
        decision=PanelDecision.APPROVED,
        decided_on=D(2025, 6, 1),
        panel="Head of service, principal social worker",
    )
    staff.refresh_from_db()
    assert staff.grade == Grade.SENIOR
    assert staff.grade_history.get().route == GradeRoute.PROGRESSED


def test_supervision_and_absence_refuse_impossible_dates(lead):
    staff = StaffRecordFactory(start_date=D(2025, 4, 1))
    with pytest.raises(ValidationError):
        services.supervision_record(
            actor=lead, staff=staff, held_on=D(2025, 3, 1), kind="case", case_decisions_recorded=True
        )
    supervision = services.supervision_record(
        actor=lead,
        staff=staff,
        held_on=D(2025, 4, 15),
        kind="case",
        case_decisions_recorded=True,
        notes="Discussed two families",
    )
    assert "notes" not in AuditEvent.objects.get(action="workforce_supervision_record").changes
    assert supervision.supervisor == lead
    with pytest.raises(ValidationError) as error:
        services.absence_record(
            actor=lead,
            staff=staff,
            starts_on=D(2025, 5, 5),
            ends_on=D(2025, 5, 1),
            working_days_lost=Decimal(3),
        )
    assert "ends_on" in error.value.message_dict


# -- Progression applications.


def _apply(lead, staff, **extra):
    values = {
        "to_grade": Grade.SENIOR,
        "submitted_on": D(2025, 5, 1),
        "evidence": "Portfolio of practice and two observations",
        "criteria_met": ["Leads on complex cases and court work"],
    } | extra
    return services.progression_apply(actor=lead, staff=staff, **values)


def _refusal(lead, staff, **extra) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        _apply(lead, staff, **extra)
    return error.value.message_dict


def test_an_application_is_for_the_next_grade_only(lead):
    career_path()
    staff = StaffRecordFactory(first_name="Ana", last_name="Okafor", grade=Grade.EXPERIENCED)
    assert _refusal(lead, staff, to_grade=Grade.TEAM_MANAGER)["to_grade"] == [
        "Apply for the next grade on the career path, senior practitioner: each step is taken in turn"
    ]
    assert _refusal(lead, staff, to_grade=Grade.EXPERIENCED)["to_grade"] == [
        "Ana Okafor's grade is already experienced social worker"
    ]
    assert not staff.applications.exists()
    application = _apply(lead, staff)
    assert application.criteria_met == ["Leads on complex cases and court work"]
    assert application.decision == PanelDecision.PENDING


def test_an_application_needs_criteria_of_the_grade_applied_for(lead):
    career_path()
    staff = StaffRecordFactory(grade=Grade.EXPERIENCED)
    assert _refusal(lead, staff, criteria_met=[])["criteria_met"] == [
        "Select the criteria the evidence meets"
    ]
    assert _refusal(lead, staff, criteria_met=["Passed the ASYE"])["criteria_met"] == [
        "Choose from the criteria for senior practitioner"
    ]
    assert "evidence" in _refusal(lead, staff, evidence="   ")
    assert not staff.applications.exists()


def test_a_second_open_application_and_a_leavers_application_are_refused(lead):
    career_path()
    staff = StaffRecordFactory(first_name="Ana", last_name="Okafor", grade=Grade.EXPERIENCED)
    _apply(lead, staff)
    assert _refusal(lead, staff)["to_grade"] == [
        "Ana Okafor already has an application waiting for the panel"
    ]
    leaver = StaffRecordFactory(
        first_name="Ben", last_name="Hale", grade=Grade.EXPERIENCED, end_date=D(2025, 4, 30)
    )
    assert _refusal(lead, leaver)["to_grade"] == ["Ben Hale left on 30 April 2025: a leaver cannot apply"]
    assert staff.applications.count() == 1 and not leaver.applications.exists()


def test_with_no_career_path_there_is_no_next_grade(lead):
    staff = StaffRecordFactory(grade=Grade.EXPERIENCED)
    assert "to_grade" in _refusal(lead, staff)


def test_the_application_is_audited_without_its_evidence(lead):
    career_path()
    staff = StaffRecordFactory(grade=Grade.EXPERIENCED)
    _apply(lead, staff, evidence="Mentions the Hale family by name")
    event = AuditEvent.objects.get(action="workforce_progression_apply")
    assert event.changes["to_grade"]["after"] == Grade.SENIOR
    assert event.changes["criteria_met"]["after"] == ["Leads on complex cases and court work"]
    assert "evidence" not in event.changes


# -- Repayments of incentives.


def _leaver_owing(lead, *, repayable: int = 250_000):
    """A team manager who left on 31 August 2025 owing ``repayable`` (a full-repayment scheme
    with one instalment of that amount paid)."""
    scheme = _scheme(lead, amount_pence=repayable, instalments=[(repayable, 0)])
    staff = StaffRecordFactory(first_name="Cal", last_name="Reyes", start_date=D(2025, 4, 1))
    award = services.incentive_award(actor=lead, staff=staff, scheme=scheme, starts_on=staff.start_date)
    services.incentive_payment_pay(actor=lead, payment=award.payments.get(), paid_on=D(2025, 4, 30))
    services.staff_leave(actor=lead, staff=staff, last_day=D(2025, 8, 31), reason="resigned_agency")
    award.refresh_from_db()
    assert award.repayable_pence == repayable
    return award


def test_repayments_in_part_then_the_rest_settle_the_award(lead):
    award = _leaver_owing(lead)
    services.incentive_repayment_record(actor=lead, award=award, amount_pence=100_050, on=D(2025, 9, 30))
    award.refresh_from_db()
    assert award.outstanding_pence() == 149_950 and award.repaid_on is None
    services.incentive_repayment_record(actor=lead, award=award, amount_pence=149_950, on=D(2025, 10, 31))
    award.refresh_from_db()
    assert award.outstanding_pence() == 0 and award.repaid_on == D(2025, 10, 31)
    assert [(r.kind, r.amount_pence) for r in award.repayments.all()] == [
        ("received", 100_050),
        ("received", 149_950),
    ]
    events = AuditEvent.objects.filter(action="workforce_incentive_repayment_received")
    assert sorted(e.changes["amount_pence"]["after"] for e in events) == [100_050, 149_950]
    assert AuditEvent.objects.get(action="workforce_incentive_repaid").changes["repaid_on"]["after"]
    with pytest.raises(ValidationError) as error:
        services.incentive_repayment_record(actor=lead, award=award, amount_pence=1, on=D(2025, 11, 1))
    assert "Nothing is outstanding" in error.value.messages[0]


def test_a_repayment_over_what_is_outstanding_or_before_the_last_day_is_refused(lead):
    award = _leaver_owing(lead)
    services.incentive_repayment_record(actor=lead, award=award, amount_pence=50_000, on=D(2025, 9, 1))
    with pytest.raises(ValidationError) as error:
        services.incentive_repayment_record(actor=lead, award=award, amount_pence=200_001, on=D(2025, 9, 2))
    assert error.value.message_dict["amount_pence"] == ["Cal Reyes owes £2,000.00: enter that amount or less"]
    with pytest.raises(ValidationError) as error:
        services.incentive_repayment_record(actor=lead, award=award, amount_pence=100, on=D(2025, 8, 30))
    assert error.value.message_dict["on"] == [
        "The date must be on or after Cal Reyes's last day, 31 August 2025"
    ]
    with pytest.raises(ValidationError) as error:
        services.incentive_repayment_record(actor=lead, award=award, amount_pence=0, on=D(2025, 9, 2))
    assert "amount_pence" in error.value.message_dict
    assert award.repayments.count() == 1


def test_waiving_takes_what_is_outstanding_and_needs_a_reason_kept_out_of_the_audit(lead):
    award = _leaver_owing(lead)
    services.incentive_repayment_record(actor=lead, award=award, amount_pence=50_000, on=D(2025, 9, 1))
    with pytest.raises(ValidationError) as error:
        services.incentive_repayment_waive(actor=lead, award=award, on=D(2025, 9, 2), reason="  ")
    assert "reason" in error.value.message_dict
    waiver = services.incentive_repayment_waive(
        actor=lead, award=award, on=D(2025, 9, 2), reason="Left on ill-health grounds"
    )
    assert (waiver.kind, waiver.amount_pence) == ("waived", 200_000)
    award.refresh_from_db()
    assert award.outstanding_pence() == 0 and award.repaid_on == D(2025, 9, 2)
    event = AuditEvent.objects.get(action="workforce_incentive_repayment_waived")
    assert event.changes["amount_pence"]["after"] == 200_000 and "reason" not in event.changes


def test_nothing_is_repaid_by_someone_who_has_not_left(lead):
    scheme = _scheme(lead)
    staff = StaffRecordFactory(start_date=D(2025, 4, 1))
    award = services.incentive_award(actor=lead, staff=staff, scheme=scheme, starts_on=staff.start_date)
    with pytest.raises(ValidationError):
        services.incentive_repayment_record(actor=lead, award=award, amount_pence=100, on=D(2025, 9, 1))
    assert not award.repayments.exists()
