"""The front door decision clock (timescales.md row 1).

Source: Working Together to Safeguard Children 2023, chapter 3, "Referral": the local
authority decides what happens next within one working day of a referral. Day 0 is the
Europe/London date the contact was received, whatever day of the week it is.

The decision is met on the day it takes effect: when the practitioner decides, or, for a
decision the council reserves for a manager, when the manager authorises it. The time the
decision waited for the manager is shown apart, so a queue of decisions waiting for
authorisation is seen for what it is rather than hidden in the practitioners' times.
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


@dataclass(frozen=True)
class DecisionTiming:
    """Where a contact's decision stands against its clock (all Europe/London dates)."""

    received_on: dt.date
    due: dt.date
    decided_on: dt.date | None
    """The practitioner's decision (the last one, if a manager returned an earlier one)."""
    final_on: dt.date | None
    """When the decision took effect; None while it waits for a manager."""
    today: dt.date

    @property
    def met(self) -> bool | None:
        """True if the decision took effect on time, False if late, None while undecided
        and not yet overdue."""
        if self.final_on is not None:
            return self.final_on <= self.due
        return False if self.today > self.due else None

    @property
    def days_to_decision(self) -> int | None:
        """Working days from receipt to the practitioner's decision."""
        if self.decided_on is None:
            return None
        return working_days_between(self.received_on, self.decided_on)

    @property
    def days_waiting_for_manager(self) -> int | None:
        """Working days from the practitioner's decision to the manager's authorisation
        (to today while it still waits). Zero when no manager was needed."""
        if self.decided_on is None:
            return None
        return working_days_between(self.decided_on, self.final_on or self.today)


def decision_timing(
    *,
    received_on: dt.date,
    due: dt.date,
    decided_on: dt.date | None,
    final_on: dt.date | None,
    today: dt.date,
) -> DecisionTiming:
    return DecisionTiming(received_on, due, decided_on, final_on, today)


def _days(count: int) -> str:
    return f"{count} working day{'s' if count != 1 else ''}"
