"""The running clocks page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.models import User
from safeguard.casework.selectors import clock_board


@require_GET
def clocks(request: AuthenticatedRequest) -> HttpResponse:
    """The user's running clocks; managers also see their team's."""
    if not can_see_clocks(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    scope = "team" if request.GET.get("show") == "team" and request.user.is_manager else "mine"
    rows, counts = clock_board(user=request.user, today=today, scope=scope, request=request)
    return render(request, "casework/clocks.html", {"clocks": rows, "counts": counts, "scope": scope})


def can_see_clocks(user: User) -> bool:
    return user.is_case_holder or user.is_manager
