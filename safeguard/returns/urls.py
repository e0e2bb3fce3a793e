from django.urls import path

from safeguard.returns import views

app_name = "returns"

urlpatterns = [
    path("cin-census/report/", views.cin_census_report, name="cin_census_report"),
]
