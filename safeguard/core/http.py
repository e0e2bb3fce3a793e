"""Who is asking: the client's address, and counting their requests.

Behind a reverse proxy every request comes from the proxy's address, so limits keyed on
``REMOTE_ADDR`` would lump every member of the public (or every member of staff) together.
The proxy's ``X-Forwarded-For`` is believed only when ``TRUSTED_PROXY_COUNT`` says how many
proxies stand in front: anyone can send that header, so only the entries the trusted
proxies appended are used, never the ones the client wrote itself.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when there is none to be had.

    With N trusted proxies, each appends the address it received the request from, so the
    client is the Nth entry from the right; a header shorter than that did not come through
    all of them, and the direct peer is used instead.
    """
    peer = _address(str(request.META.get("REMOTE_ADDR", "")))
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            hop for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()
        ]
        if len(forwarded) >= proxies:
            return _address(forwarded[-proxies]) or peer
    return peer


def rate_limited(bucket: str, who: str, limit: int, window: int) -> bool:
    """Count one more request from ``who``; True once it is over ``limit`` in ``window`` s.

    A fixed window per key: the first request starts the window, and every request in it
    counts. With the default local-memory cache each server process counts on its own; a
    council running several processes sets a shared cache (Redis, Memcached) in settings.
    """
    key = f"rate:{bucket}:{who}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
