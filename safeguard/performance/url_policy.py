"""Access rules for performance URLs (read by the access matrix test)."""

from __future__ import annotations

from safeguard.accounts.policy import UrlRule

URL_POLICY: dict[str, UrlRule] = {}
