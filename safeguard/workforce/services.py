"""Writes to the workforce records: each validates, saves and writes its audit event.

Every refusal is a ``ValidationError`` keyed by the field at fault (the form pages show it
on that field, with everything typed kept), and nothing is half-saved: each service runs in
one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from safeguard.accounts.models import Grade, Team, User
from safeguard.audit.services import audited_create, audited_update
from safeguard.core.calendar import add_calendar_months
from safeguard.workforce.models import (
    STAGE_ORDER,
    Absence,
    AsyeCohort,
    AsyeOutcome,
    AsyeReview,
    AsyeReviewKind,
    CoverKind,
    EmploymentKind,
    GradeHistory,
    GradeRoute,
    IncentiveAward,
    IncentivePayment,
    IncentiveRepayment,
    IncentiveScheme,
    LeavingReason,
    PanelDecision,
    Post,
    ProgressionApplication,
    Recruitment,
    RecruitmentStage,
    RecruitmentStep,
    RepaymentKind,
    RepaymentRule,
    SchemeInstalment,
    StaffRecord,
    Supervision,
    Vacancy,
)
from safeguard.workforce.rules import normalise_swe_number, pounds, repayable_pence, swe_number_error
from safeguard.workforce.selectors import next_step

FTE_PLACES = Decimal("0.01")
NOTE_FIELDS = ("notes", "evidence", "feedback", "conditions", "over_establishment_reason")


def _audit(values: dict[str, Any]) -> list[str]:
    """Fields the audit event records: free text that may name a third party stays out."""
    return [name for name in values if name not in NOTE_FIELDS]


# -- Posts.


def post_create(
    *,
    actor: User,
    team: Team,
    title: str,
    grade: str,
    funded_fte: Decimal,
    case_holding: bool = True,
    hard_to_fill: bool = False,
) -> Post:
    if funded_fte <= 0:
        raise ValidationError({"funded_fte": "Enter a funded FTE greater than 0"})
    if funded_fte > 10:
        raise ValidationError({"funded_fte": "Enter a funded FTE of 10 or less for one post"})
    return audited_create(
        Post,
        actor=actor,
        action="workforce_post_create",
        values={
            "team": team,
            "title": title.strip(),
            "grade": grade,
            "funded_fte": funded_fte,
            "case_holding": case_holding,
            "hard_to_fill": hard_to_fill,
        },
        child_id=None,
    )


def post_fte_in_post(post: Post, *, on: dt.date, excluding: StaffRecord | None = None) -> Decimal:
    """FTE of the people employed (not agency cover) in ``post`` on ``on``."""
    staff = StaffRecord.objects.filter(post=post, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    if excluding is not None and excluding.pk:
        staff = staff.exclude(pk=excluding.pk)
    total = staff.exclude(kind=EmploymentKind.AGENCY).aggregate(total=Sum("fte"))["total"]
    return Decimal(total or 0).quantize(FTE_PLACES)


# -- Staff records.

STAFF_FIELDS = (
    "user",
    "first_name",
    "last_name",
    "team",
    "post",
    "over_establishment_reason",
    "kind",
    "agency_name",
    "fte",
    "grade",
    "census_role",
    "is_social_worker",
    "case_holding",
    "social_work_england_number",
    "start_date",
    "end_date",
    "leaving_reason",
    "destination",
    "origin",
    "entry_route",
    "supervisor",
    "asye_cohort",
    "agency_weekly_cost_pence",
)


def _staff_errors(values: dict[str, Any], *, instance: StaffRecord | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    number = values.get("social_work_england_number", "")
    problem = swe_number_error(number)
    if problem:
        errors["social_work_england_number"] = problem
    elif number:
        same = StaffRecord.objects.filter(social_work_england_number=number)
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors["social_work_england_number"] = (
                f"{same[0].name} already has the registration number {number}: this person "
                "may already have a record"
            )
    user = values.get("user")
    if user is not None:
        taken = StaffRecord.objects.filter(user=user)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["user"] = f"{user.display_name} already has a staff record"
    elif instance is None:
        twin = StaffRecord.objects.filter(
            first_name__iexact=values["first_name"].strip(),
            last_name__iexact=values["last_name"].strip(),
            team=values["team"],
            end_date__isnull=True,
        )
        if twin.exists():
            errors["last_name"] = (
                f"{values['first_name']} {values['last_name']} already has a current record in "
                f"{values['team'].name}: this may be the same person"
            )
    fte = values.get("fte")
    if fte is not None and not (Decimal(0) < fte <= Decimal(1)):
        errors["fte"] = "Enter an FTE between 0.01 and 1"
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors["end_date"] = "The end date must be the same as or after the start date"
    post = values.get("post")
    if post is not None and values.get("kind") != EmploymentKind.AGENCY and fte is not None and start:
        if post.team_id != values["team"].pk:
            errors["post"] = "Choose a post in the person's own team"
        else:
            total = post_fte_in_post(post, on=max(start, timezone.localdate()), excluding=instance) + fte
            if total > post.funded_fte and not values.get("over_establishment_reason", "").strip():
                errors["over_establishment_reason"] = (
                    f"{post.title} is funded for {post.funded_fte} FTE and would have {total} FTE in it: "
                    "give the reason it is over establishment"
                )
    return errors


def _clean_staff_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in ("first_name", "last_name", "agency_name", "destination", "over_establishment_reason"):
        if name in cleaned and isinstance(cleaned[name], str):
            cleaned[name] = cleaned[name].strip()
    if "social_work_england_number" in cleaned:
        cleaned["social_work_england_number"] = normalise_swe_number(
            cleaned["social_work_england_number"] or ""
        )
    unknown = set(cleaned) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"Not staff record fields: {sorted(unknown)}")
    return cleaned


def staff_create(*, actor: User, **fields: Any) -> StaffRecord:
    """A new staff record; an ASYE cohort given also schedules the year's reviews."""
    values = _clean_staff_values(fields)
    values.setdefault("social_work_england_number", "")
    values.setdefault("kind", EmploymentKind.EMPLOYED)
    values.setdefault("fte", Decimal("1.00"))
    errors = _staff_errors(values, instance=None)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        staff = audited_create(
            StaffRecord,
            actor=actor,
            action="workforce_staff_create",
            values=values,
            child_id=None,
            audit=_audit(values),
        )
        audited_create(
            GradeHistory,
            actor=actor,
            action="workforce_grade_history_create",
            values={
                "staff": staff,
                "grade": staff.grade,
                "since": staff.start_date,
                "route": GradeRoute.APPOINTED,
            },
            child_id=None,
        )
        if staff.asye_cohort is not None:
            _schedule_asye_reviews(actor=actor, staff=staff)
    return staff


