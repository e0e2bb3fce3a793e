"""What the casework pages share: the episode to record on, its address, the late-reason hint."""

from __future__ import annotations

import datetime as dt
import uuid

from django.forms import Form
from django.urls import reverse

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessKind
from safeguard.casework.models import CINEpisode
from safeguard.casework.selectors import episode_get_for_user
from safeguard.design_system.formatting import govuk_date


def episode_to_record_on(
    request: AuthenticatedRequest, episode_id: uuid.UUID, what: AccessKind
) -> CINEpisode:
    """The episode a form page records ``what`` on: the user must be able to edit its child
    (404 if they cannot see it, 403 if they can see but not edit), and the read is logged."""
    return episode_get_for_user(
        user=request.user, episode_id=episode_id, action=Action.EDIT, request=request, what=what
    )


def episode_url(episode_id: uuid.UUID) -> str:
    return reverse("casework:episode_detail", args=[episode_id])


def late_hint(form: Form, due: dt.date | None, what: str) -> None:
    if due is not None:
        form.fields[
            "late_reason"
        ].help_text = f"Only if it was after its due date: {what} was due by {govuk_date(due)}."
