"""Reference data for system administrators: services, teams and staff accounts. Every
change made here is audited like any other write (``AuditedAdmin``, which the front door's
reference data uses too)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models, transaction
from django.http import HttpRequest

from safeguard.accounts.demo import is_demo_account
from safeguard.accounts.models import Service, Team, User
from safeguard.accounts.services import mfa_reset
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


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "kind", "service", "caseload_policy"]
    list_filter = ["kind", "service"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(AuditedAdmin):
    """Accounts are created and disabled here; passwords are set by the user, never seen here."""

    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "team",
        "is_active",
        "is_agency",
        "last_login",
    ]
    list_filter = ["role", "team", "is_active", "is_agency", "is_demo_account"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fields = [
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "team",
        "job_title",
        "grade",
        "is_agency",
        "fte",
        "social_work_england_number",
        "agency_name",
        "is_active",
        "is_staff",
        "is_demo_account",
    ]
    readonly_fields = ["last_login", "is_demo_account"]
    actions = ["reset_security_codes"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if is_demo_account(obj):
            fields.append("is_staff")  # a demo account's password is published
        return fields

    @admin.action(description="Reset security codes (for a lost phone)")
    def reset_security_codes(self, request: HttpRequest, queryset: Any) -> None:
        actor = request.user
        assert isinstance(actor, User)  # the admin is only reachable when signed in
        for user in queryset:
            mfa_reset(actor=actor, user=user, reason="Reset by a system administrator in the admin")
        self.message_user(
            request,
            f"Security codes reset for {queryset.count()} user(s): they set up a new "
            "authenticator at their next sign-in.",
            messages.SUCCESS,
        )
