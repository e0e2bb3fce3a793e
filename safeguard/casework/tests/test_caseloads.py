"""Casework's counter of the children each worker holds, as workforce sees it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from safeguard.accounts.models import User
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.models import CINPlan
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.workforce.caseloads import case_counts, worker_loads

pytestmark = pytest.mark.django_db
D = dt.date


def test_children_held_on_a_day_are_counted_by_kind_and_weighted():
    worker: User = UserFactory()
    other: User = UserFactory()
    EpisodeFactory(worker=worker, referral_date=D(2026, 9, 1))
    EpisodeFactory(
        worker=worker, referral_date=D(2026, 9, 1), closure_date=D(2026, 10, 1), reason_for_closure="RC8"
    )
    EpisodeFactory(worker=worker, referral_date=D(2026, 12, 1))  # not yet referred on the day
    CPPlanFactory(
        episode=EpisodeFactory(worker=worker, referral_date=D(2026, 8, 1)), start_date=D(2026, 10, 1)
    )
    on_cin = EpisodeFactory(worker=worker, referral_date=D(2026, 8, 1))
    CINPlan.objects.create(episode=on_cin, start_date=D(2026, 9, 10))
    EpisodeFactory(worker=other, referral_date=D(2026, 9, 1))
    on = D(2026, 11, 1)
    assert case_counts([worker.pk], on=on) == {worker.pk: {"other": 1, "cp_plan": 1, "cin_plan": 1}}
    load = worker_loads([worker], on=on)[worker.pk]
    # 1 + 1.5 (a child protection plan) + 1
    assert (load.children, load.weighted) == (3, Decimal("3.5"))
