from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """Switch off browser features the service never uses (camera, location, payment...)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response that is not a static file.

    A child's record, a PDF or an export left in a shared council PC's browser cache (or a
    proxy's) outlives the session that fetched it, so nothing the application renders is
    stored anywhere. Static files never reach this middleware: WhiteNoise, above it, answers
    them with its own long-lived caching. A public page may opt out by setting its own
    ``Cache-Control`` (Django's ``@cache_control``); a signed-in user's response never can.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
