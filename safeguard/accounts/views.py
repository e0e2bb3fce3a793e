from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
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


@public
def locked_out(
    request: HttpRequest, credentials: object = None, *args: object, **kwargs: object
) -> HttpResponse:
    """Too many failed sign-ins for this email address: the same page whether it exists or not."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": round(settings.AXES_COOLOFF_TIME * 60)},
        status=429,
    )


@require_GET
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/team_list.html", {"teams": teams_for_user(user=request.user)})
