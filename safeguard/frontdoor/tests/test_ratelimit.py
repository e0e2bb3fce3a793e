"""The public form is limited per member of the public, not per proxy in front of them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from safeguard.frontdoor.ratelimit import client_ip, rate_limited

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _one_step_each(settings):
    cache.clear()
    settings.FRONT_DOOR_STEPS_PER_IP = 1


def _post_step(client: Client, forwarded: str) -> int:
    response = client.post(
        reverse("frontdoor:report:step", args=["who"]),
        {"reporter_type": "public", "website": ""},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return response.status_code


def test_behind_a_trusted_proxy_two_members_of_the_public_are_counted_apart(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _post_step(Client(), "203.0.113.5") == 302
    assert _post_step(Client(), "198.51.100.7") == 302
    assert _post_step(Client(), "203.0.113.5") == 429


def test_a_forwarded_header_is_ignored_unless_the_proxy_is_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert _post_step(Client(), "203.0.113.5") == 302
    assert _post_step(Client(), "198.51.100.7") == 429


def test_a_client_cannot_dodge_the_limit_by_writing_its_own_forwarded_entry(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _post_step(Client(), "203.0.113.5") == 302
    # The proxy appends the real address after whatever the client sent.
    assert _post_step(Client(), "1.2.3.4, 203.0.113.5") == 429


def test_the_counter_opens_a_new_window_per_key(rf):
    assert not rate_limited("test", "a", 1, 60)
    assert rate_limited("test", "a", 1, 60)
    assert not rate_limited("test", "b", 1, 60)
    assert client_ip(rf.get("/", REMOTE_ADDR="")) == "unknown"
