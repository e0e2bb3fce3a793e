"""Access rules for workforce URLs (read by the access matrix test).

The overview, the census extract and adding a person are the workforce lead's and HR's
(pay and personal HR details). A team's page is for the roles with a team scope in
``WORKFORCE_POLICY``: the matrix opens the user's own team, so each of them gets it. The
pages addressed by a person's, a review's or a recruitment's key are 404 for a key the user
may not reach; their finer rules are tested in tests/test_views.py.
"""

from __future__ import annotations

from safeguard.accounts.policy import (
    STAFF_ROLES,
    WORKFORCE_PAY_ROLES,
    WORKFORCE_TEAM_ROLES,
    ObjectPage,
    PostOnly,
    Roles,
    UrlRule,
)

URL_POLICY: dict[str, UrlRule] = {
    "workforce:overview": Roles(WORKFORCE_PAY_ROLES),
    "workforce:census": Roles(WORKFORCE_PAY_ROLES),
    "workforce:staff_new": Roles(WORKFORCE_PAY_ROLES),
    "workforce:cohorts": Roles(WORKFORCE_TEAM_ROLES),
    # Everyone on the staff has their own record (or is told there is none yet).
    "workforce:my_record": Roles(STAFF_ROLES),
    "workforce:teams": Roles(WORKFORCE_TEAM_ROLES),
    "workforce:team": Roles(WORKFORCE_TEAM_ROLES),
    "workforce:staff": ObjectPage(),
    "workforce:staff_leave": ObjectPage(),
    "workforce:supervision_new": ObjectPage(),
    "workforce:asye_review": ObjectPage(),
    "workforce:payment_pay": PostOnly(),
    "workforce:recruitment": ObjectPage(),
    # Posts, vacancies and recruitment are changed by the workforce lead and HR.
    "workforce:post_new": Roles(WORKFORCE_PAY_ROLES),
    "workforce:vacancy_new": Roles(WORKFORCE_PAY_ROLES),
    "workforce:vacancy_cover": ObjectPage(),
    "workforce:vacancy_close": ObjectPage(),
    "workforce:recruitment_new": ObjectPage(),
    "workforce:incentive_scheme_new": Roles(WORKFORCE_PAY_ROLES),
    "workforce:incentive_award_new": ObjectPage(),
    "workforce:absence_new": ObjectPage(),
    "workforce:progression_decide": ObjectPage(),
    # A person applies from their own record; the workforce lead and HR may apply for anyone.
    "workforce:progression_apply": ObjectPage(),
    # Recording a leaver's repayment, or waiving it: the workforce lead and HR only.
    "workforce:repayment_new": ObjectPage(),
}
