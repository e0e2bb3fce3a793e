"""Access rules for the front door's URLs (read by the access matrix test).

The public journey is open to anyone. Contact pages are addressed by the contact's key:
a key that does not exist, or that the user may not see, is 404 for everyone (the real
rules are tested in ``tests/test_views.py``). Partner API endpoints check their own keys.

A partner agency user's pages are theirs alone (403 to every other role); a referral is
addressed by its contact's key, and another agency's key is 404 (``tests/test_partner_views.py``).
"""

from __future__ import annotations

from safeguard.accounts.policy import PARTNER_ROLES, ObjectPage, PostOnly, Public, Roles, UrlRule
from safeguard.frontdoor.permissions import FRONT_DOOR_ROLES

URL_POLICY: dict[str, UrlRule] = {
    "frontdoor:start": Public(),
    "frontdoor:report:step": Public(),
    "frontdoor:report:check": Public(),
    "frontdoor:report:done": Public(),
    "frontdoor:report:start_again": Public(),
    "frontdoor:queue": Roles(FRONT_DOOR_ROLES),
    "frontdoor:contact_detail": ObjectPage(),
    "frontdoor:contact_assign": PostOnly(),
    "frontdoor:contact_link_child": PostOnly(),
    "frontdoor:contact_child_create": PostOnly(),
    "frontdoor:contact_merge": PostOnly(),
    "frontdoor:contact_decide": ObjectPage(),
    "frontdoor:contact_decide_check": ObjectPage(),
    "frontdoor:contact_authorise": ObjectPage(),
    "frontdoor:contact_partner_information": ObjectPage(),
    "frontdoor:contact_release_referrer": ObjectPage(),
    "frontdoor:partner_referrals": Roles(PARTNER_ROLES),
    "frontdoor:partner_referral_detail": ObjectPage(),
    "frontdoor:partner_referral_start": Roles(PARTNER_ROLES),
    "frontdoor:partner_referral:step": Roles(PARTNER_ROLES),
    # No draft yet: Check answers sends the partner to the first question.
    "frontdoor:partner_referral:check": Roles(PARTNER_ROLES, allowed_statuses=frozenset({302})),
    # Nothing submitted yet: the partner finds nothing there.
    "frontdoor:partner_referral:done": Roles(PARTNER_ROLES, allowed_statuses=frozenset({404})),
    "frontdoor:partner_referral:start_again": PostOnly(),
    "frontdoor:api_docs": Public(),
    "frontdoor:api:openapi-json": Public(),
    "frontdoor:api:contact_create": PostOnly(),
}
