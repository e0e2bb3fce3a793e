"""Deny by default: every URL that is not declared public sends an anonymous visitor to
sign in. A new view that forgets to think about access fails here."""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {
    "home:start",
    "home:accessibility",
    "home:privacy",
    "home:cookies",
    "home:contact",
    "home:healthz",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_sent",
    "accounts:password_reset_confirm",
    "accounts:logout",
    # The public "Report a concern" journey and the partner API (which checks its own keys).
    "frontdoor:start",
    "frontdoor:report:step",
    "frontdoor:report:check",
    "frontdoor:report:done",
    "frontdoor:report:start_again",
    "frontdoor:api_docs",
    "frontdoor:api:openapi-json",
    "frontdoor:api:contact_create",
    # Invited agencies and families, who have no account: a link and a separately sent code.
    "conferences:portal_link_problem",
    "conferences:portal",
    "conferences:portal_report",
    "conferences:family",
    "conferences:family_feedback",
    "conferences:child_views_link",
    "conferences:family_plan_pdf",
}


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                continue
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _patterns(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _sample_kwargs(pattern: URLPattern) -> dict[str, object]:
    kwargs: dict[str, object] = {}
    for name, converter in pattern.pattern.converters.items():
        kwargs[name] = uuid.uuid4() if "UUID" in type(converter).__name__ else "name"
    return kwargs


@pytest.mark.django_db
def test_every_private_url_requires_login(client):
    checked = 0
    for name, pattern in _patterns(get_resolver()):
        url = reverse(name, kwargs=_sample_kwargs(pattern) or None)
        response = client.get(url)
        if name in PUBLIC:
            assert response.status_code in (200, 302, 405), name
            continue
        assert response.status_code == 302, f"{name} answered {response.status_code} to an anonymous visitor"
        assert response["Location"].startswith(reverse("accounts:login")), name
        checked += 1
    assert checked >= 5
