"""The audit trail in the admin: read-only, for system administrators to look through."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from safeguard.accounts.models import User
from safeguard.audit.models import AccessLogEntry, AuditEvent
from safeguard.audit.services import audit_event_record, diff, snapshot


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the admin is only reachable when signed in
    return user


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference data edited in the admin is audited like every other write."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = "admin_change" if change else "admin_add"
            audit_event_record(
                actor=_actor(request),
                action=action,
                instance=obj,
                changes=diff(before, snapshot(obj)),
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit_event_record(
                actor=_actor(request),
                action="admin_delete",
                instance=obj,
                changes=diff(snapshot(obj), {}),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    date_hierarchy = "occurred_at"


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "user", "what", "action", "object_type", "object_id", "detail"]
    list_filter = ["what", "action"]
    date_hierarchy = "occurred_at"
