"""Access rules for conference URLs (read by the access matrix test).

The diary is the conference chairs' page. The other pages are addressed by a conference's
or an enquiry's own key: a key the user may not see is 404 (ObjectPage). Their real rules
(chairs, the child's managers, the conference's own chair) are tested in tests/test_views.py.
"""

from __future__ import annotations

from safeguard.accounts.models import Role
from safeguard.accounts.policy import ObjectPage, PostOnly, Public, Roles, UrlRule

URL_POLICY: dict[str, UrlRule] = {
    "conferences:diary": Roles(frozenset({Role.CONFERENCE_CHAIR})),
    "conferences:propose": ObjectPage(),
    "conferences:detail": ObjectPage(),
    "conferences:schedule": ObjectPage(),
    "conferences:record": ObjectPage(),
    "conferences:cancel": ObjectPage(),
    "conferences:plan": ObjectPage(),
    "conferences:plan_pdf": ObjectPage(),
    "conferences:plan_outcome_new": ObjectPage(),
    "conferences:core_group_new": ObjectPage(),
    "conferences:plan_end": ObjectPage(),
    "conferences:letter_sent": PostOnly(),
    "conferences:record_complete": PostOnly(),
    "conferences:interpreter_booked": PostOnly(),
    "conferences:invite": ObjectPage(),
    "conferences:invitation_revoke": PostOnly(),
    "conferences:invitation_letter": PostOnly(),
    "conferences:question_answered": PostOnly(),
    "conferences:child_views": ObjectPage(),
    "conferences:child_views_seen": PostOnly(),
    # Reached by a link and a separately sent code, with no account (portal.py): a link
    # that does not work, or whose code this browser has not given, goes to the code page
    # or to the page saying the link no longer works (302), never to the conference.
    "conferences:portal_link_problem": Public(),
    "conferences:portal": Public(),
    "conferences:portal_report": Public(),
    "conferences:family": Public(),
    "conferences:family_feedback": Public(),
    "conferences:child_views_link": Public(),
    "conferences:family_plan_pdf": Public(),
}
