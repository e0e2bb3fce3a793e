"""Access rules for performance URLs (read by the access matrix test).

The measures pages are for the roles in ``MEASURE_ROLES``, each at its own reach (a team
manager their team, a service manager their service, the director and analysts the
council): the page chooses the viewer's widest scope when none is asked for. The children
behind a figure are filtered by ``children_for`` and logged as a list read.
"""

from __future__ import annotations

from safeguard.accounts.policy import (
    BENCHMARK_UPLOAD_ROLES,
    LOCAL_TARGET_ROLES,
    MEASURE_ROLES,
    NEED_ANALYSIS_ROLES,
    NEED_LOOKUP_UPLOAD_ROLES,
    Roles,
    UrlRule,
)

URL_POLICY: dict[str, UrlRule] = {
    "performance:need_analysis": Roles(NEED_ANALYSIS_ROLES),
    "performance:need_profile_pdf": Roles(NEED_ANALYSIS_ROLES),
    "performance:need_lookup_upload": Roles(NEED_LOOKUP_UPLOAD_ROLES),
    "performance:measures": Roles(MEASURE_ROLES),
    "performance:measure_trends": Roles(MEASURE_ROLES),
    "performance:measures_export_csv": Roles(MEASURE_ROLES),
    "performance:measures_export_xlsx": Roles(MEASURE_ROLES),
    "performance:benchmark_upload": Roles(BENCHMARK_UPLOAD_ROLES),
    # Everyone with measures sees the targets on the measures page; only these set them.
    "performance:targets": Roles(LOCAL_TARGET_ROLES),
    # ?measure=<id>&part=numerator|denominator, with the page's scope and period; without a
    # measure it goes back to the measures page (302). The children listed are filtered by
    # ``children_for`` (tests/test_views.py).
    "performance:measure_children": Roles(MEASURE_ROLES),
}
