"""Properties of the policy table that must hold for every role and action."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safeguard.accounts.models import Role
from safeguard.accounts.policy import (
    ADD_CHILD_ROLES,
    AUDIT_EXPORT_ALL_ROLES,
    AUDIT_EXPORT_ROLES,
    BREAK_GLASS_ROLES,
    POLICY,
    Action,
    Scope,
    scope_for,
)

roles = st.sampled_from(list(Role))
actions = st.sampled_from(list(Action))


@given(roles, actions)
def test_no_action_reaches_further_than_viewing(role, action):
    """Anyone who may change, decide, authorise or export a child's record may see it."""
    if action != Action.ADMINISTER:
        assert scope_for(role, action) <= max(scope_for(role, Action.VIEW), Scope.NONE)


@given(roles)
def test_partner_and_workforce_users_never_reach_child_records(role):
    if role in (Role.PARTNER_AGENCY, Role.WORKFORCE_LEAD, Role.HR_OFFICER, Role.SYSTEM_ADMINISTRATOR):
        assert all(scope_for(role, a) == Scope.NONE for a in Action if a != Action.ADMINISTER)


@given(st.text(max_size=30), actions)
def test_unknown_roles_get_nothing(role_name, action):
    if role_name not in {r.value for r in Role}:
        assert scope_for(role_name, action) == Scope.NONE


def test_every_role_has_an_entry():
    assert set(POLICY) == set(Role)


def test_special_role_sets_hold_only_staff():
    for group in (ADD_CHILD_ROLES, BREAK_GLASS_ROLES, AUDIT_EXPORT_ROLES):
        assert Role.PARTNER_AGENCY not in group
    assert AUDIT_EXPORT_ALL_ROLES <= AUDIT_EXPORT_ROLES


def test_only_case_holding_and_managing_roles_may_add_children():
    for role in ADD_CHILD_ROLES:
        assert scope_for(role, Action.EDIT) >= Scope.OWN