def staff_update(*, actor: User, staff: StaffRecord, **fields: Any) -> StaffRecord:
    values = _clean_staff_values(fields)
    current = {name: getattr(staff, name) for name in STAFF_FIELDS}
    errors = _staff_errors(current | values, instance=staff)
    if errors:
        raise ValidationError(errors)
    audited_update(
        staff,
        actor=actor,
        action="workforce_staff_update",
        values=values,
        child_id=None,
        audit=_audit(values),
    )
    return staff


def staff_leave(
    *, actor: User, staff: StaffRecord, last_day: dt.date, reason: str, destination: str = ""
) -> StaffRecord:
    """Record a leaver and work out, for each incentive, what the scheme says they repay."""
    if staff.end_date is not None:
        raise ValidationError(
            {"last_day": f"{staff.name} has already left (last day {staff.end_date:%d %B %Y})"}
        )
    if last_day < staff.start_date:
        raise ValidationError(
            {"last_day": f"The last day must be on or after the start date, {staff.start_date:%d %B %Y}"}
        )
    if reason not in LeavingReason.values:
        raise ValidationError({"reason": "Choose why they left"})
    with transaction.atomic():
        audited_update(
            staff,
            actor=actor,
            action="workforce_staff_leave",
            values={"end_date": last_day, "leaving_reason": reason, "destination": destination.strip()},
            child_id=None,
        )
        for award in staff.awards.select_related("scheme"):
            audited_update(
                award,
                actor=actor,
                action="workforce_incentive_repayable",
                values={"repayable_pence": award_repayable_pence(award, last_day=last_day)},
                child_id=None,
            )
    return staff


