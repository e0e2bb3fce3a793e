"""Reads of people's records. Every function takes the requesting user and applies the
same rule to lists, searches and single records: a record the user may not see is
absent (404), never "forbidden", so its existence is not revealed."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.audit.models import AccessAction, AccessKind, AccessLogEntry
from safeguard.audit.services import access_log_record_list
from safeguard.people.access import child_read
from safeguard.people.history import HistoryEntry, HistoryKind, history_for
from safeguard.people.models import Person
from safeguard.people.permissions import can_break_glass, children_for, sealed_records_open_to
from safeguard.people.validators import normalise_nhs_number

_NHS_LIKE = re.compile(r"^\d{10}$")
PAGE_SIZE = 25


def child_search(
    *, user: User, query: str, page_number: str | int | None, request: HttpRequest | None = None
) -> Page[Person]:
    children = children_for(user, Action.VIEW)
    text = query.strip()
    searched_by = ""
    if text:
        digits = normalise_nhs_number(text)
        if _NHS_LIKE.match(digits):
            children = children.filter(nhs_number=digits)
            searched_by = "NHS number"
        elif re.fullmatch(r"[A-Za-z]\d{4,19}", text):
            children = children.filter(la_child_id__iexact=text)
            searched_by = "local child identifier"
        else:
            tokens = text.split()[:4]
            for token in tokens:
                children = children.filter(
                    Q(given_name__icontains=token)
                    | Q(family_name__icontains=token)
                    | Q(preferred_name__icontains=token)
                )
            searched_by = f"name ({len(tokens)} word{'s' if len(tokens) != 1 else ''})"
    children = children.order_by("family_name", "given_name", "id")
    page = Paginator(children, PAGE_SIZE).get_page(page_number)
    # The kind of search and how many were found; never what was typed, which is a name.
    found = f"{page.paginator.count} result{'s' if page.paginator.count != 1 else ''}, page {page.number}"
    access_log_record_list(
        user=user,
        what=AccessKind.CHILD_LIST,
        model=Person,
        action=AccessAction.SEARCH if searched_by else AccessAction.LIST,
        detail=f"Child search by {searched_by}: {found}" if searched_by else f"All children: {found}",
        request=request,
    )
    return page


def child_get_for_user(*, user: User, child_id: uuid.UUID, request: HttpRequest | None) -> Person:
    """The child's record, or 404; every read, and every refused attempt, is written to the
    access log (with the reason for any emergency access)."""
    return child_read(
        user=user,
        child_id=child_id,
        what=AccessKind.CHILD,
        request=request,
        prefetch=(
            "addresses",
            "other_names",
            "disabilities",
            "relationships__other",
            "episodes__worker",
            "cp_plans",
            "professionals",
        ),
    )


def child_history(*, user: User, child: Person) -> list[HistoryEntry]:
    """Contacts and referrals about a child already read under the access rule, newest
    first, each linked where the user may open it (the sources in ``people.history``)."""
    return history_for(user=user, child=child, kinds=(HistoryKind.CONTACT, HistoryKind.REFERRAL))


def child_find_for_break_glass(*, user: User, la_child_id: str) -> Person | None:
    """Any child by exact identifier, sealed or not: only after the user has given a reason
    and re-entered their password (the caller checks both)."""
    if not can_break_glass(user):
        return None
    return Person.objects.filter(la_child_id__iexact=la_child_id.strip()).first()


def child_access_history(
    *, user: User, child_id: uuid.UUID, request: HttpRequest | None
) -> tuple[Person, QuerySet[AccessLogEntry]]:
    """Who has looked at a child's record: for the managers responsible for the child."""
    child = child_read(
        user=user,
        child_id=child_id,
        what=AccessKind.CHILD_ACCESS_HISTORY,
        request=request,
        scope=Action.AUTHORISE,
    )
    entries = AccessLogEntry.objects.filter(child_id=child.pk).select_related("user").order_by("-occurred_at")
    return child, entries


def seal_candidates(*, child: Person, exclude: User) -> list[User]:
    """Staff who could be named on a seal: the teams holding the child's open work."""
    teams = child.episodes.filter(closure_date__isnull=True, team__isnull=False).values("team")
    return list(
        User.objects.filter(team__in=teams, is_active=True)
        .exclude(pk=exclude.pk)
        .order_by("last_name", "first_name")
    )


# -- naming other people ----------------------------------------------------------------

RESTRICTED_NAME = "A child whose record is restricted"


@dataclass(frozen=True)
class PersonReference:
    """How a page or document names someone other than the record it is about.

    A restricted reference carries nothing that identifies the person, so a template that
    prints it without checking still reveals nothing; lists leave restricted people out,
    because "a sibling whose record is restricted" would itself say a sealed record exists.
    """

    name: str
    url: str | None
    la_child_id: str
    date_of_birth: dt.date | None
    restricted: bool


_RESTRICTED = PersonReference(RESTRICTED_NAME, None, "", None, restricted=True)


def person_references(*, viewer: User | None, people: Iterable[Person]) -> dict[uuid.UUID, PersonReference]:
    """References to ``people`` as ``viewer`` may see them (``None``: someone outside the
    service, such as the family receiving a subject access export).

    A sealed record is restricted unless the viewer is named on the seal or holds a
    current break-glass grant; a child's record the viewer may open is linked, with its
    identifiers; anyone else is named, without a link or identifiers.
    """
    people = list(people)
    ids = [p.pk for p in people]
    openable: set[uuid.UUID] = set()
    granted: set[uuid.UUID] = set()
    if viewer is not None and ids:
        openable = set(children_for(viewer, Action.VIEW).filter(pk__in=ids).values_list("pk", flat=True))
        sealed = [p.pk for p in people if p.is_sealed and p.pk not in openable]
        if sealed:
            granted = set(sealed_records_open_to(viewer).filter(pk__in=sealed).values_list("pk", flat=True))
    references: dict[uuid.UUID, PersonReference] = {}
    for person in people:
        if person.is_sealed and person.pk not in openable | granted:
            references[person.pk] = _RESTRICTED
        elif person.pk in openable:
            references[person.pk] = PersonReference(
                person.full_name,
                reverse("people:child_detail", args=[person.pk]),
                person.la_child_id or "",
                person.date_of_birth,
                restricted=False,
            )
        else:
            references[person.pk] = PersonReference(person.full_name, None, "", None, restricted=False)
    return references


def person_reference(*, viewer: User | None, person: Person) -> PersonReference:
    return person_references(viewer=viewer, people=[person])[person.pk]
