"""The home page's headline figures come from the measures registry."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard.casework.models import Assessment
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory
from safeguard.performance.headlines import headline_figures, reporting_year_start

pytestmark = pytest.mark.django_db


def test_reporting_year_starts_on_1_april():
    assert reporting_year_start(dt.date(2026, 11, 29)) == dt.date(2026, 4, 1)
    assert reporting_year_start(dt.date(2027, 3, 31)) == dt.date(2026, 4, 1)


def test_headlines_count_re_referrals_and_assessment_timeliness():
    child = ChildFactory()
    EpisodeFactory(
        child=child,
        referral_date=dt.date(2026, 2, 1),
        closure_date=dt.date(2026, 3, 1),
        reason_for_closure="RC7",
    )
    again = EpisodeFactory(child=child, referral_date=dt.date(2026, 9, 1))
    EpisodeFactory(referral_date=dt.date(2026, 9, 2))
    # 45 working days exactly (on time) and 46 (late).
    Assessment.objects.create(
        episode=again, start_date=dt.date(2026, 9, 1), authorised_date=dt.date(2026, 11, 3)
    )
    Assessment.objects.create(
        episode=again, start_date=dt.date(2026, 9, 1), authorised_date=dt.date(2026, 11, 4)
    )
    figures = {
        h.label: h.value for h in headline_figures(today=dt.date(2026, 11, 29), child_population=10_000)
    }
    assert figures["Referrals"] == "2"
    assert figures["Re-referrals within 12 months"] == "50.0%"
    assert figures["Assessments within 45 working days"] == "50.0%"
    assert figures["Median assessment duration"] == "46 working days"
    assert figures["Initial conferences within 15 working days"] == "No data yet"
    assert figures["Children in need per 10,000"] == "2"
