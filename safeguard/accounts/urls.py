from django.urls import path

from safeguard.accounts import manage_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.login, name="login"),
    path("sign-out/", views.logout, name="logout"),
    path("teams/", views.team_list, name="team_list"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("password/", views.password_change, name="password_change"),
    path("password/changed/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("security-code/", views.mfa_verify_view, name="mfa_verify"),
    path("set-up-security-codes/", views.mfa_setup, name="mfa_setup"),
    # The system administrator's pages (accounts.manage_views).
    path("manage/", manage_views.manage_home, name="manage"),
    path("manage/services/", manage_views.service_list, name="manage_service_list"),
    path("manage/services/new/", manage_views.service_new, name="manage_service_new"),
    path("manage/services/<uuid:service_id>/", manage_views.service_edit, name="manage_service_edit"),
    path("manage/teams/", manage_views.team_list, name="manage_team_list"),
    path("manage/teams/new/", manage_views.team_new, name="manage_team_new"),
    path("manage/teams/<uuid:team_id>/", manage_views.team_edit, name="manage_team_edit"),
    path("manage/accounts/", manage_views.account_list, name="manage_account_list"),
    path("manage/accounts/new/", manage_views.account_new, name="manage_account_new"),
    path("manage/accounts/<uuid:account_id>/", manage_views.account_detail, name="manage_account"),
    path("manage/accounts/<uuid:account_id>/role/", manage_views.account_role, name="manage_account_role"),
    path(
        "manage/accounts/<uuid:account_id>/deactivate/",
        manage_views.account_deactivate,
        name="manage_account_deactivate",
    ),
    path(
        "manage/accounts/<uuid:account_id>/reactivate/",
        manage_views.account_reactivate,
        name="manage_account_reactivate",
    ),
    path(
        "manage/accounts/<uuid:account_id>/security-codes/",
        manage_views.account_security_codes,
        name="manage_account_security_codes",
    ),
    path(
        "manage/accounts/<uuid:account_id>/invitation/",
        manage_views.account_invitation,
        name="manage_account_invitation",
    ),
]
