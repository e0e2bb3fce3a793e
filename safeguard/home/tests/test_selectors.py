"""The home page's work lists."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard.accounts.models import Role
from safeguard.audit.models import AccessLogEntry
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.home.selectors import home_for_user

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
