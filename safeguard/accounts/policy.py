"""The access policy, in one place a reviewer can read.

Each role is allowed each action on children's records within a *scope*:

- ``OWN``: children allocated to the user (an open episode with the user as worker);
- ``TEAM``: children with an open episode held by the user's team, plus ``OWN``;
- ``SERVICE``: children with an open episode held by any team in the user's service;
- ``ALL``: every child's record.

Merging (``MERGE``) also reaches a child no team holds (no open episode) that the user may
view under their own scope: a duplicate is usually such a record, made at the front door or
left closed, and nobody's work is taken from them. A child held by a team outside the
user's merge scope cannot be merged, as the kept record or as the duplicate.

Who holds a child follows the open episode. A referral the front door accepts opens an
episode in the front door's team; the front door sends it to a receiving team
(``episode_send_to_team``), and from then the receiving team's manager and workers, and its
service manager, have it in their scope, while front door staff keep only their own ``VIEW``
of every record (they can no longer edit it, decide on it or allocate it). Moving a case
between teams afterwards is a service manager's transfer (``episode_transfer``).

Sealed records are outside every scope: only the users named on the seal, or a user with a
current break-glass grant, can see one. A partner agency user sees only what their agency
submitted or was invited to (the front door and conference issues add those records).
"""

from __future__ import annotations

import importlib
from enum import IntEnum, StrEnum

from django.apps import apps as django_apps

from safeguard.accounts.models import Role


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    DECIDE = "decide"
    AUTHORISE = "authorise"
    EXPORT = "export"
    MERGE = "merge"
    ADMINISTER = "administer"


class Scope(IntEnum):
    NONE = 0
    OWN = 1
    TEAM = 2
    SERVICE = 3
    ALL = 4


_ = Scope.NONE
A = Action

POLICY: dict[Role, dict[Action, Scope]] = {
    # Front door staff must find any child already known, so they can read every record.
    Role.FRONT_DOOR_PRACTITIONER: {A.VIEW: Scope.ALL, A.EDIT: Scope.TEAM, A.DECIDE: Scope.TEAM},
    Role.FRONT_DOOR_MANAGER: {
        A.VIEW: Scope.ALL,
        A.EDIT: Scope.TEAM,
        A.DECIDE: Scope.TEAM,
        A.AUTHORISE: Scope.TEAM,
        A.MERGE: Scope.TEAM,
    },
    Role.SOCIAL_WORKER: {A.VIEW: Scope.TEAM, A.EDIT: Scope.OWN},
    Role.SENIOR_PRACTITIONER: {A.VIEW: Scope.TEAM, A.EDIT: Scope.TEAM},
    Role.TEAM_MANAGER: {
        A.VIEW: Scope.TEAM,
        A.EDIT: Scope.TEAM,
        A.DECIDE: Scope.TEAM,
        A.AUTHORISE: Scope.TEAM,
        A.EXPORT: Scope.TEAM,
        A.MERGE: Scope.TEAM,
    },
    Role.SERVICE_MANAGER: {
        A.VIEW: Scope.SERVICE,
        A.EDIT: Scope.SERVICE,
        A.DECIDE: Scope.SERVICE,
        A.AUTHORISE: Scope.SERVICE,
        A.EXPORT: Scope.SERVICE,
        A.MERGE: Scope.SERVICE,
    },
    # Until conferences are recorded, a chair's "own" children are those on a plan.
    Role.CONFERENCE_CHAIR: {A.VIEW: Scope.OWN, A.DECIDE: Scope.OWN},
    Role.PERFORMANCE_ANALYST: {A.VIEW: Scope.ALL, A.EXPORT: Scope.ALL},
    Role.WORKFORCE_LEAD: {},
    Role.HR_OFFICER: {},
    Role.DIRECTOR: {A.VIEW: Scope.ALL, A.EXPORT: Scope.ALL},
    Role.SYSTEM_ADMINISTRATOR: {A.ADMINISTER: Scope.ALL},
    Role.PARTNER_AGENCY: {},
}