# -- Vacancies and cover.


def _cover_errors(cover: str, covered_by: StaffRecord | None) -> dict[str, str]:
    if cover == CoverKind.AGENCY and covered_by is not None and covered_by.kind != EmploymentKind.AGENCY:
        return {"covered_by": f"{covered_by.name} is not an agency worker: choose another kind of cover"}
    if cover == CoverKind.UNFILLED and covered_by is not None:
        return {"covered_by": "An uncovered vacancy has nobody covering it"}
    return {}


def vacancy_open(
    *,
    actor: User,
    post: Post,
    fte: Decimal,
    opened_on: dt.date,
    cover: str = CoverKind.UNFILLED,
    covered_by: StaffRecord | None = None,
) -> Vacancy:
    open_fte = Vacancy.objects.filter(post=post, closed_on__isnull=True).aggregate(total=Sum("fte"))["total"]
    free = (
        post.funded_fte - post_fte_in_post(post, on=opened_on) - Decimal(open_fte or 0).quantize(FTE_PLACES)
    )
    errors = _cover_errors(cover, covered_by)
    if fte <= 0:
        errors["fte"] = "Enter a vacant FTE greater than 0"
    elif fte > free:
        errors["fte"] = (
            f"{post.title} is funded for {post.funded_fte} FTE and only "
            f"{max(free, Decimal(0))} FTE of it is free"
        )
    if errors:
        raise ValidationError(errors)
    return audited_create(
        Vacancy,
        actor=actor,
        action="workforce_vacancy_open",
        values={"post": post, "fte": fte, "opened_on": opened_on, "cover": cover, "covered_by": covered_by},
        child_id=None,
    )


def vacancy_cover(*, actor: User, vacancy: Vacancy, cover: str, covered_by: StaffRecord | None) -> Vacancy:
    errors = _cover_errors(cover, covered_by)
    if errors:
        raise ValidationError(errors)
    audited_update(
        vacancy,
        actor=actor,
        action="workforce_vacancy_cover",
        values={"cover": cover, "covered_by": covered_by},
        child_id=None,
    )
    return vacancy


def vacancy_close(*, actor: User, vacancy: Vacancy, closed_on: dt.date) -> Vacancy:
    if vacancy.closed_on is not None:
        raise ValidationError("This vacancy is already closed")
    if closed_on < vacancy.opened_on:
        raise ValidationError({"closed_on": "The vacancy cannot close before it opened"})
    audited_update(
        vacancy, actor=actor, action="workforce_vacancy_close", values={"closed_on": closed_on}, child_id=None
    )
    return vacancy


# -- Recruitment.


def recruitment_start(*, actor: User, vacancy: Vacancy, advertised_on: dt.date) -> Recruitment:
    if vacancy.closed_on is not None:
        raise ValidationError("This vacancy is closed")
    live = vacancy.recruitments.exclude(stage__in=[RecruitmentStage.STARTED, RecruitmentStage.WITHDRAWN])
    if live.exists():
        raise ValidationError("This vacancy is already being recruited to")
    with transaction.atomic():
        recruitment = audited_create(
            Recruitment,
            actor=actor,
            action="workforce_recruitment_start",
            values={"vacancy": vacancy, "advertised_on": advertised_on, "stage_since": advertised_on},
            child_id=None,
        )
        RecruitmentStep.objects.create(
            recruitment=recruitment, stage=RecruitmentStage.ADVERTISED, on=advertised_on
        )
    return recruitment


