"""The access log names the real client, not the proxy in front of the service."""

from __future__ import annotations

from django.test import RequestFactory

from safeguard.audit.models import AccessKind
from safeguard.audit.services import access_log_record
from safeguard.people.tests.factories import ChildFactory


def test_behind_a_trusted_proxy_the_read_names_the_client(settings, social_worker):
    settings.TRUSTED_PROXY_COUNT = 1
    child = ChildFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    entry = access_log_record(
        user=social_worker, what=AccessKind.CHILD, instance=child, child_id=child.pk, request=request
    )
    assert entry.ip_address == "198.51.100.7"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(settings, social_worker):
    settings.TRUSTED_PROXY_COUNT = 0
    child = ChildFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    entry = access_log_record(
        user=social_worker, what=AccessKind.CHILD, instance=child, child_id=child.pk, request=request
    )
    assert entry.ip_address == "192.0.2.9"
