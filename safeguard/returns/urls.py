from django.urls import path

from safeguard.returns import views

app_name = "returns"

urlpatterns = [
    path("cin-census/", views.cin_census_runs, name="cin_census_runs"),
    path("cin-census/runs/<uuid:run_id>/", views.cin_census_run, name="cin_census_run"),
    path("cin-census/runs/<uuid:run_id>/download/", views.cin_census_download, name="cin_census_download"),
    path("cin-census/report/", views.cin_census_report, name="cin_census_report"),
    path("children/<uuid:child_id>/census/", views.child_census, name="child_census"),
    path("episodes/<uuid:episode_id>/census/", views.episode_census, name="episode_census"),
]
