"""Shared fixtures: a named persona for every role."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the live server's
# database calls are still synchronous, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def make_user(db):
    from safeguard.accounts.tests.factories import UserFactory

    def make(role: str = "social_worker", **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def social_worker(make_user):
    return make_user("social_worker")


@pytest.fixture
def partner_user(make_user):
    return make_user("partner_agency", agency_name="Harrowmere Police")


@pytest.fixture
def staff_client(client, social_worker):
    client.force_login(social_worker)
    return client
