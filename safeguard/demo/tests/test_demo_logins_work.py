"""Every demo login has real work waiting, read through the home page's own selector
(``home.selectors.home_for_user``), and the second logins show access control at work.

One small council seeded for today (the home page works to ``timezone.localdate()``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from safeguard.accounts.models import Role, TeamKind, User
from safeguard.casework.models import Assessment, AssessmentStatus, CINEpisode, ClockKind
from safeguard.casework.selectors import receiving_team_for
from safeguard.demo import names
from safeguard.demo.generator import SeedOptions, demo_users, generate
from safeguard.demo.logins import demo_logins
from safeguard.demo.organisation import DEMO_LOGINS
from safeguard.demo.tests.support import wipe_demo_data
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.partner_selectors import Stage, partner_agency_for, partner_referral_list
from safeguard.frontdoor.selectors import QueueFilters, contact_queue
from safeguard.home.selectors import home_for_user
from safeguard.people.permissions import children_for

CHILDREN = 1200
REVIEWS_AHEAD_DAYS = 28


@pytest.fixture(scope="module")
def logins(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, User]]:
    with django_db_blocker.unblock():
        generate(SeedOptions(children=CHILDREN, seed=5, today=timezone.localdate()))
        users = {user.email.split("@")[0].replace(".", "_"): user for user in demo_users()}
        yield users
        wipe_demo_data()


pytestmark = pytest.mark.django_db


def _open_episodes(user: User) -> list[CINEpisode]:
    return list(CINEpisode.objects.filter(worker=user, closure_date__isnull=True))


def test_there_is_a_login_per_role_and_a_second_where_access_differs(logins: dict[str, User]) -> None:
    assert set(logins) == {key for key, _role in DEMO_LOGINS}
    assert {user.role for user in logins.values()} == {role.value for role in Role}
    assert logins["social_worker_2"].team_id != logins["social_worker"].team_id
    assert logins["partner_agency_2"].agency_name != logins["partner_agency"].agency_name


@pytest.mark.parametrize("key", ["social_worker", "senior_practitioner", "social_worker_2"])
def test_case_holders_have_children_assessments_and_clocks(logins: dict[str, User], key: str) -> None:
    user = logins[key]
    page = home_for_user(user=user)
    children = page.data["my_children"]
    assert 10 <= len(children) <= 18
    assert page.data["clocks"], "no clocks running on the home page"
    in_progress = Assessment.objects.filter(
        episode__in=children, authorised_date__isnull=True, status=AssessmentStatus.IN_PROGRESS
    )
    assert in_progress.exists(), "no assessment in progress"


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("social_worker", ClockKind.CP_VISIT),
        ("senior_practitioner", ClockKind.CP_VISIT),
        ("social_worker_2", ClockKind.CIN_VISIT),
    ],
)
def test_case_holders_have_visits_due(logins: dict[str, User], key: str, kind: str) -> None:
    clocks = home_for_user(user=logins[key]).data["clocks"]
    assert any(view.clock.kind == kind for view in clocks)


def test_team_manager_has_assessments_to_authorise_and_referrals_to_allocate(
    logins: dict[str, User],
) -> None:
    manager = logins["team_manager"]
    page = home_for_user(user=manager)
    assert page.data["clocks"] and page.data["caseloads"]
    assert len(page.data["to_allocate"]) >= 2
    assert len(page.data["to_authorise"]) >= 2
    submitted = Assessment.objects.filter(
        status=AssessmentStatus.SUBMITTED,
        episode__team_id=manager.team_id,
        episode__closure_date__isnull=True,
    )
    assert submitted.count() >= 2
    # Four eyes: someone else wrote and sent each one.
    assert all(a.submitted_by_id not in (None, manager.pk) for a in submitted)
    assert all(a.sections.exclude(text="").count() == 5 and a.factors and a.outcome for a in submitted)


@pytest.mark.parametrize("key", ["front_door_practitioner", "front_door_manager"])
def test_front_door_has_a_live_queue_with_contacts_today(logins: dict[str, User], key: str) -> None:
    user = logins[key]
    home_for_user(user=user)  # the home page works for them
    queue = contact_queue(user=user, filters=QueueFilters(), page_number=1)
    assert queue.paginator.count >= 8
    assert any(c.received_on == timezone.localdate() for c in queue.object_list)


def test_conference_chair_has_reviews_coming(logins: dict[str, User]) -> None:
    reviews = home_for_user(user=logins["conference_chair"]).data["reviews"]
    assert any(0 <= r.days_left <= REVIEWS_AHEAD_DAYS for r in reviews)


@pytest.mark.parametrize("key", ["performance_analyst", "director", "service_manager"])
def test_figures_for_those_who_read_them(logins: dict[str, User], key: str) -> None:
    headlines = home_for_user(user=logins[key]).data["headlines"]
    assert all(h.value != "No data yet" for h in headlines)


@pytest.mark.parametrize("key", ["workforce_lead", "director", "service_manager"])
def test_caseloads_for_those_who_watch_them(logins: dict[str, User], key: str) -> None:
    assert home_for_user(user=logins[key]).data["caseloads"]


def test_system_administrator_has_accounts_to_manage(logins: dict[str, User]) -> None:
    admin = home_for_user(user=logins["system_administrator"]).data["admin"]
    assert admin["users"] > 50 and admin["teams"] > 10


@pytest.mark.parametrize("key", ["partner_agency", "partner_agency_2"])
def test_partners_have_their_agencys_contacts_some_waiting(logins: dict[str, User], key: str) -> None:
    # Read as the partner pages read it: the agency through the membership, then its referrals.
    user = logins[key]
    assert home_for_user(user=user).sections == ["partner"]
    agency = partner_agency_for(user)
    assert agency is not None, "partner login not linked to an agency"
    assert agency.name == user.agency_name
    referrals = partner_referral_list(user=user, agency=agency)
    assert referrals
    assert {r.stage for r in referrals} >= {Stage.DECIDED, Stage.RECEIVED}
    assert any(r.feedback for r in referrals), "no decided referral with its feedback"


def test_every_partner_user_is_linked_to_their_agency(logins: dict[str, User]) -> None:
    partners = User.objects.filter(role=Role.PARTNER_AGENCY)
    assert partners.count() > len([k for k in logins if k.startswith("partner")])
    for user in partners:
        agency = partner_agency_for(user)
        assert agency is not None and agency.name == user.agency_name


def test_a_social_worker_in_another_team_cannot_see_the_first_ones_children(
    logins: dict[str, User],
) -> None:
    first, second = logins["social_worker"], logins["social_worker_2"]
    theirs = {e.child_id for e in _open_episodes(first)}
    assert theirs <= set(children_for(first).values_list("pk", flat=True))
    assert not set(children_for(second).filter(pk__in=theirs).values_list("pk", flat=True))


def test_partners_of_different_agencies_have_different_contacts(logins: dict[str, User]) -> None:
    police_user, health_user = logins["partner_agency"], logins["partner_agency_2"]
    police_agency, health_agency = partner_agency_for(police_user), partner_agency_for(health_user)
    assert police_agency is not None and health_agency is not None
    police = {r.id for r in partner_referral_list(user=police_user, agency=police_agency)}
    health = {r.id for r in partner_referral_list(user=health_user, agency=health_agency)}
    assert police and health and not police & health
    # Each sees only contacts their own agency sent.
    assert set(Contact.objects.filter(pk__in=police).values_list("agency", flat=True)) == {police_agency.pk}


def test_demo_logins_says_what_is_waiting_for_everyone(logins: dict[str, User]) -> None:
    rows = demo_logins(demo_users(), timezone.localdate())
    assert len(rows) == len(DEMO_LOGINS)
    assert all(row.team and row.waiting for row in rows)
    manager = next(r for r in rows if r.email == logins["team_manager"].email)
    assert "to authorise" in manager.waiting and "to allocate" in manager.waiting


def test_every_demo_postcode_district_has_a_receiving_team(logins: dict[str, User]) -> None:
    """The front door's decision offers the team covering the child's postcode district."""
    for _town, districts in names.TOWNS:
        for district in districts:
            team = receiving_team_for(child=None, postcode=f"{names.POSTCODE_AREA}{district} 1AA")
            assert team is not None and team.kind == TeamKind.ASSESSMENT, district