def recruitment_advance(
    *,
    actor: User,
    recruitment: Recruitment,
    stage: str,
    on: dt.date,
    applications: int | None = None,
    candidate: str = "",
) -> Recruitment:
    """Move a recruitment on to ``stage`` (or withdraw it). Stages go forwards only, and
    nobody starts before every pre-employment check is done."""
    current = recruitment.stage
    if current in (RecruitmentStage.STARTED, RecruitmentStage.WITHDRAWN):
        raise ValidationError(
            {"stage": f"This recruitment has {recruitment.get_stage_display().lower()}: it cannot move"}
        )
    if stage != RecruitmentStage.WITHDRAWN and STAGE_ORDER.index(stage) <= STAGE_ORDER.index(current):
        raise ValidationError({"stage": f"Choose a stage after {recruitment.get_stage_display().lower()}"})
    if on < recruitment.stage_since:
        raise ValidationError({"on": f"The date must be on or after {recruitment.stage_since:%d %B %Y}"})
    if stage == RecruitmentStage.STARTED and not recruitment.checks_done:
        raise ValidationError(
            {
                "stage": "Record every pre-employment check (DBS, registration, references, "
                "right to work) first"
            }
        )
    values: dict[str, Any] = {"stage": stage, "stage_since": on}
    if applications is not None:
        values["applications"] = applications
    if candidate.strip():
        values["candidate"] = candidate.strip()
    if stage == RecruitmentStage.STARTED:
        values["started_on"] = on
    with transaction.atomic():
        audited_update(
            recruitment, actor=actor, action="workforce_recruitment_advance", values=values, child_id=None
        )
        RecruitmentStep.objects.create(recruitment=recruitment, stage=stage, on=on)
        if stage == RecruitmentStage.STARTED:
            vacancy = recruitment.vacancy
            if vacancy.closed_on is None:
                audited_update(
                    vacancy,
                    actor=actor,
                    action="workforce_vacancy_close",
                    values={"closed_on": on},
                    child_id=None,
                )
    return recruitment


CHECKS = ("dbs_checked_on", "registration_checked_on", "references_received_on", "right_to_work_checked_on")


def recruitment_checks_record(
    *, actor: User, recruitment: Recruitment, **checks: dt.date | None
) -> Recruitment:
    unknown = set(checks) - set(CHECKS)
    if unknown:
        raise TypeError(f"Not checks: {sorted(unknown)}")
    errors = {
        name: "A check cannot be before the job was advertised"
        for name, day in checks.items()
        if day is not None and day < recruitment.advertised_on
    }
    if errors:
        raise ValidationError(errors)
    audited_update(
        recruitment, actor=actor, action="workforce_recruitment_checks", values=dict(checks), child_id=None
    )
    return recruitment


# -- Incentives.


def incentive_scheme_create(
    *,
    actor: User,
    name: str,
    kind: str,
    grade: str,
    amount_pence: int,
    clawback_months: int,
    repayment_rule: str,
    instalments: Sequence[tuple[int, int]],
    conditions: str = "",
) -> IncentiveScheme:
    """A scheme and its instalments, each ``(amount_pence, due_after_months)``; the
    instalments must add up to the scheme's amount."""
    errors: dict[str, str] = {}
    if amount_pence <= 0:
        errors["amount_pence"] = "Enter an amount greater than £0"
    if not instalments:
        errors["instalments"] = "Give at least one instalment"
    elif any(amount <= 0 for amount, _ in instalments):
        errors["instalments"] = "Every instalment must be more than £0"
    elif sum(amount for amount, _ in instalments) != amount_pence:
        errors["instalments"] = (
            f"The instalments add up to {pounds(sum(a for a, _ in instalments))}, "
            f"not the scheme's {pounds(amount_pence)}"
        )
    if repayment_rule not in RepaymentRule.values:
        errors["repayment_rule"] = "Choose whether repayment is in full or pro rata"
    if IncentiveScheme.objects.filter(name__iexact=name.strip()).exists():
        errors["name"] = f"There is already a scheme called {name.strip()}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        scheme = audited_create(
            IncentiveScheme,
            actor=actor,
            action="workforce_incentive_scheme_create",
            values={
                "name": name.strip(),
                "kind": kind,
                "grade": grade,
                "amount_pence": amount_pence,
                "clawback_months": clawback_months,
                "repayment_rule": repayment_rule,
                "conditions": conditions.strip(),
            },
            child_id=None,
        )
        for number, (amount, months) in enumerate(sorted(instalments, key=lambda i: i[1]), start=1):
            audited_create(
                SchemeInstalment,
                actor=actor,
                action="workforce_incentive_instalment_create",
                values={
                    "scheme": scheme,
                    "number": number,
                    "amount_pence": amount,
                    "due_after_months": months,
                },
                child_id=None,
            )
    return scheme


