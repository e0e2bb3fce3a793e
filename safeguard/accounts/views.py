from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeguard.accounts.forms import LoginForm
from safeguard.accounts.middleware import AuthenticatedRequest, public
from safeguard.accounts.selectors import teams_for_user

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
    )
)
logout = public(auth_views.LogoutView.as_view())


@require_GET
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/team_list.html", {"teams": teams_for_user(user=request.user)})
