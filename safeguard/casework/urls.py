from django.urls import path

from safeguard.casework import views

app_name = "casework"

urlpatterns = [
    path("clocks/", views.clocks, name="clocks"),
    path("episodes/<uuid:episode_id>/", views.episode_detail, name="episode_detail"),
    path("episodes/<uuid:episode_id>/allocate/", views.allocate, name="allocate"),
    path("episodes/<uuid:episode_id>/send/", views.send_to_team, name="send_to_team"),
    path("episodes/<uuid:episode_id>/transfer/", views.transfer, name="transfer"),
    path("episodes/<uuid:episode_id>/assessment/", views.assessment_start, name="assessment_start"),
    path(
        "episodes/<uuid:episode_id>/strategy-discussion/",
        views.strategy_discussion,
        name="strategy_discussion",
    ),
    path("episodes/<uuid:episode_id>/close/", views.close, name="close"),
    path("episodes/<uuid:episode_id>/cin-plan/", views.cin_plan, name="cin_plan"),
    path("episodes/<uuid:episode_id>/cin-plan/review/", views.cin_plan_review, name="cin_plan_review"),
    path("assessments/<uuid:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<uuid:assessment_id>/details/", views.assessment_details, name="assessment_details"),
    path("assessments/<uuid:assessment_id>/submit/", views.assessment_submit, name="assessment_submit"),
    path(
        "assessments/<uuid:assessment_id>/authorise/", views.assessment_authorise, name="assessment_authorise"
    ),
    path(
        "assessments/<uuid:assessment_id>/sections/<slug:key>/",
        views.assessment_section,
        name="assessment_section",
    ),
    path(
        "assessments/<uuid:assessment_id>/sections/<slug:key>/autosave/",
        views.assessment_autosave,
        name="assessment_autosave",
    ),
    path(
        "strategy-discussions/<uuid:discussion_id>/record/",
        views.strategy_record,
        name="strategy_record",
    ),
    path("section-47/<uuid:enquiry_id>/outcome/", views.section_47_outcome, name="section_47_outcome"),
    path("episodes/<uuid:episode_id>/visits/new/", views.visit_new, name="visit_new"),
    path("episodes/<uuid:episode_id>/notes/new/", views.note_new, name="note_new"),
    path("children/<uuid:child_id>/chronology/", views.chronology, name="chronology"),
    path("children/<uuid:child_id>/chronology/new/", views.chronology_new, name="chronology_new"),
    path("children/<uuid:child_id>/chronology.pdf", views.chronology_pdf, name="chronology_pdf"),
    path("assessments/<uuid:assessment_id>/assessment.pdf", views.assessment_pdf, name="assessment_pdf"),
]
