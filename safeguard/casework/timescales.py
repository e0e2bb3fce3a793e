"""Statutory and local timescales, one named function each, with the guidance it follows.

Counting rules are in ``safeguard.core.calendar`` (the start date is day 0). Rows marked
"local policy" are configurable defaults (settings.LOCAL_TIMESCALES); the timescale in force
when a clock starts is stored on the clock, so a change applies to clocks started after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from safeguard.casework.models import ClockKind
from safeguard.core.calendar import add_calendar_months, add_working_days, last_working_day_on_or_before

ASSESSMENT_WORKING_DAYS = 45
ICPC_WORKING_DAYS = 15
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6


@dataclass(frozen=True)
class Timescale:
    working_days: int | None = None
    months: int | None = None

    def due(self, start: dt.date) -> dt.date:
        if self.working_days is not None:
            return add_working_days(start, self.working_days)
        assert self.months is not None
        # "Within 3 months" on a Saturday or a bank holiday means by the working day before:
        # the meeting cannot be held that day, and a later day would exceed the interval.
        return last_working_day_on_or_before(add_calendar_months(start, self.months))


def assessment_timescale() -> Timescale:
    """Child and family assessment concluded within 45 working days of the point of referral.

    Working Together to Safeguard Children 2023, chapter 3, "Assessment"; timescales.md row 2.
    """
    return Timescale(working_days=ASSESSMENT_WORKING_DAYS)


def icpc_timescale() -> Timescale:
    """Initial child protection conference within 15 working days of the strategy discussion
    at which the section 47 enquiry was initiated (the last one if several).

    Working Together 2023, chapter 3, "Initial child protection conferences"; CIN census
    InitialCPCtarget; timescales.md row 4.
    """
    return Timescale(working_days=ICPC_WORKING_DAYS)


def strategy_record_timescale() -> Timescale:
    """Strategy discussion record circulated: local policy (default 1 working day); row 3."""
    return Timescale(working_days=settings.LOCAL_TIMESCALES["strategy_record_working_days"])


def core_group_timescale() -> Timescale:
    """First core group within 10 working days of the ICPC: local policy default
    (Working Together 2018 flow chart); timescales.md row 5."""
    return Timescale(working_days=settings.LOCAL_TIMESCALES["core_group_working_days"])


def first_review_timescale() -> Timescale:
    """First review conference within 3 months of the ICPC.

    Working Together 2023, chapter 3, "Child protection review conference"; row 6.
    """
    return Timescale(months=FIRST_REVIEW_MONTHS)


def later_review_timescale() -> Timescale:
    """Later review conferences at intervals of no more than 6 months; row 7."""
    return Timescale(months=LATER_REVIEW_MONTHS)


def cp_visit_timescale() -> Timescale:
    """Statutory visits to a child on a plan: local policy (default 10 working days); row 8."""
    return Timescale(working_days=settings.LOCAL_TIMESCALES["cp_visit_working_days"])


def strategy_discussion_timescale() -> Timescale:
    """Strategy discussion held after the front door decided one was needed: local policy
    (default 1 working day). Working Together 2023 sets no number, so the council does; the
    clock measures the time from the decision to the discussion."""
    return Timescale(working_days=settings.LOCAL_TIMESCALES["strategy_discussion_working_days"])


def cin_review_timescale() -> Timescale:
    """Child in need plan reviewed: local policy (default every 3 months, first from the
    plan's start, then from the last review). Working Together 2023 ch.3 asks for regular
    reviews of the plan without fixing the interval."""
    return Timescale(months=settings.LOCAL_TIMESCALES["cin_review_months"])


def cin_visit_timescale() -> Timescale:
    """Visits to a child on a child in need plan: local policy (default every 20 working days)."""
    return Timescale(working_days=settings.LOCAL_TIMESCALES["cin_visit_working_days"])


TIMESCALES = {
    ClockKind.ASSESSMENT: assessment_timescale,
    ClockKind.ICPC: icpc_timescale,
    ClockKind.STRATEGY_RECORD: strategy_record_timescale,
    ClockKind.STRATEGY_DISCUSSION: strategy_discussion_timescale,
    ClockKind.CORE_GROUP: core_group_timescale,
    # The first review is due 3 months after the plan starts; ``cp_review_record`` starts each
    # later one with ``later_review_timescale`` (6 months).
    ClockKind.CP_REVIEW: first_review_timescale,
    ClockKind.CP_VISIT: cp_visit_timescale,
    ClockKind.CIN_REVIEW: cin_review_timescale,
    ClockKind.CIN_VISIT: cin_visit_timescale,
}
