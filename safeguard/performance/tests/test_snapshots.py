"""Month-end snapshots keep past months as they were, and the page cache follows changes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from safeguard.accounts.tests.factories import TeamFactory
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.performance import jobs, selectors, snapshots
from safeguard.performance.measure_models import MeasureSnapshot
from safeguard.performance.measures import Scope, Window

pytestmark = pytest.mark.django_db


def test_month_ends():
    assert snapshots.ended_months(dt.date(2026, 3, 15), 3) == [
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
    ]
    assert snapshots.month_end(dt.date(2024, 2, 10)) == dt.date(2024, 2, 29)


def test_the_month_end_job_stores_last_month_for_every_scope_and_past_months_never_change():
    team = TeamFactory()
    episode = EpisodeFactory(team=team, referral_date=dt.date(2026, 2, 10))
    stored = snapshots.measures_month_end(today=dt.date(2026, 3, 1))
    assert stored > 0
    council = MeasureSnapshot.objects.get(
        month_end=dt.date(2026, 2, 28), measure="referrals", scope_level="council"
    )
    assert council.numerator == 1
    assert (
        MeasureSnapshot.objects.filter(scope_level="team", scope_id=team.pk, measure="referrals")
        .get()
        .numerator
        == 1
    )
    # A correction to an old record later does not change the stored month.
    episode.referral_date = dt.date(2026, 3, 2)
    episode.save()
    snapshots.measures_month_end(today=dt.date(2026, 3, 1))
    council.refresh_from_db()
    assert council.numerator == 1


def test_the_job_runs_through_the_task_backend_and_is_in_the_schedule():
    assert [s.command for s in jobs.SCHEDULE] == ["measures_month_end"]
    out = io.StringIO()
    call_command("measures_month_end", stdout=out)
    assert "queued" in out.getvalue()
    assert MeasureSnapshot.objects.filter(scope_level="council").exists()


def test_the_page_is_cached_until_a_record_changes_or_the_job_runs(make_user, settings):
    settings.MEASURES_FINGERPRINT_SECONDS = 0
    director = make_user("director")
    window = Window.of(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    first = selectors.measures_page(user=director, window=window, scope=Scope.council())
    assert not first.from_cache
    again = selectors.measures_page(user=director, window=window, scope=Scope.council())
    assert again.from_cache and again.computed_at == first.computed_at
    EpisodeFactory(referral_date=dt.date(2026, 2, 10))
    changed = selectors.measures_page(user=director, window=window, scope=Scope.council())
    assert not changed.from_cache
    assert {f.id: f for _, rows in changed.groups for f in (r.figure for r in rows)}["referrals"].value == 1
    assert selectors.measures_page(user=director, window=window, scope=Scope.council()).from_cache
    snapshots.measures_month_end(today=dt.date(2026, 3, 1))
    assert not selectors.measures_page(user=director, window=window, scope=Scope.council()).from_cache


def test_the_fingerprint_is_kept_for_a_short_while_on_a_large_council(make_user, settings):
    settings.MEASURES_FINGERPRINT_SECONDS = 30
    director = make_user("director")
    window = Window.of(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    selectors.measures_page(user=director, window=window, scope=Scope.council())
    EpisodeFactory(referral_date=dt.date(2026, 2, 10))
    assert selectors.measures_page(user=director, window=window, scope=Scope.council()).from_cache
    snapshots.cache_bump()  # the month-end job (or the time running out) drops it
    assert not selectors.measures_page(user=director, window=window, scope=Scope.council()).from_cache
