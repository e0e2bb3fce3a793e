from django.urls import path

from safeguard.conferences import external_views, plan_views, views

app_name = "conferences"

urlpatterns = [
    path("", views.diary, name="diary"),
    path("section-47/<uuid:enquiry_id>/propose/", views.propose, name="propose"),
    path("<uuid:conference_id>/", views.detail, name="detail"),
    path("<uuid:conference_id>/schedule/", views.schedule, name="schedule"),
    path("<uuid:conference_id>/record/", views.record, name="record"),
    path("<uuid:conference_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:conference_id>/letter-sent/", views.letter_sent, name="letter_sent"),
    path("<uuid:conference_id>/record-complete/", views.record_complete, name="record_complete"),
    # Invitations (staff) and the pages for people outside the council (a link and a code).
    path("<uuid:conference_id>/invite/", external_views.invite, name="invite"),
    path(
        "invitations/<uuid:invitation_id>/revoke/", external_views.invitation_revoke, name="invitation_revoke"
    ),
    path(
        "invitations/<uuid:invitation_id>/letter/", external_views.invitation_letter, name="invitation_letter"
    ),
    path(
        "invitations/<uuid:invitation_id>/interpreter-booked/",
        external_views.interpreter_booked,
        name="interpreter_booked",
    ),
    path(
        "questions/<uuid:question_id>/answered/", external_views.question_answered, name="question_answered"
    ),
    path("<uuid:conference_id>/child-views/", external_views.child_views, name="child_views"),
    path("child-views/<uuid:views_id>/seen/", external_views.child_views_seen, name="child_views_seen"),
    path("plans/<uuid:plan_id>/", plan_views.plan, name="plan"),
    path("plans/<uuid:plan_id>/plan.pdf", plan_views.plan_pdf, name="plan_pdf"),
    path("plans/<uuid:plan_id>/outcomes/new/", plan_views.outcome_new, name="plan_outcome_new"),
    path("plans/<uuid:plan_id>/core-group/", plan_views.core_group_new, name="core_group_new"),
    path("plans/<uuid:plan_id>/end/", plan_views.plan_end, name="plan_end"),
    path("link/", external_views.portal_link_problem, name="portal_link_problem"),
    path("link/<str:token>/", external_views.portal, name="portal"),
    path("link/<str:token>/report/", external_views.portal_report, name="portal_report"),
    path("link/<str:token>/family/", external_views.family, name="family"),
    path("link/<str:token>/feedback/", external_views.family_feedback, name="family_feedback"),
    path("link/<str:token>/plan.pdf", external_views.family_plan_pdf, name="family_plan_pdf"),
    path("link/<str:token>/my-views/", external_views.child_views_link, name="child_views_link"),
]