# Who may ask for time-limited emergency access to a record outside their scope.
BREAK_GLASS_ROLES = frozenset(
    {
        Role.FRONT_DOOR_PRACTITIONER,
        Role.FRONT_DOOR_MANAGER,
        Role.SOCIAL_WORKER,
        Role.SENIOR_PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.CONFERENCE_CHAIR,
    }
)

BREAK_GLASS_MINUTES = 60

# The analysis of safeguarding need and the partnership's need profile: counts of children
# by area and group, never a child's name.
NEED_ANALYSIS_ROLES = frozenset({Role.DIRECTOR, Role.PERFORMANCE_ANALYST, Role.SERVICE_MANAGER})


def scope_for(role: str, action: Action) -> Scope:
    try:
        return POLICY[Role(role)].get(action, Scope.NONE)
    except ValueError:
        return Scope.NONE


STAFF_ROLES = frozenset(Role) - {Role.PARTNER_AGENCY}
# A partner agency user's own pages: make a referral, see their organisation's referrals.
PARTNER_ROLES = frozenset({Role.PARTNER_AGENCY})
# The management pages for services, teams and accounts (never children's records).
MANAGE_ROLES = frozenset({Role.SYSTEM_ADMINISTRATOR})
# Managers export the audit trail of the children they are responsible for; the director and
# the system administrator export all of it.
AUDIT_EXPORT_ROLES = frozenset(
    {
        Role.FRONT_DOOR_MANAGER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.DIRECTOR,
        Role.SYSTEM_ADMINISTRATOR,
    }
)
AUDIT_EXPORT_ALL_ROLES = frozenset({Role.DIRECTOR, Role.SYSTEM_ADMINISTRATOR})
# Sealing a record hides it from everyone not named, so only senior managers may do it.
SEAL_ROLES = frozenset({Role.SERVICE_MANAGER, Role.DIRECTOR})
# Merging duplicate children's records: managers, over the children in their merge scope.
MERGE_ROLES = frozenset(r for r in Role if POLICY[r].get(Action.MERGE, Scope.NONE) > Scope.NONE)
# Legal holds and the disposal review.
RECORDS_ROLES = frozenset({Role.SERVICE_MANAGER, Role.DIRECTOR})
# Roles with any route to children's records (for navigation; the records are filtered).
CHILD_RECORD_ROLES = frozenset(r for r in Role if POLICY[r].get(Action.VIEW, Scope.NONE) > Scope.NONE)
ADD_CHILD_ROLES = frozenset(
    {
        Role.FRONT_DOOR_PRACTITIONER,
        Role.FRONT_DOOR_MANAGER,
        Role.SOCIAL_WORKER,
        Role.SENIOR_PRACTITIONER,
        Role.TEAM_MANAGER,
    }
)


# -- What every URL allows: the access matrix test requests each URL as each role in each
# relationship to a child and compares the answer with this table. A URL with no entry
# fails that test.


class Public:
    """Anyone, signed in or not."""


class Roles:
    """Signed-in users with one of ``roles``; anyone else is refused (403)."""

    def __init__(self, roles: frozenset[Role], *, allowed_statuses: frozenset[int] = frozenset({200, 302})):
        self.roles = roles
        self.allowed_statuses = allowed_statuses


class ChildRecord:
    """A child's record under ``action``: absent (404) to users outside the policy's scope."""

    def __init__(self, action: Action):
        self.action = action


class ChildList:
    """A list of children: every user in ``roles`` may open it (anyone else is refused, 403),
    and it shows only children they may view."""

    def __init__(self, roles: frozenset[Role] = frozenset(Role)):
        self.roles = roles


class ManagedChildAction:
    """A senior manager's action on a child's record (sealing, a legal hold): 404 for anyone
    who cannot see the child, 403 for anyone who can see it but is not in ``roles`` or, when
    ``action`` is given, does not hold that action over this child."""

    def __init__(self, roles: frozenset[Role], *, action: Action | None = None):
        self.roles = roles
        self.action = action


class ObjectPage:
    """A page addressed by the key of a record other than a child (a request, a document):
    a key the user may not see, or one that does not exist, is 404 for everyone."""


