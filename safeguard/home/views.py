"""Public information pages, the staff home page and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safeguard.accounts.middleware import AuthenticatedRequest, public
from safeguard.home.selectors import home_for_user


@public
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("home:home"))
    return render(request, "home/start.html")


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "home/home.html", {"home": home_for_user(user=request.user, request=request)})


@public
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "home/accessibility.html")


@public
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "home/privacy.html")


@public
@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "home/cookies.html")


@public
@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "home/contact.html")


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
