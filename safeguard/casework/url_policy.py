"""Access rules for casework URLs (read by the access matrix test).

Pages addressed by an episode's, assessment's or enquiry's own key are ObjectPage: a key the
user may not see is 404. Their real rules (scope by role) are tested in tests/test_views.py.
"""

from __future__ import annotations

from safeguard.accounts.models import CASE_HOLDING_ROLES, MANAGER_ROLES
from safeguard.accounts.policy import Action, ChildRecord, ObjectPage, PostOnly, Roles, UrlRule

URL_POLICY: dict[str, UrlRule] = {
    "casework:clocks": Roles(frozenset(CASE_HOLDING_ROLES | MANAGER_ROLES)),
    "casework:episode_detail": ObjectPage(),
    "casework:allocate": ObjectPage(),
    "casework:send_to_team": ObjectPage(),
    "casework:transfer": ObjectPage(),
    "casework:assessment_start": ObjectPage(),
    "casework:strategy_discussion": ObjectPage(),
    "casework:close": ObjectPage(),
    "casework:cin_plan": ObjectPage(),
    "casework:cin_plan_review": ObjectPage(),
    "casework:assessment": ObjectPage(),
    "casework:assessment_details": ObjectPage(),
    "casework:assessment_submit": PostOnly(),
    "casework:assessment_authorise": ObjectPage(),
    "casework:assessment_section": ObjectPage(),
    "casework:assessment_autosave": PostOnly(),
    "casework:section_47_outcome": ObjectPage(),
    "casework:strategy_record": ObjectPage(),
    "casework:visit_new": ObjectPage(),
    "casework:note_new": ObjectPage(),
    "casework:chronology": ChildRecord(Action.VIEW),
    "casework:chronology_new": ChildRecord(Action.EDIT),
    "casework:chronology_pdf": ChildRecord(Action.VIEW),
    "casework:assessment_pdf": ObjectPage(),
}