def incentive_award(
    *, actor: User, staff: StaffRecord, scheme: IncentiveScheme, starts_on: dt.date
) -> IncentiveAward:
    """Award a scheme to a person and schedule its payments."""
    if staff.end_date is not None:
        raise ValidationError({"staff": f"{staff.name} has left"})
    if IncentiveAward.objects.filter(staff=staff, scheme=scheme).exists():
        raise ValidationError({"scheme": f"{staff.name} already has {scheme.name}"})
    with transaction.atomic():
        award = audited_create(
            IncentiveAward,
            actor=actor,
            action="workforce_incentive_award",
            values={"staff": staff, "scheme": scheme, "starts_on": starts_on},
            child_id=None,
        )
        for instalment in scheme.instalments.all():
            audited_create(
                IncentivePayment,
                actor=actor,
                action="workforce_incentive_payment_schedule",
                values={
                    "award": award,
                    "number": instalment.number,
                    "amount_pence": instalment.amount_pence,
                    "due_on": add_calendar_months(starts_on, instalment.due_after_months),
                },
                child_id=None,
            )
    return award


def incentive_payment_pay(*, actor: User, payment: IncentivePayment, paid_on: dt.date) -> IncentivePayment:
    if payment.paid_on is not None:
        raise ValidationError(f"This instalment was paid on {payment.paid_on:%d %B %Y}")
    staff = payment.award.staff
    if staff.end_date is not None and staff.end_date < payment.due_on:
        raise ValidationError(f"{staff.name} left before this instalment fell due")
    audited_update(
        payment,
        actor=actor,
        action="workforce_incentive_payment_pay",
        values={"paid_on": paid_on},
        child_id=None,
    )
    return payment


def award_paid_pence(award: IncentiveAward, *, by: dt.date | None = None) -> int:
    payments = award.payments.filter(paid_on__isnull=False)
    if by is not None:
        payments = payments.filter(paid_on__lte=by)
    return int(payments.aggregate(total=Sum("amount_pence"))["total"] or 0)


def award_repayable_pence(award: IncentiveAward, *, last_day: dt.date) -> int:
    """What a person whose last day is ``last_day`` repays under the award's scheme."""
    return repayable_pence(
        paid_pence=award_paid_pence(award),
        start=award.starts_on,
        last_day=last_day,
        clawback_months=award.scheme.clawback_months,
        rule=award.scheme.repayment_rule,
    )


def _repayment_checks(award: IncentiveAward, on: dt.date) -> tuple[int, dict[str, str]]:
    """What is still outstanding on ``award``, and what is wrong with a repayment dated ``on``."""
    errors: dict[str, str] = {}
    if award.repayable_pence is None:
        raise ValidationError(f"{award.staff.name} has not left: nothing is repayable yet")
    outstanding = award.outstanding_pence()
    if outstanding <= 0:
        raise ValidationError(f"Nothing is outstanding on {award.staff.name}'s {award.scheme.name}")
    left = award.staff.end_date
    if left is not None and on < left:
        errors["on"] = f"The date must be on or after {award.staff.name}'s last day, {left:%d %B %Y}"
    if on > timezone.localdate():
        errors["on"] = "The date must be today or in the past"
    return outstanding, errors


def _repayment_save(
    *, actor: User, award: IncentiveAward, kind: str, amount_pence: int, on: dt.date, reason: str, left: int
) -> IncentiveRepayment:
    with transaction.atomic():
        repayment = audited_create(
            IncentiveRepayment,
            actor=actor,
            action=f"workforce_incentive_repayment_{kind}",
            values={"award": award, "kind": kind, "amount_pence": amount_pence, "on": on, "reason": reason},
            child_id=None,
            audit=["award", "kind", "amount_pence", "on"],
        )
        if left == 0:
            audited_update(
                award,
                actor=actor,
                action="workforce_incentive_repaid",
                values={"repaid_on": on},
                child_id=None,
            )
    return repayment


