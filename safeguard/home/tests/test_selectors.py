"""The home page's work lists and caseloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.audit.models import AccessLogEntry
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.home.selectors import home_for_user
from safeguard.workforce.caseloads import worker_loads

pytestmark = pytest.mark.django_db


def test_work_lists_that_name_children_are_logged_as_one_list(social_worker):
    EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 6, 1))
    home_for_user(user=social_worker)
    [entry] = AccessLogEntry.objects.filter(user=social_worker)
    assert (entry.what, entry.action, entry.child_id) == ("work_list", "list", None)
    assert entry.detail == "Home page: clocks (0), children allocated (1)"


def test_a_home_page_of_figures_only_is_not_a_list(make_user):
    analyst = make_user(Role.PERFORMANCE_ANALYST)
    home_for_user(user=analyst)
    assert not AccessLogEntry.objects.filter(user=analyst).exists()


def test_a_team_managers_lists_are_logged_with_the_rest(make_user):
    manager = make_user(Role.TEAM_MANAGER)
    EpisodeFactory(team=manager.team, referral_date=dt.date(2026, 6, 1))
    home_for_user(user=manager)
    [entry] = AccessLogEntry.objects.filter(user=manager)
    assert entry.detail == ("Home page: clocks (0), referrals to allocate (1), assessments to authorise (0)")


def _caseload_of_three(manager, worker):
    """Three children for ``worker``: one on a child protection plan, two not."""
    for _ in range(2):
        EpisodeFactory(worker=worker, team=manager.team, referral_date=dt.date(2026, 6, 1))
    protected = EpisodeFactory(worker=worker, team=manager.team, referral_date=dt.date(2026, 6, 1))
    CPPlanFactory(episode=protected, child=protected.child, start_date=dt.date(2026, 7, 1))


@pytest.mark.parametrize("weights, weighted", [({}, Decimal("3.5")), ({"cp_plan": 3}, Decimal(5))])
def test_the_home_caseloads_use_workforces_configured_weights(make_user, settings, weights, weighted):
    settings.WORKFORCE_CASE_WEIGHTS = weights
    manager = make_user(Role.TEAM_MANAGER)
    worker = make_user(Role.SOCIAL_WORKER, team=manager.team, fte=Decimal("0.2"))
    _caseload_of_three(manager, worker)
    page = home_for_user(user=manager)
    [(team, [load])] = page.data["caseloads"]
    assert team == manager.team and load.user == worker
    assert (load.children, load.weighted) == (3, weighted)
    # The same figure as the allocation page reads.
    assert load.weighted == worker_loads([worker], on=timezone.localdate())[worker.pk].weighted
    assert load.capacity == Decimal(manager.team.caseload_policy) * Decimal("0.2")
    assert load.over_policy == (weighted > load.capacity)
