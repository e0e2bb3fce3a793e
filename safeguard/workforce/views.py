"""The workforce pages: the lead's overview, a team's page, a person's record and the forms
that change them. Each view fetches and authorises through one selector and saves through
one service."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import STAFF_ROLES, WorkforceAction
from safeguard.design_system.pages import form_action, form_page, posted
from safeguard.workforce import census, selectors, services
from safeguard.workforce.forms import (
    AbsenceForm,
    AsyeReviewForm,
    IncentiveAwardForm,
    IncentiveSchemeForm,
    LeaveForm,
    PostForm,
    ProgressionApplicationForm,
    ProgressionDecisionForm,
    RecruitmentForm,
    RecruitmentStartForm,
    RepaymentForm,
    StaffForm,
    SupervisionForm,
    VacancyCloseForm,
    VacancyCoverForm,
    VacancyOpenForm,
)
from safeguard.workforce.models import (
    Absence,
    AsyeCohort,
    AsyeReview,
    IncentiveAward,
    IncentivePayment,
    IncentiveRepayment,
    IncentiveScheme,
    Post,
    ProgressionApplication,
    Recruitment,
    RepaymentKind,
    StaffRecord,
    Vacancy,
)
from safeguard.workforce.rules import pounds


def possessive(name: str) -> str:
    return f"{name}'s"


def _staff_url(staff: StaffRecord) -> str:
    return reverse("workforce:staff", args=[staff.pk])


@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.overview_for(user=request.user, today=timezone.localdate())
    return render(request, "workforce/overview.html", {"page": page, "pounds": pounds})


@require_GET
def teams(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.may(request.user, WorkforceAction.VIEW_TEAM):
        raise PermissionDenied("You cannot see teams' workforce records")
    reachable = selectors.teams_for(request.user, WorkforceAction.VIEW_TEAM).select_related("service")
    return render(request, "workforce/teams.html", {"teams": list(reachable)})


@require_GET
def team(request: AuthenticatedRequest, team_id: uuid.UUID) -> HttpResponse:
    page = selectors.team_page_for(user=request.user, team_id=team_id, today=timezone.localdate())
    return render(request, "workforce/team.html", {"page": page})


def _record_context(request: AuthenticatedRequest, staff: StaffRecord) -> dict[str, Any]:
    today = timezone.localdate()
    pay = selectors.may_see_pay(request.user) or staff.user_id == request.user.pk
    may_manage = selectors.may(request.user, WorkforceAction.MANAGE)
    return {
        "staff": staff,
        "today": today,
        "pay": pay,
        "pounds": pounds,
        "may_supervise": selectors.may(request.user, WorkforceAction.SUPERVISE)
        and staff.user_id != request.user.pk,
        "may_manage": may_manage,
        "supervision": selectors.supervision_statuses([staff])[0],
        "supervisions": list(staff.supervisions.select_related("supervisor")[:12]),
        "reviews": list(staff.asye_reviews.all()),
        "history": list(staff.grade_history.all()),
        "next_step": selectors.next_step(staff),
        "applications": list(staff.applications.all()),
        "may_apply": (may_manage or staff.user_id == request.user.pk) and staff.end_date is None,
        "awards": [
            (a, list(a.payments.all()))
            for a in staff.awards.select_related("scheme").prefetch_related("repayments")
        ]
        if pay
        else [],
        "absences": list(staff.absences.all()) if pay else [],
    }


@require_GET
def staff(request: AuthenticatedRequest, staff_id: uuid.UUID) -> HttpResponse:
    record = selectors.staff_for(user=request.user, staff_id=staff_id)
    return render(request, "workforce/staff.html", _record_context(request, record))


@require_GET
def my_record(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role not in STAFF_ROLES:
        raise PermissionDenied("Partner agency users have no staff record here")
    record = selectors.own_record(user=request.user)
    context = _record_context(request, record) if record is not None else {"staff": None}
    return render(request, "workforce/staff.html", {**context, "own": True})


@require_http_methods(["GET", "POST"])
def staff_new(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.may_see_pay(request.user):
        raise PermissionDenied("Only the workforce lead and HR add staff records")
    form = StaffForm(posted(request))
    return form_page(
        request,
        form,
        template="workforce/staff_new.html",
        save=lambda _data: services.staff_create(actor=request.user, **form.staff_values()),
        then=_staff_url,
        success=lambda s: f"{s.name}'s record is added.",
        context={"back_url": reverse("workforce:overview")},
    )


@require_http_methods(["GET", "POST"])
def staff_leave(request: AuthenticatedRequest, staff_id: uuid.UUID) -> HttpResponse:
    record = selectors.staff_for(user=request.user, staff_id=staff_id, action=WorkforceAction.MANAGE)
    form = LeaveForm(posted(request))
    return form_page(
        request,
        form,
        template="workforce/leave.html",
        save=lambda data: services.staff_leave(actor=request.user, staff=record, **data),
        then=_staff_url,
        success=lambda s: f"{s.name}'s leaving is recorded.",
        context={"staff": record, "back_url": _staff_url(record)},
    )


@require_http_methods(["GET", "POST"])
def supervision_new(request: AuthenticatedRequest, staff_id: uuid.UUID) -> HttpResponse:
    record = selectors.staff_for(user=request.user, staff_id=staff_id, action=WorkforceAction.SUPERVISE)
    form = SupervisionForm(posted(request))

    def save(data: dict[str, Any]) -> StaffRecord:
        services.supervision_record(
            actor=request.user,
            staff=record,
            held_on=data["held_on"],
            kind=data["kind"],
            case_decisions_recorded=data["case_decisions_recorded"] == "yes",
            notes=data["notes"],
        )
        return record

    return form_page(
        request,
        form,
        template="workforce/supervision.html",
        save=save,
        then=_staff_url,
        success="The supervision is recorded.",
        context={"staff": record, "back_url": _staff_url(record)},
    )


@require_http_methods(["GET", "POST"])
def asye_review(request: AuthenticatedRequest, review_id: uuid.UUID) -> HttpResponse:
    review = selectors.review_for(user=request.user, review_id=review_id)
    form = AsyeReviewForm(posted(request), review=review)

    def save(data: dict[str, Any]) -> AsyeReview:
        return services.asye_review_record(actor=request.user, review=review, **data)

    return form_page(
        request,
        form,
        template="workforce/asye_review.html",
        save=save,
        then=lambda r: _staff_url(r.staff),
        success=lambda r: f"The {r.get_kind_display().lower()} is recorded.",
        context={"review": review, "back_url": _staff_url(review.staff)},
    )


@require_POST
def payment_pay(request: AuthenticatedRequest, payment_id: uuid.UUID) -> HttpResponse:
    payment = selectors.payment_for(user=request.user, payment_id=payment_id)

    def save(_data: dict[str, Any]) -> IncentivePayment:
        return services.incentive_payment_pay(
            actor=request.user, payment=payment, paid_on=timezone.localdate()
        )

    back = request.POST.get("back") or reverse("workforce:overview")
    if not back.startswith("/workforce/"):
        back = reverse("workforce:overview")
    return form_action(
        request,
        None,
        save=save,
        then=back,
        back=back,
        success=lambda p: (
            f"Instalment {p.number} to {p.award.staff.name} ({pounds(p.amount_pence)}) is marked paid."
        ),
    )


@require_http_methods(["GET", "POST"])
def recruitment(request: AuthenticatedRequest, recruitment_id: uuid.UUID) -> HttpResponse:
    campaign = selectors.recruitment_for(user=request.user, recruitment_id=recruitment_id)
    form = RecruitmentForm(posted(request))

    def save(data: dict[str, Any]) -> Recruitment:
        checks = {name: data.pop(name) for name in services.CHECKS}
        return services.recruitment_update(actor=request.user, recruitment=campaign, checks=checks, **data)

    return form_page(
        request,
        form,
        template="workforce/recruitment.html",
        save=save,
        then=reverse("workforce:overview"),
        success="The pipeline is updated.",
        context={
            "recruitment": campaign,
            "steps": list(campaign.steps.all()),
            "back_url": reverse("workforce:overview"),
        },
    )


def _may_manage(request: AuthenticatedRequest) -> None:
    if not selectors.may(request.user, WorkforceAction.MANAGE):
        raise PermissionDenied("Only the workforce lead and HR change posts and vacancies")


@require_http_methods(["GET", "POST"])
def post_new(request: AuthenticatedRequest) -> HttpResponse:
    _may_manage(request)
    form = PostForm(posted(request))

    def save(data: dict[str, Any]) -> Post:
        return services.post_create(
            actor=request.user,
            team=data["team"],
            title=data["title"],
            grade=data["grade"],
            funded_fte=data["funded_fte"],
            case_holding=data["case_holding"] == "yes",
            hard_to_fill=data["hard_to_fill"] == "yes",
        )

    return form_page(
        request,
        form,
        template="workforce/post_new.html",
        save=save,
        then=reverse("workforce:overview"),
        success=lambda p: f"{p.title} in {p.team.name} ({p.funded_fte} FTE) is added.",
        context={"back_url": reverse("workforce:overview")},
    )


@require_http_methods(["GET", "POST"])
def vacancy_new(request: AuthenticatedRequest) -> HttpResponse:
    _may_manage(request)
    form = VacancyOpenForm(posted(request))
    return form_page(
        request,
        form,
        template="workforce/vacancy_new.html",
        save=lambda data: services.vacancy_open(actor=request.user, **data),
        then=reverse("workforce:overview"),
        success=lambda v: f"The vacancy in {v.post} is open.",
        context={"back_url": reverse("workforce:overview")},
    )


@require_http_methods(["GET", "POST"])
def vacancy_cover(request: AuthenticatedRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    vacancy = selectors.vacancy_for(user=request.user, vacancy_id=vacancy_id)
    initial = {"cover": vacancy.cover, "covered_by": vacancy.covered_by_id}
    form = VacancyCoverForm(posted(request), initial=initial)

    def save(data: dict[str, Any]) -> Vacancy:
        return services.vacancy_cover(actor=request.user, vacancy=vacancy, **data)

    return form_page(
        request,
        form,
        template="workforce/vacancy_cover.html",
        save=save,
        then=reverse("workforce:overview"),
        success=lambda v: f"The cover for the vacancy in {v.post} is recorded.",
        context={"vacancy": vacancy, "back_url": reverse("workforce:overview")},
    )


@require_http_methods(["GET", "POST"])
def vacancy_close(request: AuthenticatedRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    vacancy = selectors.vacancy_for(user=request.user, vacancy_id=vacancy_id)
    form = VacancyCloseForm(posted(request))

    def save(data: dict[str, Any]) -> Vacancy:
        return services.vacancy_close(actor=request.user, vacancy=vacancy, **data)

    return form_page(
        request,
        form,
        template="workforce/vacancy_close.html",
        save=save,
        then=reverse("workforce:overview"),
        success=lambda v: f"The vacancy in {v.post} is closed.",
        context={"vacancy": vacancy, "back_url": reverse("workforce:overview")},
    )


@require_http_methods(["GET", "POST"])
def recruitment_new(request: AuthenticatedRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    vacancy = selectors.vacancy_for(user=request.user, vacancy_id=vacancy_id)
    form = RecruitmentStartForm(posted(request))

    def save(data: dict[str, Any]) -> Recruitment:
        return services.recruitment_start(actor=request.user, vacancy=vacancy, **data)

    return form_page(
        request,
        form,
        template="workforce/recruitment_new.html",
        save=save,
        then=lambda r: reverse("workforce:recruitment", args=[r.pk]),
        success="Recruitment has started: the post is advertised.",
        context={"vacancy": vacancy, "back_url": reverse("workforce:overview")},
    )


@require_http_methods(["GET", "POST"])
def incentive_scheme_new(request: AuthenticatedRequest) -> HttpResponse:
    _may_manage(request)
    form = IncentiveSchemeForm(posted(request))

    def save(data: dict[str, Any]) -> IncentiveScheme:
        return services.incentive_scheme_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        template="workforce/incentive_scheme_new.html",
        save=save,
        then=reverse("workforce:overview"),
        success=lambda s: f"{s.name} ({pounds(s.amount_pence)}) is set up.",
        context={"back_url": reverse("workforce:overview")},
    )


@require_http_methods(["GET", "POST"])
def incentive_award_new(request: AuthenticatedRequest, staff_id: uuid.UUID) -> HttpResponse:
    record = selectors.staff_for(user=request.user, staff_id=staff_id, action=WorkforceAction.MANAGE)
    form = IncentiveAwardForm(posted(request), initial={"starts_on": record.start_date})

    def save(data: dict[str, Any]) -> IncentiveAward:
        return services.incentive_award(actor=request.user, staff=record, **data)

    return form_page(
        request,
        form,
        template="workforce/incentive_award.html",
        save=save,
        then=lambda a: _staff_url(a.staff),
        success=lambda a: f"{a.scheme.name} is awarded to {a.staff.name} and its instalments are scheduled.",
        context={"staff": record, "back_url": _staff_url(record)},
    )


@require_http_methods(["GET", "POST"])
def absence_new(request: AuthenticatedRequest, staff_id: uuid.UUID) -> HttpResponse:
    record = selectors.staff_for(user=request.user, staff_id=staff_id, action=WorkforceAction.MANAGE)
    form = AbsenceForm(posted(request))

    def save(data: dict[str, Any]) -> Absence:
        return services.absence_record(actor=request.user, staff=record, **data)

    return form_page(
        request,
        form,
        template="workforce/absence.html",
        save=save,
        then=lambda a: _staff_url(a.staff),
        success=lambda a: f"{a.staff.name}'s absence is recorded.",
        context={"staff": record, "back_url": _staff_url(record)},
    )


@require_http_methods(["GET", "POST"])
def progression_decide(request: AuthenticatedRequest, application_id: uuid.UUID) -> HttpResponse:
    application = selectors.application_for(user=request.user, application_id=application_id)
    form = ProgressionDecisionForm(posted(request))

    def save(data: dict[str, Any]) -> ProgressionApplication:
        return services.progression_decide(actor=request.user, application=application, **data)

    return form_page(
        request,
        form,
        template="workforce/progression_decide.html",
        save=save,
        then=lambda a: _staff_url(a.staff),
        success=lambda a: (
            f"The panel's decision on {a.staff.name}'s application is recorded: "
            f"{a.get_decision_display().lower()}."
        ),
        context={
            "application": application,
            "staff": application.staff,
            "back_url": _staff_url(application.staff),
        },
    )


@require_http_methods(["GET", "POST"])
def progression_apply(request: AuthenticatedRequest, staff_id: uuid.UUID) -> HttpResponse:
    record = selectors.applicant_for(user=request.user, staff_id=staff_id)
    own = record.user_id == request.user.pk
    step = selectors.next_step(record)
    back = reverse("workforce:my_record") if own else _staff_url(record)
    form = ProgressionApplicationForm(
        posted(request),
        grades=[(c.grade, c.get_grade_display()) for c in selectors.career_path()],
        criteria=step.items() if step is not None else [],
        initial={"to_grade": step.grade if step is not None else ""},
    )

    def save(data: dict[str, Any]) -> ProgressionApplication:
        return services.progression_apply(
            actor=request.user, staff=record, submitted_on=timezone.localdate(), **data
        )

    return form_page(
        request,
        form,
        template="workforce/progression_apply.html",
        save=save,
        then=back,
        success=lambda a: (
            f"{'Your' if own else possessive(a.staff.name)} application for "
            f"{a.get_to_grade_display().lower()} is sent: it waits for the progression panel."
        ),
        context={"staff": record, "step": step, "own": own, "back_url": back},
    )


@require_http_methods(["GET", "POST"])
def repayment_new(request: AuthenticatedRequest, award_id: uuid.UUID) -> HttpResponse:
    award = selectors.award_for(user=request.user, award_id=award_id)
    form = RepaymentForm(posted(request))

    def save(data: dict[str, Any]) -> IncentiveRepayment:
        if data["kind"] == RepaymentKind.WAIVED:
            return services.incentive_repayment_waive(
                actor=request.user, award=award, on=data["on"], reason=data["reason"]
            )
        return services.incentive_repayment_record(
            actor=request.user, award=award, amount_pence=data["amount_pence"], on=data["on"]
        )

    def success(repayment: IncentiveRepayment) -> str:
        left = repayment.award.outstanding_pence()
        done = "nothing is outstanding" if left == 0 else f"{pounds(left)} is still outstanding"
        if repayment.kind == RepaymentKind.WAIVED:
            return f"{pounds(repayment.amount_pence)} from {award.staff.name} is waived: {done}."
        return f"{pounds(repayment.amount_pence)} repaid by {award.staff.name} is recorded: {done}."

    return form_page(
        request,
        form,
        template="workforce/repayment.html",
        save=save,
        then=lambda r: _staff_url(award.staff),
        success=success,
        context={
            "award": award,
            "staff": award.staff,
            "outstanding": award.outstanding_pence(),
            "pounds": pounds,
            "back_url": _staff_url(award.staff),
        },
    )


@require_GET
def cohorts(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.may(request.user, WorkforceAction.VIEW_TEAM):
        raise PermissionDenied("You cannot see ASYE cohorts")
    teams = selectors.teams_for(request.user, WorkforceAction.VIEW_TEAM)
    rows = []
    for cohort in AsyeCohort.objects.all():
        members = list(
            cohort.members.filter(team__in=teams).select_related("team").prefetch_related("asye_reviews")
        )
        if members:
            rows.append((cohort, members))
    return render(request, "workforce/cohorts.html", {"cohorts": rows, "today": timezone.localdate()})


@require_GET
def census_download(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.may_see_pay(request.user):
        raise PermissionDenied("Only the workforce lead and HR download the workforce census")
    on = census.reference_date(timezone.localdate())
    response = HttpResponse(census.census_csv(on=on), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workforce-census-{on:%Y-%m-%d}.csv"'
    return response
