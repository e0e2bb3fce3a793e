from django.urls import path

from safeguard.records import views

app_name = "records"

urlpatterns = [
    path("subject-access/new/<uuid:child_id>/", views.subject_access_new, name="subject_access_new"),
    path("subject-access/<uuid:request_id>/", views.subject_access_detail, name="subject_access_detail"),
    path(
        "subject-access/<uuid:request_id>/release/",
        views.subject_access_release,
        name="subject_access_release",
    ),
    path("legal-hold/<uuid:child_id>/", views.legal_hold, name="legal_hold"),
    path("disposal/", views.disposal_review, name="disposal_review"),
    path("disposal/<uuid:child_id>/", views.disposal_decide, name="disposal_decide"),
    path("merge/<uuid:child_id>/", views.child_merge, name="child_merge"),
    path("audit-export/", views.audit_export, name="audit_export"),
]
