from django.urls import URLPattern, URLResolver, path

from safeguard.workforce import views

app_name = "workforce"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("census.csv", views.census_download, name="census"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("me/", views.my_record, name="my_record"),
    path("teams/", views.teams, name="teams"),
    path("teams/<uuid:team_id>/", views.team, name="team"),
    path("staff/new/", views.staff_new, name="staff_new"),
    path("staff/<uuid:staff_id>/", views.staff, name="staff"),
    path("staff/<uuid:staff_id>/leave/", views.staff_leave, name="staff_leave"),
    path("staff/<uuid:staff_id>/supervision/", views.supervision_new, name="supervision_new"),
    path("asye-reviews/<uuid:review_id>/", views.asye_review, name="asye_review"),
    path("payments/<uuid:payment_id>/pay/", views.payment_pay, name="payment_pay"),
    path("posts/new/", views.post_new, name="post_new"),
    path("vacancies/new/", views.vacancy_new, name="vacancy_new"),
    path("vacancies/<uuid:vacancy_id>/cover/", views.vacancy_cover, name="vacancy_cover"),
    path("vacancies/<uuid:vacancy_id>/close/", views.vacancy_close, name="vacancy_close"),
    path("vacancies/<uuid:vacancy_id>/recruit/", views.recruitment_new, name="recruitment_new"),
    path("incentives/new/", views.incentive_scheme_new, name="incentive_scheme_new"),
    path("staff/<uuid:staff_id>/incentive/", views.incentive_award_new, name="incentive_award_new"),
    path("staff/<uuid:staff_id>/absence/", views.absence_new, name="absence_new"),
    path("staff/<uuid:staff_id>/apply/", views.progression_apply, name="progression_apply"),
    path("awards/<uuid:award_id>/repayment/", views.repayment_new, name="repayment_new"),
    path("applications/<uuid:application_id>/decide/", views.progression_decide, name="progression_decide"),
    path("recruitment/<uuid:recruitment_id>/", views.recruitment, name="recruitment"),
]