def incentive_repayment_record(
    *, actor: User, award: IncentiveAward, amount_pence: int, on: dt.date
) -> IncentiveRepayment:
    """A repayment received from a leaver: more than 0, no more than is outstanding, and not
    dated before their last day. Paying off the rest marks the award repaid."""
    with transaction.atomic():
        return _repayment_receive(actor=actor, award=award, amount_pence=amount_pence, on=on)


def _repayment_receive(
    *, actor: User, award: IncentiveAward, amount_pence: int, on: dt.date
) -> IncentiveRepayment:
    award = IncentiveAward.objects.select_for_update().select_related("staff", "scheme").get(pk=award.pk)
    outstanding, errors = _repayment_checks(award, on)
    if amount_pence <= 0:
        errors["amount_pence"] = "Enter an amount greater than £0"
    elif amount_pence > outstanding:
        errors["amount_pence"] = f"{award.staff.name} owes {pounds(outstanding)}: enter that amount or less"
    if errors:
        raise ValidationError(errors)
    return _repayment_save(
        actor=actor,
        award=award,
        kind=RepaymentKind.RECEIVED,
        amount_pence=amount_pence,
        on=on,
        reason="",
        left=outstanding - amount_pence,
    )


def incentive_repayment_waive(
    *, actor: User, award: IncentiveAward, on: dt.date, reason: str
) -> IncentiveRepayment:
    """Waive what is still outstanding on an award, with the reason (which stays out of the
    audit event, as it may be about the person's circumstances)."""
    with transaction.atomic():
        return _repayment_waive(actor=actor, award=award, on=on, reason=reason)


def _repayment_waive(*, actor: User, award: IncentiveAward, on: dt.date, reason: str) -> IncentiveRepayment:
    award = IncentiveAward.objects.select_for_update().select_related("staff", "scheme").get(pk=award.pk)
    outstanding, errors = _repayment_checks(award, on)
    if not reason.strip():
        errors["reason"] = "Enter why the repayment is waived"
    if errors:
        raise ValidationError(errors)
    return _repayment_save(
        actor=actor,
        award=award,
        kind=RepaymentKind.WAIVED,
        amount_pence=outstanding,
        on=on,
        reason=reason.strip(),
        left=0,
    )


# -- The newly qualified year.


def asye_cohort_create(*, actor: User, name: str, starts_on: dt.date) -> AsyeCohort:
    if AsyeCohort.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": f"There is already a cohort called {name.strip()}"})
    return audited_create(
        AsyeCohort,
        actor=actor,
        action="workforce_asye_cohort_create",
        values={"name": name.strip(), "starts_on": starts_on},
        child_id=None,
    )


def asye_start(staff: StaffRecord) -> dt.date | None:
    """When the person's assessed year began: the later of their start and the cohort's."""
    if staff.asye_cohort is None:
        return None
    return max(staff.start_date, staff.asye_cohort.starts_on)


REVIEW_MONTHS = {AsyeReviewKind.THREE_MONTH: 3, AsyeReviewKind.SIX_MONTH: 6, AsyeReviewKind.FINAL: 12}


def _schedule_asye_reviews(*, actor: User, staff: StaffRecord) -> None:
    began = asye_start(staff)
    assert began is not None
    for kind, months in REVIEW_MONTHS.items():
        if not staff.asye_reviews.filter(kind=kind).exists():
            audited_create(
                AsyeReview,
                actor=actor,
                action="workforce_asye_review_schedule",
                values={"staff": staff, "kind": kind, "due_on": add_calendar_months(began, months)},
                child_id=None,
            )


def asye_enrol(*, actor: User, staff: StaffRecord, cohort: AsyeCohort) -> StaffRecord:
    if staff.asye_cohort_id is not None:
        raise ValidationError({"cohort": f"{staff.name} is already in {staff.asye_cohort}"})
    with transaction.atomic():
        audited_update(
            staff, actor=actor, action="workforce_asye_enrol", values={"asye_cohort": cohort}, child_id=None
        )
        _schedule_asye_reviews(actor=actor, staff=staff)
    return staff


