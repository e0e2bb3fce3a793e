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


class AccessKind(models.TextChoices):
    """What kind of record was read. Older rows may hold values no longer listed here (the
    table is append-only, so they are never rewritten): show those as they are."""

    CHILD = "child_record", "Child's record"
    CHILD_ACCESS_HISTORY = "child_access_history", "Who has looked at the record"
    CHILD_LIST = "child_list", "List of children"
    CHILD_HISTORY = "child_history", "Child's history at the front door"
    MATCH_CANDIDATE = "match_candidate", "Possible match for a contact"
    CONTACT = "contact", "Contact"
    CONTACT_QUEUE = "contact_queue", "Front door queue"
    CONTACT_MATCHING = "contact_matching", "Matching a contact to children already known"
    EPISODE = "episode", "Episode"
    ASSESSMENT = "assessment", "Assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    SECTION_47 = "section_47", "Section 47 enquiry"
    PLAN = "plan", "Child in need plan"
    CONFERENCE = "conference", "Child protection conference"
    CONFERENCE_DIARY = "conference_diary", "Conference chairs' diary"
    VISIT = "visit", "Visit"
    CASE_NOTE = "case_note", "Case note"
    CHRONOLOGY = "chronology", "Chronology"
    CHRONOLOGY_ENTRY_FORM = "chronology_entry_form", "Chronology (adding an entry)"
    CLOCK_BOARD = "clock_board", "Statutory clocks"
    WORK_LIST = "work_list", "Work lists on the home page"
    SUBJECT_ACCESS_EXPORT = "subject_access_export", "Subject access export"
    AUDIT_EXPORT = "audit_export", "Audit trail export"


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    DOWNLOAD = "download", "Downloaded"
    EXPORT = "export", "Exported"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    REFUSED = "refused", "Refused"


class AccessLogEntry(AppendOnlyModel):
    """One read of a child's or person's record, a document, an export, a list or a search,
    or an attempt to read one that was refused."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(
        max_length=64, choices=AccessKind.choices, help_text="What kind of record was read."
    )
    action = models.CharField(
        max_length=16,
        choices=AccessAction.choices,
        default=AccessAction.VIEW,
        db_default=AccessAction.VIEW,
        help_text="Rows written before this field existed were all views.",
    )
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, db_index=True, blank=True)
    child_id = models.UUIDField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    break_glass_reason = models.TextField(blank=True)
    detail = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="How a list or search was made, or why a read was refused. Never the words searched for.",
    )

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.object_type} {self.object_id}"

    @property
    def what_label(self) -> str:
        if self.what in AccessKind.values:
            return str(AccessKind(self.what).label)
        return self.what.replace("_", " ")

    @property
    def action_label(self) -> str:
        if self.action in AccessAction.values:
            return str(AccessAction(self.action).label)
        return self.action
