"""Factories for workforce records (fictional people only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from safeguard.accounts.models import Grade
from safeguard.accounts.tests.factories import TeamFactory
from safeguard.workforce.models import (
    AsyeCohort,
    EmploymentKind,
    IncentiveScheme,
    Post,
    RepaymentRule,
    StaffRecord,
)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Social worker post {n}")
    grade = Grade.SOCIAL_WORKER
    funded_fte = Decimal("1.00")
    case_holding = True


class StaffRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRecord

    first_name = "Robin"
    last_name = factory.Sequence(lambda n: f"Staffer{n}")
    team = factory.SubFactory(TeamFactory)
    kind = EmploymentKind.EMPLOYED
    fte = Decimal("1.00")
    grade = Grade.SOCIAL_WORKER
    social_work_england_number = factory.Sequence(lambda n: f"SW{700000 + n}")
    start_date = dt.date(2024, 1, 8)


class AsyeCohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AsyeCohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = dt.date(2025, 9, 1)


class IncentiveSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncentiveScheme

    name = factory.Sequence(lambda n: f"Scheme {n}")
    kind = "golden_hello"
    grade = Grade.TEAM_MANAGER
    amount_pence = 500_000
    clawback_months = 12
    repayment_rule = RepaymentRule.FULL
