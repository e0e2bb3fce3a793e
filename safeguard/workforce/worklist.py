"""Workforce work on the home page: supervision overdue and ASYE reviews coming due, for the
managers who supervise the team (``WORKFORCE_POLICY``'s ``SUPERVISE``); incentives due,
repayments outstanding and progression applications waiting, for the workforce lead and HR."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from safeguard.accounts.models import User
from safeguard.accounts.policy import WorkforceAction
from safeguard.core.worklist import WorkItem
from safeguard.workforce.rules import pounds
from safeguard.workforce.selectors import (
    applications_waiting,
    asye_reviews_due,
    may,
    may_see_pay,
    payments_due,
    quarter_of,
    repayments_outstanding,
    supervision_overdue,
)


def work_items(*, user: User, today: dt.date) -> list[WorkItem]:
    return _incentive_items(user=user, today=today) + _supervision_items(user=user, today=today)


def _incentive_items(*, user: User, today: dt.date) -> list[WorkItem]:
    """For the workforce lead and HR: instalments due by the end of the quarter, what
    leavers still owe, and progression applications waiting for a panel."""
    if not may_see_pay(user):
        return []
    _start, end = quarter_of(today)
    items = [
        WorkItem(
            group="Incentive payments due this quarter",
            title=f"{pounds(p.amount_pence)} to {p.award.staff.name}",
            href=reverse("workforce:staff", args=[p.award.staff_id]),
            detail=f"{p.award.scheme.name}, instalment {p.number}, due {p.due_on:%d %B %Y}",
            due=p.due_on,
            names_child=False,
        )
        for p in payments_due(until=end)
    ]
    items += [
        WorkItem(
            group="Repayments to recover",
            title=f"{pounds(a.outstanding_pence())} from {a.staff.name}",
            href=reverse("workforce:repayment_new", args=[a.pk]),
            detail=f"{a.scheme.name}: left on {a.staff.end_date:%d %B %Y}"
            if a.staff.end_date
            else a.scheme.name,
            names_child=False,
        )
        for a in repayments_outstanding()
    ]
    items += [
        WorkItem(
            group="Progression applications waiting for a panel",
            title=f"{a.staff.name}: {a.get_to_grade_display().lower()}",
            href=reverse("workforce:progression_decide", args=[a.pk]),
            detail=f"{a.staff.team.name}; sent {a.submitted_on:%d %B %Y}",
            names_child=False,
        )
        for a in applications_waiting()
    ]
    return items


def _supervision_items(*, user: User, today: dt.date) -> list[WorkItem]:
    if not may(user, WorkforceAction.SUPERVISE):
        return []
    items = [
        WorkItem(
            group="Supervision overdue",
            title=f"Supervision for {s.staff.name}",
            href=reverse("workforce:supervision_new", args=[s.staff.pk]),
            detail=f"Due {s.due:%d %B %Y}; last {s.last:%d %B %Y}"
            if s.last
            else f"Due {s.due:%d %B %Y}; none yet",
            due=s.due,
            names_child=False,
        )
        for s in supervision_overdue(user=user, today=today)
    ]
    items += [
        WorkItem(
            group="ASYE reviews due",
            title=f"{review.get_kind_display()} for {review.staff.name}",
            href=reverse("workforce:asye_review", args=[review.pk]),
            detail=("Overdue since " if review.due_on < today else "Due ") + f"{review.due_on:%d %B %Y}",
            due=review.due_on,
            names_child=False,
        )
        for review in asye_reviews_due(user=user, today=today)
    ]
    return items
