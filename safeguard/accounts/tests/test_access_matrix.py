"""The access matrix: every URL, as every role, in every relationship to a child.

Each answer is compared with ``URL_POLICY`` and ``POLICY`` in ``safeguard.accounts.policy``.
The expected answer is worked out here from the policy table alone, independently of the
querysets that enforce it, so a change to either side that makes them disagree fails.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from safeguard.accounts.models import Role, Service, Team, TeamKind, User
from safeguard.accounts.policy import (
    POLICY,
    Action,
    ChildList,
    ChildRecord,
    ManagedChildAction,
    ObjectPage,
    PostOnly,
    Public,
    Roles,
    Scope,
    url_rules,
)
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.people.models import BreakGlassGrant, Person, SealedRecordAccess
from safeguard.people.tests.factories import ChildFactory

RELATIONS = (
    "allocated",  # an open episode with the user as worker
    "same_team",  # an open episode held by the user's team, another worker
    "same_service",  # an open episode held by another team in the user's service
    "other_service",  # an open episode in another service; the child is on a CP plan
    "closed",  # only a closed episode
    "sealed",  # allocated to the user, but sealed without naming them
    "sealed_named",  # sealed, and the user is named on the seal
    "break_glass",  # another service's child, with a current break-glass grant
)


def _url_names(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = ":".join(p for p in (namespace, entry.namespace or "") if p)
            yield from _url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def test_every_url_has_a_policy_entry():
    names = {name for name, _ in _url_names(get_resolver())}
    assert names - set(url_rules()) == set(), "URLs without an access policy"
    assert set(url_rules()) - names == set(), "policy entries for URLs that no longer exist"


def expected_child_access(role: Role, action: Action, relation: str) -> bool:
    scope = POLICY[role].get(action, Scope.NONE)
    if relation == "sealed":
        return False
    if relation == "sealed_named":
        return action == Action.VIEW
    if relation == "break_glass" and action == Action.VIEW:
        return True
    if scope == Scope.ALL:
        return True
    if action == Action.MERGE and relation == "closed" and scope > Scope.NONE:
        # No team holds a closed record: it can be merged by whoever may view it.
        return expected_child_access(role, Action.VIEW, relation)
    own = "other_service" if role == Role.CONFERENCE_CHAIR else "allocated"
    reach = {
        Scope.NONE: set(),
        Scope.OWN: {own},
        Scope.TEAM: {own, "allocated", "same_team"} if role != Role.CONFERENCE_CHAIR else {own},
        Scope.SERVICE: {own, "allocated", "same_team", "same_service"},
    }[scope]
    return relation in reach


def _marker(relation: str) -> str:
    """A family name unique to the relation, and not a prefix of another one."""
    return relation.replace("_", "").capitalize() + "zq"


def _expected_status(rule: ChildRecord | ManagedChildAction, role: Role, relation: str) -> int:
    if isinstance(rule, ChildRecord):
        return 200 if expected_child_access(role, rule.action, relation) else 404
    if not expected_child_access(role, Action.VIEW, relation):
        return 404
    if rule.action is not None and not expected_child_access(role, rule.action, relation):
        return 403
    return 200 if role in rule.roles else 403


@dataclass
class World:
    user: User
    children: dict[str, Person]
    # Real records for the pages addressed by a key other than a child's (the system
    # administrator's pages): URL keyword -> key. Other keys get a random UUID.
    objects: dict[str, uuid.UUID]


def _build_world(role: Role) -> World:
    service_a = Service.objects.create(name="Service A")
    service_b = Service.objects.create(name="Service B")
    own_team = Team.objects.create(name="Team A1", kind=TeamKind.ASSESSMENT, service=service_a)
    sibling_team = Team.objects.create(name="Team A2", kind=TeamKind.CHILD_PROTECTION, service=service_a)
    far_team = Team.objects.create(name="Team B1", kind=TeamKind.CHILD_PROTECTION, service=service_b)
    user: User = UserFactory(role=role, team=own_team)
    if role == Role.PARTNER_AGENCY:
        # A partner signs in for an agency; the agency's pages are tested in
        # frontdoor/tests/test_partner_views.py with two agencies and an unlinked account.
        from safeguard.frontdoor.models import AgencyType, PartnerAgency
        from safeguard.frontdoor.partner_services import partner_membership_set

        agency = PartnerAgency.objects.create(name="Matrix School", agency_type=AgencyType.SCHOOL)
        partner_membership_set(actor=None, user=user, agency=agency)
    colleague: User = UserFactory(role=Role.SOCIAL_WORKER, team=own_team)
    children: dict[str, Person] = {}

    def child(relation: str, *, worker: User | None, team: Team, **kwargs: object) -> Person:
        person: Person = ChildFactory(given_name="Matrix", family_name=_marker(relation), **kwargs)
        EpisodeFactory(child=person, worker=worker, team=team)
        children[relation] = person
        return person

    child("allocated", worker=user, team=own_team)
    child("same_team", worker=colleague, team=own_team)
    child("same_service", worker=None, team=sibling_team)
    far = child("other_service", worker=None, team=far_team)
    CPPlanFactory(child=far, episode=far.episodes.get())
    closed = ChildFactory(given_name="Matrix", family_name=_marker("closed"))
    EpisodeFactory(
        child=closed, worker=user, team=own_team, closure_date=dt.date(2026, 10, 1), reason_for_closure="RC7"
    )
    children["closed"] = closed
    child("sealed", worker=user, team=own_team, is_sealed=True)
    named = child("sealed_named", worker=None, team=far_team, is_sealed=True)
    SealedRecordAccess.objects.create(person=named, user=user)
    glass = child("break_glass", worker=None, team=far_team)
    BreakGlassGrant.objects.create(
        person=glass,
        user=user,
        reason="Police called out of hours",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    objects = {"account_id": colleague.pk, "team_id": own_team.pk, "service_id": service_a.pk}
    return World(user, children, objects)


def _path(name: str, pattern: URLPattern, child: Person | None, objects: dict[str, uuid.UUID]) -> str:
    kwargs: dict[str, object] = {}
    for key, converter in pattern.pattern.converters.items():
        if "UUID" in type(converter).__name__:
            kwargs[key] = child.pk if child is not None else objects.get(key, uuid.uuid4())
        else:
            kwargs[key] = "name"
    return reverse(name, kwargs=kwargs or None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_access_matrix(client, role):
    world = _build_world(role)
    client.force_login(world.user)
    mismatches: list[str] = []
    checked = 0
    rules = url_rules()
    for name, pattern in _url_names(get_resolver()):
        rule = rules[name]
        if isinstance(rule, ChildRecord | ManagedChildAction):
            for relation, child in world.children.items():
                status = client.get(_path(name, pattern, child, world.objects)).status_code
                expected = _expected_status(rule, role, relation)
                if status != expected:
                    mismatches.append(f"{name} {relation}: got {status}, expected {expected}")
                checked += 1
            continue
        status = client.get(_path(name, pattern, None, world.objects)).status_code
        checked += 1
        if isinstance(rule, ObjectPage):
            ok = status == 404
        elif isinstance(rule, Public):
            ok = status in (200, 302)
        elif isinstance(rule, PostOnly):
            ok = status == 405
        elif isinstance(rule, Roles):
            ok = status in rule.allowed_statuses if role in rule.roles else status == 403
        elif isinstance(rule, ChildList) and role not in rule.roles:
            ok = status == 403
        elif isinstance(rule, ChildList):
            ok = status == 200
            html = client.get(_path(name, pattern, None, world.objects)).content.decode()
            for relation in world.children:
                shown = f"Matrix {_marker(relation)}" in html
                if shown != expected_child_access(role, Action.VIEW, relation):
                    mismatches.append(f"{name} lists {relation}: shown={shown}")
        else:  # pragma: no cover - a new kind of rule must be taught to this test
            raise AssertionError(f"unknown rule {rule!r}")
        if not ok:
            mismatches.append(f"{name}: got {status} for {role.value}")
    assert checked > len(world.children)
    assert not mismatches, "\n".join(mismatches)
