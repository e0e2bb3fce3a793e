"""A child's history: contacts, referrals and plans about them, together in date order.

The records live in the apps above people (contacts in the front door, referrals and plans
in casework), which people may not import (docs/adr/0008-layers.md). So each of those apps
registers a source here when it starts (its ``AppConfig.ready``), and the child's page asks
every source. A source is given the user and a child the user may already see, returns
only what that user may see, and links an entry only where the user may open it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from safeguard.accounts.models import User
from safeguard.people.models import Person


class HistoryKind(StrEnum):
    CONTACT = "contact"
    REFERRAL = "referral"
    PLAN = "plan"


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the history; the page supplies the words around it.

    ``label`` names the record (a contact's reference, a referral's source, a plan's
    category); ``outcome`` is where it ended (a contact's decision, the reason an episode
    closed), empty while it is open; ``url`` is set only where the user may open it.
    """

    kind: HistoryKind
    date: dt.date
    label: str
    url: str | None = None
    is_open: bool = False
    outcome: str = ""
    ended_on: dt.date | None = None
    worker: str = ""
    # Identifies the record, so a page about one of them can leave it out.
    key: str = ""


HistorySource = Callable[[User, Person], Iterable[HistoryEntry]]

_SOURCES: list[HistorySource] = []
# The order of kinds on one day: a contact comes in, then the referral it leads to.
_SAME_DAY_ORDER = {HistoryKind.CONTACT: 0, HistoryKind.REFERRAL: 1, HistoryKind.PLAN: 2}


def history_source_register(source: HistorySource) -> HistorySource:
    """Add a source of history entries (called once per app, from ``ready``)."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def history_for(
    *, user: User, child: Person, kinds: Iterable[HistoryKind] = tuple(HistoryKind), limit: int | None = None
) -> list[HistoryEntry]:
    """Every source's entries for ``child`` of the ``kinds`` asked for, newest first. The
    caller has already read the child under the access rule (and logged that read)."""
    wanted = set(kinds)
    entries = [e for source in _SOURCES for e in source(user, child) if e.kind in wanted]
    entries.sort(key=lambda e: (e.date, _SAME_DAY_ORDER[e.kind]), reverse=True)
    return entries[:limit] if limit is not None else entries
