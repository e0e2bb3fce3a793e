"""Reads of people's records. Every function takes the requesting user and applies the
same rule to lists, searches and single records: a record the user may not see is
absent (404), never "forbidden", so its existence is not revealed."""

from __future__ import annotations

import re
import uuid

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from safeguard.accounts.models import User
from safeguard.audit.services import access_log_record
from safeguard.people.models import Person
from safeguard.people.permissions import can_view_child_records
from safeguard.people.validators import normalise_nhs_number

_NHS_LIKE = re.compile(r"^\d{10}$")
PAGE_SIZE = 25


def people_visible_to(*, user: User) -> QuerySet[Person]:
    if not can_view_child_records(user):
        return Person.objects.none()
    return Person.objects.filter(is_sealed=False)


def child_search(*, user: User, query: str, page_number: str | int | None) -> Page[Person]:
    children = people_visible_to(user=user).filter(la_child_id__isnull=False)
    text = query.strip()
    if text:
        digits = normalise_nhs_number(text)
        if _NHS_LIKE.match(digits):
            children = children.filter(nhs_number=digits)
        elif re.fullmatch(r"[A-Za-z]\d{4,19}", text):
            children = children.filter(la_child_id__iexact=text)
        else:
            for token in text.split()[:4]:
                children = children.filter(
                    Q(given_name__icontains=token)
                    | Q(family_name__icontains=token)
                    | Q(preferred_name__icontains=token)
                )
    children = children.order_by("family_name", "given_name", "id")
    return Paginator(children, PAGE_SIZE).get_page(page_number)


def child_get_for_user(*, user: User, child_id: uuid.UUID, request: HttpRequest | None) -> Person:
    """The child's record, or 404; every successful read is written to the access log."""
    child = (
        people_visible_to(user=user)
        .filter(pk=child_id, la_child_id__isnull=False)
        .prefetch_related(
            "addresses", "other_names", "disabilities", "relationships__other", "episodes__worker", "cp_plans"
        )
        .first()
    )
    if child is None:
        raise Http404("No such child")
    access_log_record(user=user, what="child_record", instance=child, child_id=child.pk, request=request)
    return child