class PostOnly:
    """Answers GET with 405; the change it makes is covered by its own tests."""


UrlRule = Public | Roles | ChildRecord | ChildList | PostOnly | ManagedChildAction | ObjectPage

URL_POLICY: dict[str, UrlRule] = {
    "home:start": Public(),
    "home:accessibility": Public(),
    "home:privacy": Public(),
    "home:cookies": Public(),
    "home:contact": Public(),
    "home:healthz": Public(),
    "home:home": Roles(frozenset(Role)),
    "accounts:login": Public(),
    "accounts:logout": PostOnly(),
    "accounts:team_list": Roles(STAFF_ROLES),
    "accounts:mfa_verify": Roles(frozenset(Role)),
    "accounts:keep_alive": Roles(frozenset(Role), allowed_statuses=frozenset({204})),
    "accounts:password_change": Roles(frozenset(Role)),
    "accounts:password_change_done": Roles(frozenset(Role)),
    "accounts:password_reset": Public(),
    "accounts:password_reset_sent": Public(),
    "accounts:password_reset_confirm": Public(),
    "accounts:mfa_setup": Roles(frozenset(Role)),
    # Partner agency users see their own agency's referrals, never a search of children.
    "people:child_list": ChildList(STAFF_ROLES),
    # The system administrator's pages. The access matrix opens the ones addressed by a key
    # with a real service, team and account, so an allowed user gets the page (200, or 302
    # back to the account for an action that does not apply to it).
    "accounts:manage": Roles(MANAGE_ROLES),
    "accounts:manage_service_list": Roles(MANAGE_ROLES),
    "accounts:manage_service_new": Roles(MANAGE_ROLES),
    "accounts:manage_service_edit": Roles(MANAGE_ROLES),
    "accounts:manage_team_list": Roles(MANAGE_ROLES),
    "accounts:manage_team_new": Roles(MANAGE_ROLES),
    "accounts:manage_team_edit": Roles(MANAGE_ROLES),
    "accounts:manage_account_list": Roles(MANAGE_ROLES),
    "accounts:manage_account_new": Roles(MANAGE_ROLES),
    "accounts:manage_account": Roles(MANAGE_ROLES),
    "accounts:manage_account_role": Roles(MANAGE_ROLES),
    "accounts:manage_account_deactivate": Roles(MANAGE_ROLES),
    "accounts:manage_account_reactivate": Roles(MANAGE_ROLES),
    "accounts:manage_account_security_codes": Roles(MANAGE_ROLES),
    "accounts:manage_account_invitation": PostOnly(),
    "people:child_detail": ChildRecord(Action.VIEW),
    "people:child_access_log": ChildRecord(Action.AUTHORISE),
    "people:child_seal": ManagedChildAction(SEAL_ROLES),
    "records:child_merge": ManagedChildAction(MERGE_ROLES, action=Action.MERGE),
    "people:break_glass": Roles(BREAK_GLASS_ROLES),
    "people:add_child:step": Roles(ADD_CHILD_ROLES),
    "people:add_child:check": Roles(ADD_CHILD_ROLES),
    # Nothing submitted yet: an allowed user finds nothing there.
    "people:add_child:done": Roles(ADD_CHILD_ROLES, allowed_statuses=frozenset({404})),
    "people:add_child:start_again": PostOnly(),
    "records:audit_export": Roles(AUDIT_EXPORT_ROLES),
    "records:subject_access_new": ChildRecord(Action.VIEW),
    # Addressed by the request's own key: anyone gets 404 for a key that is not theirs.
    "records:subject_access_detail": ObjectPage(),
    "records:subject_access_release": PostOnly(),
    "records:legal_hold": ManagedChildAction(RECORDS_ROLES),
    "records:disposal_review": Roles(RECORDS_ROLES),
    "records:disposal_decide": PostOnly(),
}


