"""One item on a person's work list, as any app reports it to the home page.

Apps above the kernel each offer a ``worklist.py`` with ``work_items(*, user, today)``
returning these; the home app lists the providers (``safeguard.home.worklist``), so the
home page never has to learn an app's models and no app has to learn the home page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkItem:
    """A thing waiting for this person: grouped under ``group`` on the home page.

    ``names_child`` says the item shows a child's name, so listing it is written to the
    access log; ``urgent`` items (a child who says they feel unsafe) are shown first and red.
    """

    group: str
    title: str
    href: str
    detail: str = ""
    due: dt.date | None = None
    urgent: bool = False
    names_child: bool = True
