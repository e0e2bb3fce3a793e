from django.urls import path

from safeguard.conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.diary, name="diary"),
    path("section-47/<uuid:enquiry_id>/propose/", views.propose, name="propose"),
    path("<uuid:conference_id>/", views.detail, name="detail"),
    path("<uuid:conference_id>/schedule/", views.schedule, name="schedule"),
    path("<uuid:conference_id>/record/", views.record, name="record"),
]
