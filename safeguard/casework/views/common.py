"""What the casework pages share: the episode's address, the late-reason hint, service errors on a form."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.casework.clocks import LateReasonNeeded
from safeguard.design_system.formatting import govuk_date


def posted(request: AuthenticatedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def episode_url(episode_id: uuid.UUID) -> str:
    return reverse("casework:episode_detail", args=[episode_id])


def late_hint(form: Form, due: dt.date | None, what: str) -> None:
    if due is not None:
        form.fields[
            "late_reason"
        ].help_text = f"Only if it was after its due date: {what} was due by {govuk_date(due)}."


def add_errors(form: Form, error: ValidationError) -> None:
    # A missing reason for lateness belongs beside the box that asks for it.
    field = "late_reason" if isinstance(error, LateReasonNeeded) and "late_reason" in form.fields else None
    for message in error.messages:
        form.add_error(field, message)


def save_or_none(
    request: AuthenticatedRequest,
    form: Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    then: Callable[[Any], str],
) -> HttpResponse | None:
    """On a valid POST, call the service; its errors become form errors (nothing typed is
    lost), success redirects. Returns None when the page should be shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return None
    if success:
        messages.success(request, success)
    return HttpResponseRedirect(then(result))
