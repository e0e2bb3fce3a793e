"""Access rules for performance URLs (read by the access matrix test)."""

from __future__ import annotations

from safeguard.accounts.policy import NEED_ANALYSIS_ROLES, Roles, UrlRule

URL_POLICY: dict[str, UrlRule] = {
    "performance:need_analysis": Roles(NEED_ANALYSIS_ROLES),
    "performance:need_profile_pdf": Roles(NEED_ANALYSIS_ROLES),
}
