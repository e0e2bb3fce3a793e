"""Partner agencies and which agency each partner agency user signs in for."""

from __future__ import annotations

from django.contrib import admin

from safeguard.accounts.admin import AuditedAdmin
from safeguard.frontdoor.models import PartnerAgency, PartnerMembership


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PartnerMembership
    fields = ["user"]
    extra = 0
    # Adding a person here would skip the audit trail that AuditedAdmin keeps: add them on
    # the Partner memberships page, or with `manage.py link_partner_user`.
    can_delete = False
    max_num = 0
    readonly_fields = ["user"]


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(AuditedAdmin):
    list_display = ["name", "agency_type", "email"]
    list_filter = ["agency_type"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(AuditedAdmin):
    list_display = ["user", "agency"]
    list_filter = ["agency"]
    search_fields = ["user__username", "user__email", "agency__name"]
    fields = ["user", "agency"]
    autocomplete_fields = ["agency"]
