"""Access rules for the returns pages (read by the access matrix test)."""

from __future__ import annotations

from safeguard.accounts.models import Role
from safeguard.accounts.policy import Roles, UrlRule

# The analyst builds and checks the returns; the report lists every child with a failure.
REPORT_ROLES = frozenset({Role.PERFORMANCE_ANALYST})

URL_POLICY: dict[str, UrlRule] = {
    "returns:cin_census_report": Roles(REPORT_ROLES),
}
