"""The apps whose work appears on the home page, each through its own ``work_items``.

A new app adds one line here: a callable ``(*, user, today) -> list[WorkItem]`` that
selects only what that user may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from safeguard.accounts.models import User
from safeguard.conferences import worklist as conferences
from safeguard.core.worklist import WorkItem
from safeguard.returns import worklist as returns_worklist
from safeguard.workforce import worklist as workforce_worklist

WorkItemProvider = Callable[..., list[WorkItem]]

PROVIDERS: Sequence[WorkItemProvider] = (
    conferences.work_items,
    returns_worklist.work_items,
    workforce_worklist.work_items,
)


def work_items_for(*, user: User, today: dt.date) -> list[WorkItem]:
    """Every provider's items, urgent first, then by due date (undated last)."""
    items = [item for provider in PROVIDERS for item in provider(user=user, today=today)]
    return sorted(items, key=lambda i: (not i.urgent, i.due is None, i.due or today, i.group, i.title))
