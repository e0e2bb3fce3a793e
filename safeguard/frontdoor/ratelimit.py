"""Counting requests in Django's cache: spam resistance without a cognitive test.

A fixed window per key: the first request starts the window, and every request in it
counts. With the default local-memory cache each server process counts on its own; a
council running several processes sets a shared cache (Redis, Memcached) in settings.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def rate_limited(bucket: str, who: str, limit: int, window: int) -> bool:
    """Count one more request from ``who``; True once it is over ``limit`` in ``window`` s."""
    key = f"frontdoor:rate:{bucket}:{who}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
