"""Reads at the front door. Each takes the requesting user; contacts a user may not see are
absent (404); every read of a contact or a child's history is written to the access log."""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from dataclasses import dataclass, field
from functools import reduce
from typing import NoReturn

from django.contrib.postgres.lookups import TrigramSimilar
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest

from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessAction, AccessKind
from safeguard.audit.services import access_log_record, access_log_record_list
from safeguard.casework.models import CINEpisode
from safeguard.core.calendar import add_calendar_months
from safeguard.frontdoor import matching
from safeguard.frontdoor.models import OPEN_STATUSES, Contact, ContactStatus
from safeguard.frontdoor.permissions import FRONT_DOOR_ROLES, is_front_door
from safeguard.frontdoor.queue_search import QueueSearch
from safeguard.people.access import record_get_for_user, refuse
from safeguard.people.history import HistoryEntry, history_for
from safeguard.people.models import Person
from safeguard.people.permissions import children_for

QUEUE_PAGE_SIZE = 50
REPEAT_CONTACT_DAYS = 7
RE_REFERRAL_MONTHS = 12
CANDIDATES_PER_QUERY = 100


def contacts_for(user: User) -> QuerySet[Contact]:
    """Front door staff see every contact; other staff only those about children they can see.

    Once linked to a sealed record, a contact is part of that record: only the people who
    can see the child (named on the seal, or with a break-glass grant) can find it.
    """
    if not user.is_active:
        return Contact.objects.none()
    if is_front_door(user):
        return Contact.objects.filter(
            Q(child__isnull=True) | Q(child__is_sealed=False) | Q(child__in=children_for(user, Action.VIEW))
        )
    return Contact.objects.filter(child__in=children_for(user, Action.VIEW))


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"
    assigned: str = ""
    danger: bool = False


def contact_queue(
    *,
    user: User,
    filters: QueueFilters,
    page_number: str | int | None,
    request: HttpRequest | None = None,
    search: QueueSearch | None = None,
) -> Page[Contact]:
    """The triage queue: immediate danger first, then the earliest decision due, narrowed
    by the filters and any search. Each showing of it is written to the access log with its
    filters and the kinds of detail searched for (codes, never names or dates)."""
    contacts = contacts_for(user).select_related("assigned_to")
    if filters.status == "open":
        contacts = contacts.filter(status__in=OPEN_STATUSES)
    elif filters.status in ContactStatus.values:
        contacts = contacts.filter(status=filters.status)
    if filters.assigned == "me":
        contacts = contacts.filter(assigned_to=user)
    elif filters.assigned == "unassigned":
        contacts = contacts.filter(assigned_to__isnull=True)
    if filters.danger:
        contacts = contacts.filter(immediate_danger=True)
    searching = search if search is not None and not search.is_empty else None
    if searching is not None:
        contacts = contacts.filter(_search_q(searching))
    contacts = contacts.order_by("-immediate_danger", "decision_due", "received_at", "id")
    page = Paginator(contacts, QUEUE_PAGE_SIZE).get_page(page_number)
    count = page.paginator.count
    shown = [f"status {filters.status}"]
    if filters.assigned:
        shown.append(f"assigned {filters.assigned}")
    if filters.danger:
        shown.append("immediate danger only")
    found = f"{count} contact{'' if count == 1 else 's'}, page {page.number}"
    if searching is not None:
        detail = (
            f"Queue search by {', '.join(searching.searched_by)}, filtered by {', '.join(shown)}: {found}"
        )
    else:
        detail = f"Queue filtered by {', '.join(shown)}: {found}"
    access_log_record_list(
        user=user,
        what=AccessKind.CONTACT_QUEUE,
        model=Contact,
        action=AccessAction.SEARCH if searching is not None else AccessAction.LIST,
        detail=detail,
        request=request,
    )
    return page


def _name_q(word: str) -> Q:
    """A word of the child's name as the contact gives it, or as the linked record does."""
    return (
        Q(child_given_name__icontains=word)
        | Q(child_family_name__icontains=word)
        | Q(child__given_name__icontains=word)
        | Q(child__family_name__icontains=word)
        | Q(child__preferred_name__icontains=word)
    )


def _search_q(search: QueueSearch) -> Q:
    """Every part of the search must match. Postcodes are matched only as the contact gives
    them, never against the linked child's addresses, some of which must not be disclosed."""
    parts: list[Q] = []
    if search.reference:
        parts.append(Q(reference=search.reference))
    if search.reference_or_name:
        parts.append(Q(reference=search.reference_or_name) | _name_q(search.reference_or_name))
    parts.extend(_name_q(word) for word in search.names)
    if search.date_of_birth:
        parts.append(
            Q(child_date_of_birth=search.date_of_birth) | Q(child__date_of_birth=search.date_of_birth)
        )
    if search.postcode:
        parts.append(Q(child_postcode__iexact=search.postcode))
    if search.postcode_district:
        parts.append(Q(child_postcode__istartswith=f"{search.postcode_district} "))
    return reduce(operator.and_, parts, Q())


