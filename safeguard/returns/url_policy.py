"""Access rules for the returns pages (read by the access matrix test)."""

from __future__ import annotations

from safeguard.accounts.models import Role
from safeguard.accounts.policy import Action, ChildRecord, ObjectPage, Roles, UrlRule

# The analyst builds and checks the returns; the report lists every child with a failure.
REPORT_ROLES = frozenset({Role.PERFORMANCE_ANALYST})

URL_POLICY: dict[str, UrlRule] = {
    "returns:cin_census_runs": Roles(REPORT_ROLES),
    # A run the analyst may see is found by its key; the matrix opens a key that is not there.
    "returns:cin_census_run": Roles(REPORT_ROLES, allowed_statuses=frozenset({404})),
    "returns:cin_census_download": Roles(REPORT_ROLES, allowed_statuses=frozenset({404})),
    "returns:cin_census_report": Roles(REPORT_ROLES),
    # The census details the child's workers keep: the child's record (edit) and the episode's.
    "returns:child_census": ChildRecord(Action.EDIT),
    "returns:episode_census": ObjectPage(),
}
