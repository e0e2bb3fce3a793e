"""The workforce pages as each role: who sees what, and the forms' errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Grade
from safeguard.accounts.tests.factories import UserFactory
from safeguard.home.worklist import work_items_for
from safeguard.workforce import services
from safeguard.workforce.models import (
    CoverKind,
    GradeCriteria,
    IncentiveScheme,
    PanelDecision,
    Post,
    RecruitmentStage,
    StaffRecord,
    Supervision,
    Vacancy,
)
from safeguard.workforce.tests.scenario import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def test_the_lead_sees_vacancies_cover_pipeline_incentives_and_repayable(client, world):
    client.force_login(world.lead)
    html = client.get(reverse("workforce:overview")).content.decode()
    assert "Hillside Assessment" in html
    assert "Agency worker: Dev Agencyworker (£1,725.00 a week)" in html
    assert "Advertised for 50 days" in html and "Stalling" in html
    assert "Senior practitioner golden hello, instalment 1" in html
    # Pro rata: £5,000 paid, 400 - 10 days served is 12 whole months of 24: half repayable.
    repayable = world.leaver.awards.get().repayable_pence
    assert repayable is not None and 0 < repayable < 500_000
    assert "Sam Leaver" in html and f"£{repayable // 100:,}.{repayable % 100:02d}" in html


@pytest.mark.parametrize("role", ["team_manager", "social_worker", "director"])
def test_only_pay_roles_reach_the_overview(client, world, role):
    user = {"team_manager": world.manager, "social_worker": world.worker}.get(role) or UserFactory(role=role)
    client.force_login(user)
    assert client.get(reverse("workforce:overview")).status_code == 403
    assert client.get(reverse("workforce:census")).status_code == 403


def test_a_team_manager_sees_their_team_but_no_pay_and_not_other_teams(client, world):
    client.force_login(world.manager)
    page = client.get(reverse("workforce:team", args=[world.worker_record.team_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Priya Nolan" in html and "September cohort" in html and "Protected caseload now" in html
    assert "£" not in html
    assert client.get(reverse("workforce:team", args=[world.leaver.team_id])).status_code == 404
    agency_page = client.get(reverse("workforce:staff", args=[world.agency.pk])).content.decode()
    assert "Dev Agencyworker" in agency_page and "Agency cost" not in agency_page and "£" not in agency_page
    assert client.get(reverse("workforce:staff", args=[world.leaver.pk])).status_code == 404


def test_hr_and_the_lead_see_pay_on_a_record(client, world):
    for user in (world.hr, world.lead):
        client.force_login(user)
        html = client.get(reverse("workforce:staff", args=[world.leaver.pk])).content.decode()
        assert "Repayable on leaving" in html and "Resigned: to agency work" in html


def test_a_worker_sees_their_own_record_and_nobody_elses(client, world):
    client.force_login(world.worker)
    html = client.get(reverse("workforce:my_record")).content.decode()
    assert "Priya Nolan" in html and "3-month review" in html
    assert client.get(reverse("workforce:staff", args=[world.worker_record.pk])).status_code == 200
    assert client.get(reverse("workforce:staff", args=[world.agency.pk])).status_code == 404
    assert client.get(reverse("workforce:team", args=[world.worker_record.team_id])).status_code == 403
    assert client.get(reverse("workforce:supervision_new", args=[world.worker_record.pk])).status_code == 403


def test_supervision_overdue_and_reviews_due_are_on_the_managers_work_list(client, world):
    today = timezone.localdate()
    items = work_items_for(user=world.manager, today=today)
    groups = {(i.group, i.title) for i in items}
    assert ("Supervision overdue", "Supervision for Priya Nolan") in groups
    assert any(g == "ASYE reviews due" and "Priya Nolan" in t for g, t in groups)
    assert not work_items_for(user=world.other_manager, today=today)
    client.force_login(world.manager)
    response = client.post(
        reverse("workforce:supervision_new", args=[world.worker_record.pk]),
        {
            "held_on-day": today.day,
            "held_on-month": today.month,
            "held_on-year": today.year,
            "kind": "asye",
            "case_decisions_recorded": "yes",
        },
    )
    assert response.status_code == 302
    assert Supervision.objects.get().supervisor == world.manager
    assert ("Supervision overdue", "Supervision for Priya Nolan") not in {
        (i.group, i.title) for i in work_items_for(user=world.manager, today=today)
    }


def test_the_leads_work_list_has_payments_due_and_repayments(world):
    groups = {i.group for i in work_items_for(user=world.lead, today=timezone.localdate())}
    assert {"Incentive payments due this quarter", "Repayments to recover"} <= groups


def test_marking_an_instalment_paid(client, world):
    client.force_login(world.lead)
    response = client.post(reverse("workforce:payment_pay", args=[world.payment.pk]))
    assert response.status_code == 302
    world.payment.refresh_from_db()
    assert world.payment.paid_on == timezone.localdate()
    client.force_login(world.manager)
    assert client.post(reverse("workforce:payment_pay", args=[world.payment.pk])).status_code == 404


def test_a_wrong_registration_number_is_shown_on_its_field_with_everything_typed_kept(client, world):
    client.force_login(world.hr)
    response = client.post(
        reverse("workforce:staff_new"),
        {
            "first_name": "Ines",
            "last_name": "Whitlock",
            "team": str(world.worker_record.team_id),
            "kind": "employed",
            "fte": "0.8",
            "grade": "social_worker",
            "census_role": "case_holder",
            "social_work_england_number": "12345",
            "start_date-day": "1",
            "start_date-month": "4",
            "start_date-year": "2025",
            "end_date-day": "1",
            "end_date-month": "3",
            "end_date-year": "2025",
            "origin": "other_la",
            "entry_route": "university",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "SW and then up to 7 digits" in html
    assert 'value="Whitlock"' in html and 'value="12345"' in html
    assert not StaffRecord.objects.filter(last_name="Whitlock").exists()


def test_leaving_before_starting_is_refused_on_the_page(client, world):
    client.force_login(world.lead)
    url = reverse("workforce:staff_leave", args=[world.worker_record.pk])
    response = client.post(
        url, {"last_day-day": "1", "last_day-month": "1", "last_day-year": "2000", "reason": "retired"}
    )
    assert "on or after the start date" in response.content.decode()
    world.worker_record.refresh_from_db()
    assert world.worker_record.end_date is None
    client.force_login(world.manager)
    assert client.get(url).status_code == 403


def test_a_record_shows_the_next_step_on_the_career_path_and_the_overview_a_trend(client, world):
    criteria = GradeCriteria.objects.get(grade=Grade.SOCIAL_WORKER).criteria
    client.force_login(world.worker)
    html = client.get(reverse("workforce:my_record")).content.decode()
    assert f"Next on the career path: <strong>Social worker</strong>. {criteria}" in html
    client.force_login(world.lead)
    html = client.get(reverse("workforce:overview")).content.decode()
    assert "Monthly trend over the last year" in html and html.count('<tr class="govuk-table__row">') > 12


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def _open_vacancy(world: World) -> Vacancy:
    vacancy = Vacancy.objects.get(closed_on__isnull=True)
    assert vacancy.covered_by == world.agency
    return vacancy


def test_the_lead_adds_a_funded_post_from_the_overview(client, world):
    client.force_login(world.lead)
    assert reverse("workforce:post_new") in client.get(reverse("workforce:overview")).content.decode()
    response = client.post(
        reverse("workforce:post_new"),
        {
            "team": str(world.worker_record.team_id),
            "title": "Senior practitioner",
            "grade": Grade.SENIOR,
            "funded_fte": "2.5",
            "case_holding": "yes",
            "hard_to_fill": "no",
        },
        follow=True,
    )
    post = Post.objects.get(title="Senior practitioner")
    assert post.funded_fte == Decimal("2.5") and post.case_holding and not post.hard_to_fill
    assert post.team_id == world.worker_record.team_id
    assert response.redirect_chain[-1][0] == reverse("workforce:overview")
    assert "Senior practitioner in Hillside Assessment (2.5 FTE) is added." in response.content.decode()


def test_a_post_with_no_fte_is_refused_with_everything_typed_kept(client, world):
    client.force_login(world.hr)
    data = {
        "team": str(world.worker_record.team_id),
        "title": "Family practitioner",
        "grade": Grade.SOCIAL_WORKER,
        "funded_fte": "0",
        "case_holding": "no",
        "hard_to_fill": "yes",
    }
    response = client.post(reverse("workforce:post_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a funded FTE greater than 0" in html and "govuk-error-summary" in html
    assert 'value="Family practitioner"' in html
    assert not Post.objects.filter(title="Family practitioner").exists()
    response = client.post(reverse("workforce:post_new"), {**data, "funded_fte": "two"})
    assert "Enter the funded FTE as a number, like 2.5" in response.content.decode()


@pytest.mark.parametrize("who", ["manager", "worker"])
def test_only_the_lead_and_hr_change_posts_and_vacancies(client, world, who):
    client.force_login(getattr(world, who))
    vacancy = _open_vacancy(world)
    assert client.get(reverse("workforce:post_new")).status_code == 403
    assert client.get(reverse("workforce:vacancy_new")).status_code == 403
    for name in ("workforce:vacancy_cover", "workforce:vacancy_close", "workforce:recruitment_new"):
        assert client.get(reverse(name, args=[vacancy.pk])).status_code == 404
        assert client.post(reverse(name, args=[vacancy.pk]), {"cover": "unfilled"}).status_code == 404
    vacancy.refresh_from_db()
    assert vacancy.cover == CoverKind.AGENCY and vacancy.closed_on is None


def test_the_lead_opens_a_vacancy_and_more_than_is_free_is_refused(client, world):
    client.force_login(world.lead)
    post = world.worker_record.post
    assert post is not None
    today = timezone.localdate()
    # 3 FTE funded, Priya in 1 and 1 already vacant: 1 is free.
    data = {"post": str(post.pk), "fte": "1.5", "cover": "unfilled", **_date("opened_on", today)}
    response = client.post(reverse("workforce:vacancy_new"), data)
    html = response.content.decode()
    assert "only 1.00 FTE of it is free" in html and 'value="1.5"' in html
    assert post.vacancies.count() == 1
    response = client.post(reverse("workforce:vacancy_new"), {**data, "fte": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workforce:overview")
    assert "The vacancy in Social worker (Hillside Assessment) is open." in response.content.decode()
    opened = post.vacancies.get(opened_on=today)
    assert opened.fte == Decimal("1") and opened.cover == CoverKind.UNFILLED


def test_the_lead_changes_a_vacancys_cover_and_a_non_agency_worker_is_not_agency_cover(client, world):
    client.force_login(world.lead)
    vacancy = _open_vacancy(world)
    url = reverse("workforce:vacancy_cover", args=[vacancy.pk])
    assert url in client.get(reverse("workforce:overview")).content.decode()
    response = client.post(url, {"cover": "agency", "covered_by": str(world.worker_record.pk)})
    assert "Priya Nolan is not an agency worker" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.covered_by == world.agency
    response = client.post(
        url, {"cover": "acting_up", "covered_by": str(world.worker_record.pk)}, follow=True
    )
    assert "The cover for the vacancy in Social worker (Hillside Assessment) is recorded." in (
        response.content.decode()
    )
    vacancy.refresh_from_db()
    assert vacancy.cover == CoverKind.ACTING_UP and vacancy.covered_by == world.worker_record


def test_the_lead_closes_a_vacancy_not_before_it_opened(client, world):
    client.force_login(world.hr)
    vacancy = _open_vacancy(world)
    url = reverse("workforce:vacancy_close", args=[vacancy.pk])
    response = client.post(url, _date("closed_on", vacancy.opened_on - dt.timedelta(days=1)))
    assert "The vacancy cannot close before it opened" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.closed_on is None
    response = client.post(url, _date("closed_on", timezone.localdate()), follow=True)
    assert "The vacancy in Social worker (Hillside Assessment) is closed." in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.closed_on == timezone.localdate()
    assert "There are no open vacancies." in client.get(reverse("workforce:overview")).content.decode()


def test_the_lead_starts_recruitment_once_for_a_vacancy(client, world):
    client.force_login(world.lead)
    vacancy = _open_vacancy(world)
    url = reverse("workforce:recruitment_new", args=[vacancy.pk])
    today = timezone.localdate()
    response = client.post(url, _date("advertised_on", today))
    assert "This vacancy is already being recruited to" in response.content.decode()
    assert vacancy.recruitments.count() == 1
    vacancy.recruitments.update(stage=RecruitmentStage.WITHDRAWN)
    assert url in client.get(reverse("workforce:overview")).content.decode()
    response = client.post(url, _date("advertised_on", today), follow=True)
    started = vacancy.recruitments.get(stage=RecruitmentStage.ADVERTISED)
    assert response.redirect_chain[-1][0] == reverse("workforce:recruitment", args=[started.pk])
    assert "Recruitment has started" in response.content.decode()
    assert started.advertised_on == today and started.steps.count() == 1


def _scheme_data(**changes: str) -> dict[str, str]:
    return {
        "name": "Team manager retention 2026",
        "kind": "retention",
        "grade": Grade.TEAM_MANAGER,
        "amount_pence": "3000.50",
        "instalments": "1500.25, 0\n£1,500.25, 12",
        "clawback_months": "24",
        "repayment_rule": "pro_rata",
        **changes,
    }


def test_the_lead_sets_up_a_scheme_in_pounds_stored_in_pence(client, world):
    client.force_login(world.lead)
    url = reverse("workforce:incentive_scheme_new")
    assert url in client.get(reverse("workforce:overview")).content.decode()
    response = client.post(url, _scheme_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workforce:overview")
    assert "Team manager retention 2026 (£3,000.50) is set up." in response.content.decode()
    scheme = IncentiveScheme.objects.get(name="Team manager retention 2026")
    assert scheme.amount_pence == 300_050 and scheme.clawback_months == 24
    assert [(i.number, i.amount_pence, i.due_after_months) for i in scheme.instalments.all()] == [
        (1, 150_025, 0),
        (2, 150_025, 12),
    ]


def test_a_schedule_that_does_not_add_up_is_refused_with_everything_typed_kept(client, world):
    client.force_login(world.hr)
    url = reverse("workforce:incentive_scheme_new")
    response = client.post(url, _scheme_data(instalments="1500, 0\n1000, 12"))
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "The instalments add up to £2,500.00, not the scheme&#39;s £3,000.50" in html
    assert 'value="Team manager retention 2026"' in html and "1000, 12" in html
    response = client.post(url, _scheme_data(instalments="half now, half later"))
    assert "Write instalment 1 as the amount in pounds, a comma and the months" in response.content.decode()
    response = client.post(url, _scheme_data(amount_pence="lots"))
    assert "Enter the amount in pounds as a number, like 5000" in response.content.decode()
    assert not IncentiveScheme.objects.filter(name="Team manager retention 2026").exists()


def test_the_lead_awards_a_scheme_to_a_person_once(client, world):
    client.force_login(world.lead)
    scheme = IncentiveScheme.objects.get(name="Team manager golden hello")
    url = reverse("workforce:incentive_award_new", args=[world.worker_record.pk])
    assert url in client.get(reverse("workforce:staff", args=[world.worker_record.pk])).content.decode()
    starts = world.worker_record.start_date
    response = client.post(url, {"scheme": str(scheme.pk), **_date("starts_on", starts)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workforce:staff", args=[world.worker_record.pk])
    html = response.content.decode()
    assert "Team manager golden hello is awarded to Priya Nolan" in html
    award = world.worker_record.awards.get(scheme=scheme)
    assert [p.amount_pence for p in award.payments.all()] == [250_000, 250_000]
    response = client.post(url, {"scheme": str(scheme.pk), **_date("starts_on", starts)})
    assert "Priya Nolan already has Team manager golden hello" in response.content.decode()
    assert world.worker_record.awards.count() == 1


def test_a_team_manager_and_a_worker_cannot_set_up_or_award_incentives(client, world):
    scheme = IncentiveScheme.objects.get(name="Team manager golden hello")
    for user in (world.manager, world.worker):
        client.force_login(user)
        assert client.post(reverse("workforce:incentive_scheme_new"), _scheme_data()).status_code == 403
        url = reverse("workforce:incentive_award_new", args=[world.worker_record.pk])
        data = {"scheme": str(scheme.pk), **_date("starts_on", world.worker_record.start_date)}
        assert client.post(url, data).status_code == 403
    assert not world.worker_record.awards.exists()
    assert not IncentiveScheme.objects.filter(name="Team manager retention 2026").exists()


def test_hr_records_an_absence_and_an_end_before_the_start_is_refused(client, world):
    client.force_login(world.hr)
    url = reverse("workforce:absence_new", args=[world.worker_record.pk])
    assert url in client.get(reverse("workforce:staff", args=[world.worker_record.pk])).content.decode()
    today = timezone.localdate()
    data = {
        **_date("starts_on", today),
        **_date("ends_on", today - dt.timedelta(days=2)),
        "working_days_lost": "1.5",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert "The end date must be the same as or after the start date" in html and 'value="1.5"' in html
    assert not world.worker_record.absences.exists()
    data = {**_date("starts_on", today - dt.timedelta(days=3)), "working_days_lost": "2.5"}
    response = client.post(url, data, follow=True)
    assert "Priya Nolan&#39;s absence is recorded." in response.content.decode()
    absence = world.worker_record.absences.get()
    assert absence.ends_on is None and absence.working_days_lost == Decimal("2.5")


def test_the_lead_records_the_panels_decision_and_the_grade_changes(client, world):
    today = timezone.localdate()
    application = services.progression_apply(
        actor=world.lead,
        staff=world.worker_record,
        to_grade=Grade.SOCIAL_WORKER,
        submitted_on=today - dt.timedelta(days=5),
        evidence="Portfolio of practice",
        criteria_met=["Passed the ASYE"],
    )
    url = reverse("workforce:progression_decide", args=[application.pk])
    client.force_login(world.manager)
    assert client.get(url).status_code == 403
    client.force_login(world.other_manager)
    assert client.get(url).status_code == 404
    client.force_login(world.lead)
    assert url in client.get(reverse("workforce:staff", args=[world.worker_record.pk])).content.decode()
    page = client.get(url).content.decode()
    assert "<li>Passed the ASYE</li>" in page and "Portfolio of practice" in page
    data = {"decision": "approved", "panel": "Principal social worker and head of service"}
    response = client.post(url, {**data, **_date("decided_on", today - dt.timedelta(days=9))})
    html = response.content.decode()
    assert "The decision cannot be before the application" in html
    assert 'value="Principal social worker and head of service"' in html
    application.refresh_from_db()
    assert application.decision == PanelDecision.PENDING
    response = client.post(url, {**data, **_date("decided_on", today)}, follow=True)
    assert "application is recorded: approved." in response.content.decode()
    world.worker_record.refresh_from_db()
    assert world.worker_record.grade == Grade.SOCIAL_WORKER
    assert world.worker_record.grade_history.filter(grade=Grade.SOCIAL_WORKER, since=today).exists()


def test_a_team_manager_cannot_record_an_absence(client, world):
    client.force_login(world.manager)
    url = reverse("workforce:absence_new", args=[world.worker_record.pk])
    data = {**_date("starts_on", timezone.localdate()), "working_days_lost": "1"}
    assert client.post(url, data).status_code == 403
    client.force_login(world.worker)
    assert client.post(url, data).status_code == 403
    assert not world.worker_record.absences.exists()


# -- Progression applications.


def _application_data(**changes: object) -> dict[str, object]:
    return {
        "to_grade": Grade.SOCIAL_WORKER,
        "criteria_met": ["Passed the ASYE", "Holds a caseload of children in need"],
        "evidence": "ASYE final assessment report and three direct observations",
        **changes,
    }


def test_a_worker_applies_from_their_own_record_and_the_lead_sees_it_waiting(client, world):
    client.force_login(world.worker)
    url = reverse("workforce:progression_apply", args=[world.worker_record.pk])
    record = client.get(reverse("workforce:my_record")).content.decode()
    assert url in record and "Apply for social worker" in record
    page = client.get(url).content.decode()
    assert "Passed the ASYE" in page and "Reflects on practice in supervision" in page
    response = client.post(url, _application_data(criteria_met=[]))
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Select the criteria the evidence meets" in html
    assert "ASYE final assessment report and three direct observations" in html
    assert not world.worker_record.applications.exists()
    response = client.post(url, _application_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workforce:my_record")
    html = response.content.decode()
    assert "Your application for social worker is sent: it waits for the progression panel." in html
    assert url not in html  # one open application at a time
    application = world.worker_record.applications.get()
    assert application.criteria_met == ["Passed the ASYE", "Holds a caseload of children in need"]
    assert application.submitted_on == timezone.localdate()
    assert application.created_by == world.worker

    client.force_login(world.lead)
    overview = client.get(reverse("workforce:overview")).content.decode()
    assert "Progression applications waiting for a panel" in overview
    assert reverse("workforce:progression_decide", args=[application.pk]) in overview
    assert "2 criteria" in overview
    items = work_items_for(user=world.lead, today=timezone.localdate())
    assert ("Progression applications waiting for a panel", "Priya Nolan: social worker") in {
        (i.group, i.title) for i in items
    }


def test_an_application_for_a_grade_that_is_not_next_or_a_second_one_is_refused(client, world):
    client.force_login(world.worker)
    url = reverse("workforce:progression_apply", args=[world.worker_record.pk])
    response = client.post(url, _application_data(to_grade=Grade.SENIOR))
    html = response.content.decode()
    assert "Apply for the next grade on the career path, social worker" in html
    assert "ASYE final assessment report" in html
    assert not world.worker_record.applications.exists()
    assert client.post(url, _application_data()).status_code == 302
    response = client.post(url, _application_data())
    assert "Priya Nolan already has an application waiting for the panel" in response.content.decode()
    assert world.worker_record.applications.count() == 1


def test_the_lead_applies_for_someone_and_a_leaver_cannot_apply(client, world):
    client.force_login(world.hr)
    url = reverse("workforce:progression_apply", args=[world.worker_record.pk])
    assert url in client.get(reverse("workforce:staff", args=[world.worker_record.pk])).content.decode()
    response = client.post(url, _application_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workforce:staff", args=[world.worker_record.pk])
    assert "Priya Nolan&#39;s application for social worker is sent" in response.content.decode()
    assert world.worker_record.applications.get().created_by == world.hr
    leaver_url = reverse("workforce:progression_apply", args=[world.leaver.pk])
    assert leaver_url not in client.get(reverse("workforce:staff", args=[world.leaver.pk])).content.decode()
    assert "a leaver cannot apply" in client.get(leaver_url).content.decode()
    response = client.post(leaver_url, _application_data(to_grade=Grade.TEAM_MANAGER))
    assert "Sam Leaver left on" in response.content.decode()
    assert "a leaver cannot apply" in response.content.decode()
    assert not world.leaver.applications.exists()


def test_a_manager_cannot_apply_for_their_worker_and_a_worker_not_for_anyone_else(client, world):
    url = reverse("workforce:progression_apply", args=[world.worker_record.pk])
    client.force_login(world.manager)
    assert client.get(url).status_code == 403
    assert client.post(url, _application_data()).status_code == 403
    client.force_login(world.other_manager)
    assert client.get(url).status_code == 404
    client.force_login(world.worker)
    assert client.get(reverse("workforce:progression_apply", args=[world.agency.pk])).status_code == 404
    assert not world.worker_record.applications.exists()


# -- Repayments of incentives.


def _leavers_award(world: World):
    award = world.leaver.awards.select_related("scheme").get()
    assert award.repayable_pence and award.repayable_pence > 10_000
    return award


def test_the_lead_records_a_repayment_in_pounds_kept_in_pence(client, world):
    award = _leavers_award(world)
    owed = award.repayable_pence
    client.force_login(world.lead)
    url = reverse("workforce:repayment_new", args=[award.pk])
    assert url in client.get(reverse("workforce:overview")).content.decode()
    assert url in client.get(reverse("workforce:staff", args=[world.leaver.pk])).content.decode()
    last_day = world.leaver.end_date
    assert last_day is not None
    data = {"kind": "received", "amount_pence": "100.25", **_date("on", last_day)}
    too_much = f"{owed / 100 + 1:.2f}"
    response = client.post(url, {**data, "amount_pence": too_much})
    html = response.content.decode()
    assert f"Sam Leaver owes £{owed // 100:,}.{owed % 100:02d}: enter that amount or less" in html
    assert f'value="{too_much}"' in html
    response = client.post(url, {**data, **_date("on", last_day - dt.timedelta(days=1))})
    assert "on or after Sam Leaver&#39;s last day" in response.content.decode()
    response = client.post(url, {**data, "amount_pence": ""})
    assert "Enter the amount repaid in pounds" in response.content.decode()
    assert not award.repayments.exists()
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workforce:staff", args=[world.leaver.pk])
    left = owed - 10_025
    html = response.content.decode()
    assert (
        f"£100.25 repaid by Sam Leaver is recorded: £{left // 100:,}.{left % 100:02d} is still outstanding"
        in html
    )
    assert award.repayments.get().amount_pence == 10_025
    overview = client.get(reverse("workforce:overview")).content.decode()
    assert f"£{left // 100:,}.{left % 100:02d} still outstanding" in overview


def test_hr_waives_the_rest_with_a_reason_and_nobody_owes_any_more(client, world):
    award = _leavers_award(world)
    client.force_login(world.hr)
    url = reverse("workforce:repayment_new", args=[award.pk])
    data = {"kind": "waived", **_date("on", timezone.localdate())}
    response = client.post(url, data)
    assert "Enter why the repayment is waived" in response.content.decode()
    response = client.post(url, {**data, "reason": "Left on ill-health grounds"}, follow=True)
    assert "from Sam Leaver is waived: nothing is outstanding." in response.content.decode()
    award.refresh_from_db()
    assert award.outstanding_pence() == 0 and award.repaid_on == timezone.localdate()
    assert "Nobody owes a repayment." in client.get(reverse("workforce:overview")).content.decode()
    groups = {i.group for i in work_items_for(user=world.hr, today=timezone.localdate())}
    assert "Repayments to recover" not in groups
    assert url not in client.get(reverse("workforce:staff", args=[world.leaver.pk])).content.decode()


def test_managers_and_workers_cannot_record_repayments(client, world):
    award = _leavers_award(world)
    url = reverse("workforce:repayment_new", args=[award.pk])
    data = {"kind": "received", "amount_pence": "10", **_date("on", timezone.localdate())}
    client.force_login(world.other_manager)  # the leaver's own team: may see the record
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    for user in (world.manager, world.worker):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert not award.repayments.exists()
