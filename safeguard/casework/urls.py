from django.urls import path

from safeguard.casework.views import assessments, clocks, enquiries, episodes, plans, recording

app_name = "casework"

urlpatterns = [
    path("clocks/", clocks.clocks, name="clocks"),
    path("episodes/<uuid:episode_id>/", episodes.episode_detail, name="episode_detail"),
    path("episodes/<uuid:episode_id>/allocate/", episodes.allocate, name="allocate"),
    path("episodes/<uuid:episode_id>/send/", episodes.send_to_team, name="send_to_team"),
    path("episodes/<uuid:episode_id>/transfer/", episodes.transfer, name="transfer"),
    path("episodes/<uuid:episode_id>/assessment/", assessments.assessment_start, name="assessment_start"),
    path(
        "episodes/<uuid:episode_id>/strategy-discussion/",
        enquiries.strategy_discussion,
        name="strategy_discussion",
    ),
    path("episodes/<uuid:episode_id>/close/", episodes.close, name="close"),
    path("episodes/<uuid:episode_id>/cin-plan/", plans.cin_plan, name="cin_plan"),
    path("episodes/<uuid:episode_id>/cin-plan/review/", plans.cin_plan_review, name="cin_plan_review"),
    path("assessments/<uuid:assessment_id>/", assessments.assessment, name="assessment"),
    path(
        "assessments/<uuid:assessment_id>/details/", assessments.assessment_details, name="assessment_details"
    ),
    path("assessments/<uuid:assessment_id>/submit/", assessments.assessment_submit, name="assessment_submit"),
    path(
        "assessments/<uuid:assessment_id>/authorise/",
        assessments.assessment_authorise,
        name="assessment_authorise",
    ),
    path(
        "assessments/<uuid:assessment_id>/sections/<slug:key>/",
        assessments.assessment_section,
        name="assessment_section",
    ),
    path(
        "assessments/<uuid:assessment_id>/sections/<slug:key>/autosave/",
        assessments.assessment_autosave,
        name="assessment_autosave",
    ),
    path(
        "strategy-discussions/<uuid:discussion_id>/record/",
        enquiries.strategy_record,
        name="strategy_record",
    ),
    path("section-47/<uuid:enquiry_id>/outcome/", enquiries.section_47_outcome, name="section_47_outcome"),
    path("episodes/<uuid:episode_id>/visits/new/", recording.visit_new, name="visit_new"),
    path("episodes/<uuid:episode_id>/notes/new/", recording.note_new, name="note_new"),
    path("children/<uuid:child_id>/chronology/", recording.chronology, name="chronology"),
    path("children/<uuid:child_id>/chronology/new/", recording.chronology_new, name="chronology_new"),
    path("children/<uuid:child_id>/chronology.pdf", recording.chronology_pdf, name="chronology_pdf"),
    path(
        "assessments/<uuid:assessment_id>/assessment.pdf", assessments.assessment_pdf, name="assessment_pdf"
    ),
]
