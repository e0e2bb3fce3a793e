"""Public information pages, the staff home page and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safeguard.accounts.middleware import AuthenticatedRequest, public
from safeguard.core.selectors import home_for_user


@public
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("core:home"))
    return render(request, "core/start.html")


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "core/home.html", {"home": home_for_user(user=request.user, request=request)})


@public
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@public
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@public
@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


@public
@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/contact.html")


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
