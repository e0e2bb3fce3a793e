from django.urls import include, path

from safeguard.people import views

app_name = "people"

add_child_patterns = (
    [
        path("check-answers/", views.add_child_check, name="check"),
        path("done/", views.add_child_done, name="done"),
        path("start-again/", views.add_child_start_again, name="start_again"),
        path("<slug:slug>/", views.add_child_step, name="step"),
    ],
    "add_child",
)

urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("new/", include(add_child_patterns)),
    path("emergency-access/", views.break_glass, name="break_glass"),
    path("<uuid:child_id>/", views.child_detail, name="child_detail"),
    path("<uuid:child_id>/who-has-looked/", views.child_access_log, name="child_access_log"),
    path("<uuid:child_id>/seal/", views.child_seal, name="child_seal"),
]
