from __future__ import annotations

from typing import Any

from django.urls import URLPattern, include, path

from safeguard.accounts.middleware import public
from safeguard.frontdoor import partner_views, views
from safeguard.frontdoor.api import api

app_name = "frontdoor"


def _api_urls() -> Any:
    """The partner API checks its own keys: its views are open to the login middleware."""
    all_patterns, api_app_name, namespace = api.urls
    # Ninja's catch-all root answers 404 for every path; the docs page replaces it.
    patterns = [p for p in all_patterns if isinstance(p, URLPattern) and p.name != "api-root"]
    for pattern in patterns:
        if pattern.callback is not None:
            public(pattern.callback)
        if pattern.name == "contact_status":
            # Answers 404 to every caller without the sending agency's key (so a reference's
            # existence is never revealed), which no page-level access rule describes; it
            # is unnamed so the page access tests skip it, and test_api.py covers it.
            pattern.name = None
    return patterns, api_app_name, namespace


report_patterns = (
    [
        path("check-answers/", views.report_check, name="check"),
        path("sent/", views.report_done, name="done"),
        path("start-again/", views.report_start_again, name="start_again"),
        path("<slug:slug>/", views.report_step, name="step"),
    ],
    "report",
)

partner_referral_patterns = (
    [
        path("check-answers/", partner_views.referral_check, name="check"),
        path("sent/", partner_views.referral_done, name="done"),
        path("start-again/", partner_views.referral_start_again, name="start_again"),
        path("<slug:slug>/", partner_views.referral_step, name="step"),
    ],
    "partner_referral",
)

contact = "front-door/contacts/<uuid:contact_id>/"

urlpatterns: list[Any] = [
    path("report-a-concern/", views.start, name="start"),
    path("report-a-concern/", include(report_patterns)),
    path("partner/referrals/", partner_views.referrals, name="partner_referrals"),
    path(
        "partner/referrals/<uuid:contact_id>/",
        partner_views.referral_detail,
        name="partner_referral_detail",
    ),
    path("partner/make-a-referral/", partner_views.referral_start, name="partner_referral_start"),
    path("partner/make-a-referral/", include(partner_referral_patterns)),
    path("api/v1/docs", views.api_docs, name="api_docs"),
    path("api/v1/", _api_urls()),
    path("front-door/", views.queue, name="queue"),
    path(contact, views.contact_detail, name="contact_detail"),
    path(f"{contact}assign/", views.contact_assign, name="contact_assign"),
    path(f"{contact}link-child/", views.contact_link_child, name="contact_link_child"),
    path(f"{contact}new-child/", views.contact_child_create, name="contact_child_create"),
    path(f"{contact}merge/", views.contact_merge, name="contact_merge"),
    path(f"{contact}decide/", views.contact_decide, name="contact_decide"),
    path(f"{contact}decide/check/", views.contact_decide_check, name="contact_decide_check"),
    path(f"{contact}authorise/", views.contact_authorise, name="contact_authorise"),
    path(
        f"{contact}partner-information/",
        views.contact_partner_information,
        name="contact_partner_information",
    ),
    path(f"{contact}release-referrer/", views.contact_release_referrer, name="contact_release_referrer"),
]
