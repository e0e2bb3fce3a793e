"""Who may see and change children's records, from the policy table in
``safeguard.accounts.policy``. One rule builds both the queryset filter (lists, search,
counts) and the single-record check (detail pages), so they can never disagree.

A user's own, team's and service's children are those their current involvements say
(``Involvement`` rows, written by the services that give staff work with a child): the rule
reads only this app's tables, whichever app made the relationship."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.accounts.policy import ADD_CHILD_ROLES, BREAK_GLASS_ROLES, SEAL_ROLES, Action, Scope, scope_for
from safeguard.people.models import BreakGlassGrant, Involvement, InvolvementKind, Person, SealedRecordAccess


def _current(kind: InvolvementKind) -> QuerySet[Involvement]:
    """The child's current involvements of ``kind`` (for use in ``Exists``)."""
    return Involvement.objects.filter(child=OuterRef("pk"), kind=kind, ended_on__isnull=True)


def _scope_filter(user: User, scope: Scope) -> Q | None:
    """Children within ``scope`` of ``user`` (None: no children at all)."""
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.NONE:
        return None
    if user.role == Role.CONFERENCE_CHAIR:
        own = Q(Exists(_current(InvolvementKind.CONFERENCE_CHAIRS)))
    else:
        own = Q(Exists(_current(InvolvementKind.WORKER).filter(user=user)))
    if scope == Scope.OWN or user.team_id is None:
        return own
    if scope == Scope.TEAM:
        return own | Q(Exists(_current(InvolvementKind.TEAM).filter(team_id=user.team_id)))
    assert user.team is not None  # team_id was checked above
    return own | Q(Exists(_current(InvolvementKind.TEAM).filter(team__service_id=user.team.service_id)))


def _granted_filter(user: User) -> Q:
    """Sealed records the user is named on, and current break-glass grants."""
    named = SealedRecordAccess.objects.filter(person=OuterRef("pk"), user=user)
    granted = BreakGlassGrant.objects.filter(person=OuterRef("pk"), user=user, expires_at__gt=timezone.now())
    return Q(Exists(named)) | Q(Exists(granted))


def sealed_records_open_to(user: User) -> QuerySet[Person]:
    """Sealed records (children or adults) the user is named on or holds a grant for."""
    if not user.is_active:
        return Person.objects.none()
    return Person.objects.filter(Q(is_sealed=True) & _granted_filter(user))


def children_for(user: User, action: Action = Action.VIEW) -> QuerySet[Person]:
    """Every child record ``user`` may perform ``action`` on."""
    children = Person.objects.filter(la_child_id__isnull=False)
    if not user.is_active:
        return children.none()
    scope_q = _scope_filter(user, scope_for(user.role, action))
    grants = _granted_filter(user) if action == Action.VIEW else Q(pk__in=[])
    if scope_q is None:
        return children.filter(grants)
    if action == Action.MERGE:
        scope_q |= _unheld_filter(user)
    return children.filter((Q(is_sealed=False) & scope_q) | grants)


def _unheld_filter(user: User) -> Q:
    """Children no team holds that ``user`` may view under their scope (not by a grant):
    merging one takes nobody's work away (see the policy)."""
    view_q = _scope_filter(user, scope_for(user.role, Action.VIEW))
    if view_q is None:
        return Q(pk__in=[])
    return ~Q(Exists(_current(InvolvementKind.OPEN_CASE))) & view_q


def can(user: User, action: Action, child: Person) -> bool:
    return children_for(user, action).filter(pk=child.pk).exists()


def can_add_child(user: User) -> bool:
    return user.is_active and user.role in ADD_CHILD_ROLES


def can_break_glass(user: User) -> bool:
    return user.is_active and user.role in BREAK_GLASS_ROLES


def can_review_access(user: User, child: Person) -> bool:
    """Managers see who has looked at the children they are responsible for."""
    return scope_for(user.role, Action.AUTHORISE) > Scope.NONE and can(user, Action.AUTHORISE, child)


def can_seal(user: User, child: Person) -> bool:
    return user.is_active and user.role in SEAL_ROLES and can(user, Action.VIEW, child)
