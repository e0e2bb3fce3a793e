"""Who may authenticate: every path (the sign-in page, the admin's login, any
``authenticate()`` call, and every request of an existing session) comes through here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from safeguard.accounts.demo import may_use_account


class StaffBackend(ModelBackend):
    """Django's password backend, refusing demo accounts outside demo mode."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and may_use_account(user)