def asye_review_record(
    *, actor: User, review: AsyeReview, held_on: dt.date, outcome: str, notes: str = ""
) -> AsyeReview:
    final_outcomes = {AsyeOutcome.PASSED, AsyeOutcome.FAILED}
    if review.held_on is not None:
        raise ValidationError(f"This review was recorded on {review.held_on:%d %B %Y}")
    if review.kind == AsyeReviewKind.FINAL and outcome not in final_outcomes:
        raise ValidationError({"outcome": "The final assessment is passed or not passed"})
    if review.kind != AsyeReviewKind.FINAL and outcome in final_outcomes:
        raise ValidationError({"outcome": "Only the final assessment is passed or not passed"})
    began = asye_start(review.staff)
    if began is not None and held_on < began:
        raise ValidationError({"held_on": "The review cannot be before the assessed year began"})
    with transaction.atomic():
        audited_update(
            review,
            actor=actor,
            action="workforce_asye_review_record",
            values={"held_on": held_on, "outcome": outcome, "notes": notes.strip()},
            child_id=None,
            audit=["held_on", "outcome"],
        )
        staff = review.staff
        if outcome == AsyeOutcome.PASSED and staff.grade == Grade.ASYE:
            audited_update(
                staff,
                actor=actor,
                action="workforce_asye_passed",
                values={"grade": Grade.SOCIAL_WORKER},
                child_id=None,
            )
            GradeHistory.objects.create(
                staff=staff, grade=Grade.SOCIAL_WORKER, since=held_on, route=GradeRoute.PROGRESSED
            )
    return review


# -- Career progression.


def progression_apply(
    *,
    actor: User,
    staff: StaffRecord,
    to_grade: str,
    submitted_on: dt.date,
    evidence: str,
    criteria_met: Sequence[str],
) -> ProgressionApplication:
    """An application to the progression panel for the next grade on the career path, with
    the evidence and which of that grade's criteria it meets. One open application at a
    time, and none for someone who has left."""
    with transaction.atomic():
        # Locked, so two submissions at once cannot both open an application.
        staff = StaffRecord.objects.select_for_update().get(pk=staff.pk)
        return _progression_apply(
            actor=actor,
            staff=staff,
            to_grade=to_grade,
            submitted_on=submitted_on,
            evidence=evidence,
            criteria_met=criteria_met,
        )


def _progression_apply(
    *,
    actor: User,
    staff: StaffRecord,
    to_grade: str,
    submitted_on: dt.date,
    evidence: str,
    criteria_met: Sequence[str],
) -> ProgressionApplication:
    errors: dict[str, str] = {}
    step = next_step(staff)
    if staff.end_date is not None and staff.end_date < submitted_on:
        errors["to_grade"] = f"{staff.name} left on {staff.end_date:%d %B %Y}: a leaver cannot apply"
    elif staff.applications.filter(decision=PanelDecision.PENDING).exists():
        errors["to_grade"] = f"{staff.name} already has an application waiting for the panel"
    elif to_grade == staff.grade:
        errors["to_grade"] = f"{staff.name}'s grade is already {staff.get_grade_display().lower()}"
    elif step is None:
        errors["to_grade"] = f"There is no grade after {staff.get_grade_display().lower()} on the career path"
    elif to_grade != step.grade:
        errors["to_grade"] = (
            f"Apply for the next grade on the career path, {step.get_grade_display().lower()}: "
            "each step is taken in turn"
        )
    if submitted_on < staff.start_date:
        errors["submitted_on"] = f"{staff.name} started on {staff.start_date:%d %B %Y}"
    if not evidence.strip():
        errors["evidence"] = "Describe the evidence for the application"
    if step is not None and "to_grade" not in errors:
        unknown = [c for c in criteria_met if c not in step.items()]
        if unknown:
            errors["criteria_met"] = "Choose from the criteria for " + step.get_grade_display().lower()
        elif not criteria_met:
            errors["criteria_met"] = "Select the criteria the evidence meets"
    if errors:
        raise ValidationError(errors)
    return audited_create(
        ProgressionApplication,
        actor=actor,
        action="workforce_progression_apply",
        values={
            "staff": staff,
            "to_grade": to_grade,
            "submitted_on": submitted_on,
            "evidence": evidence.strip(),
            "criteria_met": list(criteria_met),
        },
        child_id=None,
        audit=["staff", "to_grade", "submitted_on", "criteria_met"],
    )