def contact_get_for_user(*, user: User, contact_id: uuid.UUID, request: HttpRequest | None) -> Contact:
    return record_get_for_user(
        user=user,
        what=AccessKind.CONTACT,
        scoped=contacts_for(user).select_related(
            "referrer", "child", "assigned_to", "decided_by", "authorised_by", "agency", "merged_into"
        ),
        pk=contact_id,
        child_id_of=lambda contact: contact.child_id,
        request=request,
    )


def contact_refuse(*, user: User, contact: Contact, reason: str, request: HttpRequest | None) -> NoReturn:
    """A contact the user may see but not act on (triage is the front door's): 403, logged."""
    refuse(
        user=user,
        what=AccessKind.CONTACT,
        instance=contact,
        child_id=contact.child_id,
        reason=reason,
        request=request,
    )


def front_door_staff() -> QuerySet[User]:
    return User.objects.filter(role__in=FRONT_DOOR_ROLES, is_active=True).order_by("last_name", "first_name")


# -- matching against people already known ----------------------------------------------


@dataclass
class Match:
    person: Person
    score: int
    evidence: list[matching.Evidence] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [e.reason for e in self.evidence]

    @property
    def band(self) -> str:
        return matching.band(self.score)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _similar(column: str, value: str) -> Q:
    """pg_trgm's ``%`` operator, which uses the GIN indexes made by migration 0002."""
    return Q(TrigramSimilar(F(column), value))


def _candidate_ids(children: QuerySet[Person], contact: Contact) -> set[uuid.UUID]:
    """A cheap, indexed first pass: anyone who could possibly be the child."""
    queries: list[QuerySet[Person]] = []
    postgres = _is_postgres()
    family, given = contact.child_family_name.strip(), contact.child_given_name.strip()
    if contact.child_nhs_number:
        queries.append(children.filter(nhs_number=contact.child_nhs_number))
    if contact.child_date_of_birth:
        born = children.filter(date_of_birth=contact.child_date_of_birth)
        if postgres and (family or given):
            # About 150 children share a birthday in a million people: keep those whose
            # first or last name is at all like the contact's (typos included).
            likes = [
                _similar(col, value)
                for col, value in (("family_name", family), ("given_name", given))
                if value
            ]
            born = born.filter(reduce(operator.or_, likes))
        queries.append(born)
    if contact.child_postcode:
        queries.append(
            children.filter(addresses__postcode=contact.child_postcode, addresses__end_date__isnull=True)
        )
    if family and postgres:
        # With a first name too, PostgreSQL intersects both indexes before reading a row.
        names = _similar("family_name", family) & (_similar("given_name", given) if given else Q())
        queries.append(children.filter(names))
        # A short form (Alfie for Alfred) or an initial is not similar as text: looked for
        # separately, through the same indexes (pg_trgm's index also serves ILIKE 'k%').
        others = [
            _similar("given_name", form) for form in matching.first_name_forms(given) - {given.casefold()}
        ]
        if len(given.rstrip(".")) == 1:
            others.append(Q(given_name__istartswith=given[0]))
        if others:
            queries.append(children.filter(_similar("family_name", family) & reduce(operator.or_, others)))
    elif family:
        queries.append(
            children.filter(Q(family_name__iexact=family) | Q(family_name__istartswith=family[:3]))
        )
    ids: set[uuid.UUID] = set()
    for query in queries:
        # No ORDER BY: any candidates will do, they are all scored below.
        ids.update(query.order_by().values_list("pk", flat=True)[:CANDIDATES_PER_QUERY])
    return ids


def match_score(contact: Contact, person: Person) -> Match:
    """How likely ``person`` is the child in ``contact``, out of 100, and why: the points
    for each detail are set out in ``frontdoor.matching``."""
    others = list(person.other_names.all())
    addresses = list(person.addresses.all())
    typed = matching.Typed(
        given_name=contact.child_given_name,
        family_name=contact.child_family_name,
        date_of_birth=contact.child_date_of_birth,
        postcode=contact.child_postcode,
        nhs_number=contact.child_nhs_number,
    )
    known = matching.Known(
        given_names=(person.given_name, person.preferred_name, *(n.given_name for n in others)),
        family_names=(person.family_name, *(n.family_name for n in others)),
        date_of_birth=person.date_of_birth,
        current_postcodes=frozenset(a.postcode for a in addresses if a.end_date is None),
        previous_postcodes=frozenset(a.postcode for a in addresses if a.end_date is not None),
        nhs_number=person.nhs_number,
    )
    result = matching.score(typed, known)
    return Match(person=person, score=result.score, evidence=result.evidence)


