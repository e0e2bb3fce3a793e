from django.urls import path

from safeguard.accounts import views

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
]
