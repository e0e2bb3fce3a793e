"""The front door decision clock (timescales.md row 1).

Source: Working Together to Safeguard Children 2023, chapter 3, "Referral": the local
authority decides what happens next within one working day of a referral. Day 0 is the
Europe/London date the contact was received, whatever day of the week it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.core.calendar import add_working_days, working_days_between

DECISION_WORKING_DAYS = 1


def decision_due(received_on: dt.date) -> dt.date:
    """The date a front door decision is due: 1 working day after receipt."""
    return add_working_days(received_on, DECISION_WORKING_DAYS)


@dataclass(frozen=True)
class ClockTag:
    text: str
    colour: str  # a GOV.UK tag modifier; the words carry the meaning, never the colour alone


def clock_tag(due: dt.date, today: dt.date) -> ClockTag:
    if due < today:
        days = working_days_between(due, today)
        # Due on a Friday and looked at on Saturday: late, but by no working day yet.
        return ClockTag(f"Overdue by {_days(days)}" if days > 0 else "Overdue", "red")
    if due == today:
        return ClockTag("Due today", "orange")
    days = working_days_between(today, due)
    return ClockTag(f"Due in {_days(days)}", "blue")


def _days(count: int) -> str:
    return f"{count} working day{'s' if count != 1 else ''}"
