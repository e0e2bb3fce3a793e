"""Demo accounts: one per role, made by the demo generator with a published password.

They are recognised by one flag, here and nowhere else, and work only in demo mode.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

# Every query for demo accounts starts from this.
DEMO_ACCOUNTS = Q(is_demo_account=True)


def is_demo_account(user: object) -> bool:
    return bool(getattr(user, "is_demo_account", False))


def may_use_account(user: object) -> bool:
    """False for a demo account outside demo mode: its password is in the README."""
    return settings.DEMO_MODE or not is_demo_account(user)
