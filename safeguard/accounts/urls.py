from django.urls import path

from safeguard.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.login, name="login"),
    path("sign-out/", views.logout, name="logout"),
    path("teams/", views.team_list, name="team_list"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("security-code/", views.mfa_verify_view, name="mfa_verify"),
    path("set-up-security-codes/", views.mfa_setup, name="mfa_setup"),
]
