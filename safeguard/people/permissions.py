"""Who may see and change people's records (plain predicates)."""

from __future__ import annotations

from safeguard.accounts.models import Role, User

_NO_CHILD_RECORDS = frozenset({Role.PARTNER_AGENCY, Role.WORKFORCE_LEAD})
_MAY_ADD_CHILDREN = frozenset(
    {
        Role.FRONT_DOOR_PRACTITIONER,
        Role.FRONT_DOOR_MANAGER,
        Role.SOCIAL_WORKER,
        Role.SENIOR_PRACTITIONER,
        Role.TEAM_MANAGER,
    }
)


def can_view_child_records(user: User) -> bool:
    return user.is_active and user.role not in _NO_CHILD_RECORDS


def can_add_child(user: User) -> bool:
    return user.is_active and user.role in _MAY_ADD_CHILDREN