def match_candidates(
    *, user: User, contact: Contact, request: HttpRequest | None = None, limit: int = 10
) -> list[Match]:
    """People already known who may be the child in the contact, best first. Each one
    shown is a read of that child's record, so each is written to the access log."""
    children = children_for(user, Action.VIEW)
    ids = _candidate_ids(children, contact)
    if not ids:
        return []
    people = Person.objects.filter(pk__in=ids).prefetch_related("other_names", "addresses")
    matches = [match_score(contact, person) for person in people]
    matches = [m for m in matches if m.score >= matching.MATCH_MIN_SCORE]
    matches.sort(key=lambda m: (-m.score, m.person.family_name, m.person.given_name))
    shown = matches[:limit]
    _log_matching(user, contact, len(shown), request)
    for match in shown:
        access_log_record(
            user=user,
            what=AccessKind.MATCH_CANDIDATE,
            instance=match.person,
            child_id=match.person.pk,
            request=request,
            action=AccessAction.LIST,
            detail=f"Shown as a possible match for contact {contact.reference}, score {match.score}",
        )
    return shown


def _log_matching(user: User, contact: Contact, shown: int, request: HttpRequest | None) -> None:
    """The search itself: which of the contact's details it used, never their values."""
    used = [
        label
        for label, value in (
            ("NHS number", contact.child_nhs_number),
            ("date of birth", contact.child_date_of_birth),
            ("last name", contact.child_family_name.strip()),
            ("first name", contact.child_given_name.strip()),
            ("postcode", contact.child_postcode),
        )
        if value
    ]
    access_log_record_list(
        user=user,
        what=AccessKind.CONTACT_MATCHING,
        model=Person,
        action=AccessAction.SEARCH,
        instance=contact,
        detail=f"Matched on {', '.join(used) or 'nothing'}: {shown} shown",
        request=request,
    )


# -- history and repeat concerns ---------------------------------------------------------


HISTORY_SHOWN = 20


def child_history(*, user: User, contact: Contact, request: HttpRequest | None) -> list[HistoryEntry] | None:
    """The linked child's other contacts, referrals and plans at a glance, newest first and
    each linked where the user may open it; ``None`` when no child the user may see is linked."""
    child = contact.child
    if child is None or not children_for(user, Action.VIEW).filter(pk=child.pk).exists():
        return None
    access_log_record(
        user=user, what=AccessKind.CHILD_HISTORY, instance=child, child_id=child.pk, request=request
    )
    entries = history_for(user=user, child=child)
    return [e for e in entries if e.key != str(contact.pk)][:HISTORY_SHOWN]


def repeat_concern_alerts(*, user: User, contact: Contact, today: dt.date) -> list[str]:
    """Why this child may be a repeat concern: 2+ contacts in 7 days, or a re-referral.

    The contact itself never counts: nor merged duplicates (the same concern told twice),
    nor the referral it led to, nor any referral after it. A referral is "previous"
    if it was made in the 12 months up to the day this contact came in (or up to today, for
    a contact still waiting, since a referral now would be made today).

    Counted only from contacts and records ``user`` may see: a count or a date taken from a
    sealed record would say that the record exists.
    """
    alerts: list[str] = []
    window = (
        contact.received_on - dt.timedelta(days=REPEAT_CONTACT_DAYS),
        contact.received_on + dt.timedelta(days=REPEAT_CONTACT_DAYS),
    )
    same_child = Q(child=contact.child) if contact.child_id else Q(pk__in=[])
    if contact.child_given_name and contact.child_family_name and contact.child_date_of_birth:
        same_child |= Q(
            child_given_name__iexact=contact.child_given_name,
            child_family_name__iexact=contact.child_family_name,
            child_date_of_birth=contact.child_date_of_birth,
        )
    others = (
        contacts_for(user)
        .filter(same_child, received_on__range=window)
        .exclude(pk=contact.pk)
        # A merged contact is a duplicate of one counted already.
        .exclude(status=ContactStatus.MERGED)
    )
    if contact.merged_into_id:
        others = others.exclude(pk=contact.merged_into_id)
    count = others.count()
    if count:
        alerts.append(f"{count + 1} contacts about this child within {REPEAT_CONTACT_DAYS} days")
    if contact.child_id and children_for(user, Action.VIEW).filter(pk=contact.child_id).exists():
        until = today if contact.is_open else contact.received_on
        since = add_calendar_months(until, -RE_REFERRAL_MONTHS)
        episodes = CINEpisode.objects.filter(child_id=contact.child_id, referral_date__range=(since, until))
        if contact.episode_id is not None:
            episodes = episodes.exclude(pk=contact.episode_id)
        previous = episodes.order_by("-referral_date").first()
        if previous is not None:
            alerts.append(
                (
                    "A referral now would be a re-referral: the last referral was within 12 months, "
                    if contact.is_open
                    else "This was a re-referral: the referral before it was within 12 months, "
                )
                + f"on {previous.referral_date.day} {previous.referral_date:%B %Y}"
            )
    return alerts


def contacts_to_merge_into(contact: Contact) -> QuerySet[Contact]:
    """Other open contacts about the same child: candidates for merging a duplicate."""
    if contact.child_id is None:
        return Contact.objects.none()
    return Contact.objects.filter(child_id=contact.child_id, status__in=OPEN_STATUSES).exclude(pk=contact.pk)