def url_rules() -> dict[str, UrlRule]:
    """``URL_POLICY`` above plus every app's own ``<app>.url_policy.URL_POLICY``.

    Apps that arrive later (front door, casework) declare their URLs beside their views; the
    access matrix test reads them all from here.
    """
    rules: dict[str, UrlRule] = dict(URL_POLICY)
    for config in django_apps.get_app_configs():
        if not config.name.startswith("safeguard."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.url_policy")
        except ModuleNotFoundError:
            continue
        rules.update(module.URL_POLICY)
    return rules


# The front door (MASH): practitioners and managers triage every contact.
FRONT_DOOR_ROLES = frozenset({Role.FRONT_DOOR_PRACTITIONER, Role.FRONT_DOOR_MANAGER})


# -- Workforce records (posts, staff, pay): not children's records, so a table of their own.
# A team manager sees their own team's posts, caseloads, supervision and ASYE progress; pay,
# incentives and personal HR details (absence, agency cost, leaving) are for the workforce
# lead and HR only; everyone sees their own record (workforce.selectors).


class WorkforceAction(StrEnum):
    VIEW_TEAM = "workforce_view_team"  # posts, caseloads, supervision, ASYE progress
    SUPERVISE = "workforce_supervise"  # record supervision and ASYE reviews
    VIEW_PAY = "workforce_view_pay"  # pay, incentives and personal HR details
    MANAGE = "workforce_manage"  # establishment, staff records, leavers, recruitment, incentives


W = WorkforceAction
WORKFORCE_POLICY: dict[Role, dict[WorkforceAction, Scope]] = {
    Role.WORKFORCE_LEAD: {W.VIEW_TEAM: Scope.ALL, W.VIEW_PAY: Scope.ALL, W.MANAGE: Scope.ALL},
    Role.HR_OFFICER: {W.VIEW_TEAM: Scope.ALL, W.VIEW_PAY: Scope.ALL, W.MANAGE: Scope.ALL},
    Role.FRONT_DOOR_MANAGER: {W.VIEW_TEAM: Scope.TEAM, W.SUPERVISE: Scope.TEAM},
    Role.TEAM_MANAGER: {W.VIEW_TEAM: Scope.TEAM, W.SUPERVISE: Scope.TEAM},
    Role.SERVICE_MANAGER: {W.VIEW_TEAM: Scope.SERVICE, W.SUPERVISE: Scope.SERVICE},
    Role.DIRECTOR: {W.VIEW_TEAM: Scope.ALL},
}


def workforce_scope(role: str, action: WorkforceAction) -> Scope:
    try:
        return WORKFORCE_POLICY.get(Role(role), {}).get(action, Scope.NONE)
    except ValueError:
        return Scope.NONE


WORKFORCE_PAY_ROLES = frozenset(r for r in Role if workforce_scope(r, W.VIEW_PAY) == Scope.ALL)
WORKFORCE_TEAM_ROLES = frozenset(r for r in Role if workforce_scope(r, W.VIEW_TEAM) > Scope.NONE)

# Performance measures: whose figures each role may open (a team manager their team and its
# workers, a service manager their service and its teams, the director and analysts the
# council). The figures carry no names; the children behind a figure are filtered again by
# ``children_for``, so a count may be larger than the list a viewer may open.
MEASURE_SCOPE: dict[Role, Scope] = {
    Role.TEAM_MANAGER: Scope.TEAM,
    Role.SERVICE_MANAGER: Scope.SERVICE,
    Role.DIRECTOR: Scope.ALL,
    Role.PERFORMANCE_ANALYST: Scope.ALL,
}
MEASURE_ROLES = frozenset(MEASURE_SCOPE)
# Uploading the statistical neighbours' and the region's figures.
BENCHMARK_UPLOAD_ROLES = frozenset({Role.PERFORMANCE_ANALYST})
# Setting and clearing the council's local targets (everyone with measures sees them).
LOCAL_TARGET_ROLES = frozenset({Role.DIRECTOR, Role.PERFORMANCE_ANALYST})
# Uploading the postcode to ward lookup and the child populations the need analysis reads.
NEED_LOOKUP_UPLOAD_ROLES = frozenset({Role.DIRECTOR, Role.PERFORMANCE_ANALYST})
