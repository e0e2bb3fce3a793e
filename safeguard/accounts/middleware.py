"""Every page needs a signed-in user unless its view is marked ``@public``.

Deny by default: a new view that forgets to declare itself is staff-only, never public.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from safeguard.accounts.models import User

F = TypeVar("F", bound=Callable[..., Any])


class AuthenticatedRequest(HttpRequest):
    """A request to a staff view: the middleware below guarantees a signed-in user."""

    user: User


def public(view: F) -> F:
    """Mark a view as open to anyone, signed in or not."""
    view.login_exempt = True  # type: ignore[attr-defined]
    return view


class StaffLoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view_func, "login_exempt", False) or request.user.is_authenticated:
            return None
        if request.path.startswith("/admin/") or request.path.startswith(settings.STATIC_URL):
            return None  # the admin has its own login; static files are public
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class MFARequiredMiddleware:
    """With ``REQUIRE_MFA`` on, a signed-in user must also enter a security code before any
    page but the public ones (sign-out among them), the one that checks the code, keep-alive,
    and the set-up page (which itself sends a user who already has an authenticator to the
    check). The admin is no exception. Runs after django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not settings.REQUIRE_MFA or not user.is_authenticated or user.is_verified():
            return None
        if getattr(view_func, "login_exempt", False) or getattr(view_func, "mfa_exempt", False):
            return None
        target = "accounts:mfa_verify" if user_has_device(user) else "accounts:mfa_setup"
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
