"""Base model and the server-side drafts that keep every word a user types."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """UUID keys (never guessable or sequential) and who created and last changed a row.

    The ``*_by`` columns are set by services, which know the acting user; the audit trail
    keeps the full history, these are the quick answer on a record page.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Null only for records made by the system (imports, the demo generator).",
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class Draft(models.Model):
    """Answers to a question-page journey, saved after every step.

    Held on the server so that a timed-out session, a closed browser or a failed
    submission loses nothing. A draft belongs either to a signed-in user or, for public
    journeys, to the browser session that started it. ``submitted_record`` makes a double
    submission return the first record instead of creating a second.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    journey = models.CharField(max_length=64)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    data: models.JSONField[dict[str, Any]] = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_record = models.CharField(
        max_length=64, blank=True, help_text="Reference of the record the submission created."
    )

    class Meta:
        indexes = [models.Index(fields=["journey", "owner", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.journey} draft {self.id}"
