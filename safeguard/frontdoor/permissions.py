"""Who may do what at the front door: plain predicates over role sets."""

from __future__ import annotations

from safeguard.accounts.models import Role, User
from safeguard.accounts.policy import FRONT_DOOR_ROLES
from safeguard.frontdoor.models import Contact

# Managers also authorise decisions and release referrer details.
FRONT_DOOR_MANAGER_ROLES = frozenset({Role.FRONT_DOOR_MANAGER})


def is_front_door(user: User) -> bool:
    return user.is_active and user.role in FRONT_DOOR_ROLES


def is_front_door_manager(user: User) -> bool:
    return user.is_active and user.role in FRONT_DOOR_MANAGER_ROLES


def can_see_referrer(user: User, contact: Contact) -> bool:
    """Front door staff see who raised a concern; others only once a manager released it."""
    if is_front_door(user):
        return True
    referrer = getattr(contact, "referrer", None)
    return referrer is not None and referrer.released_at is not None


__all__ = [
    "FRONT_DOOR_MANAGER_ROLES",
    "FRONT_DOOR_ROLES",
    "can_see_referrer",
    "is_front_door",
    "is_front_door_manager",
]
