"""The audit trail: what changed (events) and who looked (access log).

Both tables are append-only. The application refuses to update or delete a row here;
on PostgreSQL a trigger refuses it too (migration 0002), so not even a bug or a shell
session in the application's database role can rewrite history.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit rows cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows cannot be deleted")


class AuditEvent(AppendOnlyModel):
    """One state change, written by the service that made it, in the same transaction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Null only for system actions (imports, scheduled jobs, the demo generator).",
    )
    action = models.CharField(max_length=64, help_text="The service that acted, e.g. person_create.")
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, db_index=True)
    child_id = models.UUIDField(
        null=True, blank=True, db_index=True, help_text="The child the change concerns, if any."
    )
    changes: models.JSONField[dict[str, Any]] = models.JSONField(
        default=dict, help_text='{"field": {"before": ..., "after": ...}}'
    )

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_id}"


class AccessLogEntry(AppendOnlyModel):
    """One read of a child's or person's record, a document or an export."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=64, help_text="What was read, e.g. person_record.")
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, db_index=True)
    child_id = models.UUIDField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    break_glass_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        return f"{self.user_id} read {self.object_type} {self.object_id}"
