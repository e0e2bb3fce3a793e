"""Service navigation: what each role sees in the header.

Project wiring beside the URLconf: it names every app's pages and the roles that may open
them, so it sits above all the apps (the design system only draws what it is given)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from safeguard.accounts.models import CASE_HOLDING_ROLES, MANAGER_ROLES, Role
from safeguard.accounts.policy import (
    AUDIT_EXPORT_ROLES,
    CHILD_RECORD_ROLES,
    FRONT_DOOR_ROLES,
    MANAGE_ROLES,
    MEASURE_ROLES,
    NEED_ANALYSIS_ROLES,
    PARTNER_ROLES,
    RECORDS_ROLES,
    STAFF_ROLES,
    WORKFORCE_PAY_ROLES,
    WORKFORCE_TEAM_ROLES,
)
from safeguard.returns.url_policy import REPORT_ROLES


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every staff role


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "home:home"),
    NavItem("Children", "people:child_list", CHILD_RECORD_ROLES),
    NavItem("Clocks", "casework:clocks", CASE_HOLDING_ROLES | MANAGER_ROLES),
    NavItem("Teams", "accounts:team_list", STAFF_ROLES),
    NavItem("Audit", "records:audit_export", AUDIT_EXPORT_ROLES),
    NavItem("Records", "records:disposal_review", RECORDS_ROLES),
    NavItem("Front door", "frontdoor:queue", FRONT_DOOR_ROLES),
    NavItem("Your referrals", "frontdoor:partner_referrals", PARTNER_ROLES),
    NavItem("Manage", "accounts:manage", MANAGE_ROLES),
    NavItem("Returns", "returns:cin_census_report", REPORT_ROLES),
    NavItem("Conferences", "conferences:diary", frozenset({Role.CONFERENCE_CHAIR})),
    NavItem("Measures", "performance:measures", MEASURE_ROLES),
    NavItem("Need", "performance:need_analysis", NEED_ANALYSIS_ROLES),
    NavItem("Workforce", "workforce:overview", WORKFORCE_PAY_ROLES),
    NavItem("Workforce", "workforce:teams", WORKFORCE_TEAM_ROLES - WORKFORCE_PAY_ROLES),
    NavItem("Your record", "workforce:my_record", STAFF_ROLES),
)


def service_navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if item.roles is not None and user.role not in item.roles:
            continue
        href = reverse(item.url_name)
        current = request.path == href or (href != "/home/" and request.path.startswith(href))
        items.append({"text": item.text, "href": href, "active": current})
    return items
