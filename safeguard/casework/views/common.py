"""What the casework pages share: the episode's address and the late-reason hint."""

from __future__ import annotations

import datetime as dt
import uuid

from django.forms import Form
from django.urls import reverse

from safeguard.design_system.formatting import govuk_date


def episode_url(episode_id: uuid.UUID) -> str:
    return reverse("casework:episode_detail", args=[episode_id])


def late_hint(form: Form, due: dt.date | None, what: str) -> None:
    if due is not None:
        form.fields[
            "late_reason"
        ].help_text = f"Only if it was after its due date: {what} was due by {govuk_date(due)}."
