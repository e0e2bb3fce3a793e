"""A worker's census failures on their home page, read from the latest build."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory
from safeguard.returns.cin_census.services import cin_census_run
from safeguard.returns.models import ReturnKind, ReturnRun, RunStatus
from safeguard.returns.worklist import work_items

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
TODAY = D("2026-04-10")


def _closed_without_assessment(la_child_id: str, worker, family_name: str):
    child = ChildFactory(
        la_child_id=la_child_id, given_name="Ruby", family_name=family_name, date_of_birth=D("2022-03-01")
    )
    return EpisodeFactory(
        child=child,
        worker=worker,
        referral_date=D("2025-08-01"),
        closure_date=D("2025-09-01"),
        reason_for_closure="RC8",
    )


def _built() -> ReturnRun:
    run = ReturnRun.objects.create(
        kind=ReturnKind.CIN_CENSUS, period=2026, spec_version="x", started_at=dt.datetime.now(dt.UTC)
    )
    return cin_census_run(run_id=str(run.pk))


def test_a_worker_sees_their_own_census_failures_from_the_last_build():
    worker, other = UserFactory(role=Role.SOCIAL_WORKER), UserFactory(role=Role.SOCIAL_WORKER)
    episode = _closed_without_assessment("HM000000300", worker, "Mine")
    _closed_without_assessment("HM000000301", other, "Theirs")
    assert work_items(user=worker, today=TODAY) == []  # no build yet
    _built()
    items = work_items(user=worker, today=TODAY)
    assert [i.title for i in items] == ["Ruby Mine: fix the census record"]
    assert items[0].href == reverse("casework:episode_detail", args=[episode.pk])
    assert "8825Q" in items[0].detail
    assert [i.title for i in work_items(user=other, today=TODAY)] == ["Ruby Theirs: fix the census record"]
    assert work_items(user=UserFactory(role=Role.SOCIAL_WORKER), today=TODAY) == []


def test_the_work_list_reads_the_stored_failures_not_the_rules(monkeypatch):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    _closed_without_assessment("HM000000310", worker, "Mine")
    _built()
    work_items(user=worker, today=TODAY)  # fills the per-run index

    def no_rules(*args, **kwargs):
        raise AssertionError("the work list ran the census rules")

    monkeypatch.setattr("safeguard.returns.cin_census.rules.check_child", no_rules)
    with CaptureQueriesContext(connection) as queries:
        assert len(work_items(user=worker, today=TODAY)) == 1
    assert len(queries) <= 4


def test_the_analyst_sees_the_latest_build_to_clear():
    analyst = UserFactory(role=Role.PERFORMANCE_ANALYST)
    _closed_without_assessment("HM000000320", UserFactory(role=Role.SOCIAL_WORKER), "Mine")
    run = _built()
    assert run.status == RunStatus.SUCCEEDED
    [item] = work_items(user=analyst, today=TODAY)
    # The child's 8825Q, and the whole return's 2887Q and 2888Q (one child, no disability).
    assert item.title == "Census 2025 to 2026: 0 errors and 3 queries"
    assert item.href == reverse("returns:cin_census_run", args=[run.pk])
    assert not item.names_child