def progression_decide(
    *,
    actor: User,
    application: ProgressionApplication,
    decision: str,
    decided_on: dt.date,
    panel: str,
    feedback: str = "",
) -> ProgressionApplication:
    if application.decision != PanelDecision.PENDING:
        raise ValidationError("The panel has already decided this application")
    if decision not in (PanelDecision.APPROVED, PanelDecision.DECLINED):
        raise ValidationError({"decision": "Choose the panel's decision"})
    if decided_on < application.submitted_on:
        raise ValidationError({"decided_on": "The decision cannot be before the application"})
    if not panel.strip():
        raise ValidationError({"panel": "Enter who sat on the panel"})
    with transaction.atomic():
        audited_update(
            application,
            actor=actor,
            action="workforce_progression_decide",
            values={
                "decision": decision,
                "decided_on": decided_on,
                "panel": panel.strip(),
                "feedback": feedback.strip(),
            },
            child_id=None,
            audit=["decision", "decided_on", "panel"],
        )
        if decision == PanelDecision.APPROVED:
            staff = application.staff
            audited_update(
                staff,
                actor=actor,
                action="workforce_grade_change",
                values={"grade": application.to_grade},
                child_id=None,
            )
            audited_create(
                GradeHistory,
                actor=actor,
                action="workforce_grade_history_create",
                values={
                    "staff": staff,
                    "grade": application.to_grade,
                    "since": decided_on,
                    "route": GradeRoute.PROGRESSED,
                },
                child_id=None,
            )
    return application


# -- Supervision and absence.


def supervision_record(
    *,
    actor: User,
    staff: StaffRecord,
    held_on: dt.date,
    kind: str,
    case_decisions_recorded: bool,
    notes: str = "",
    supervisor: User | None = None,
) -> Supervision:
    if held_on < staff.start_date:
        raise ValidationError({"held_on": f"{staff.name} started on {staff.start_date:%d %B %Y}"})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The supervision date must be today or in the past"})
    return audited_create(
        Supervision,
        actor=actor,
        action="workforce_supervision_record",
        values={
            "staff": staff,
            "supervisor": supervisor or actor,
            "held_on": held_on,
            "kind": kind,
            "case_decisions_recorded": case_decisions_recorded,
            "notes": notes.strip(),
        },
        child_id=None,
        audit=["staff", "supervisor", "held_on", "kind", "case_decisions_recorded"],
    )


def absence_record(
    *,
    actor: User,
    staff: StaffRecord,
    starts_on: dt.date,
    ends_on: dt.date | None,
    working_days_lost: Decimal,
) -> Absence:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date must be the same as or after the start date"})
    if working_days_lost < 0:
        raise ValidationError({"working_days_lost": "Enter the working days lost as 0 or more"})
    return audited_create(
        Absence,
        actor=actor,
        action="workforce_absence_record",
        values={
            "staff": staff,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "working_days_lost": working_days_lost,
        },
        child_id=None,
    )


def recruitment_update(
    *,
    actor: User,
    recruitment: Recruitment,
    stage: str,
    on: dt.date,
    applications: int | None = None,
    candidate: str = "",
    checks: dict[str, dt.date | None] | None = None,
) -> Recruitment:
    """The pipeline page's one change: any pre-employment checks recorded, then the move on."""
    with transaction.atomic():
        given = {name: day for name, day in (checks or {}).items() if day is not None}
        if given:
            recruitment_checks_record(actor=actor, recruitment=recruitment, **given)
        return recruitment_advance(
            actor=actor,
            recruitment=recruitment,
            stage=stage,
            on=on,
            applications=applications,
            candidate=candidate,
        )
