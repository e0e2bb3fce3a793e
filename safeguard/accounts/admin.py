"""Reference data for system administrators: services, teams and staff accounts."""

from __future__ import annotations

from django.contrib import admin

from safeguard.accounts.models import Service, Team, User
from safeguard.audit.admin import AuditedAdmin


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
    list_filter = ["role", "team", "is_active", "is_agency"]
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
    ]
    readonly_fields = ["last_login"]
