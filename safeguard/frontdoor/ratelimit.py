"""Counting requests in Django's cache: spam resistance without a cognitive test.

Counted per client, behind a trusted proxy too (see ``safeguard.core.http``).
"""

from __future__ import annotations

from django.http import HttpRequest

from safeguard.core import http


def client_ip(request: HttpRequest) -> str:
    return http.client_address(request) or "unknown"


def rate_limited(bucket: str, who: str, limit: int, window: int) -> bool:
    """Count one more request from ``who``; True once it is over ``limit`` in ``window`` s."""
    return http.rate_limited(f"frontdoor:{bucket}", who, limit, window)
