"""Every write to people's records: acting user, transaction, audit event."""

from __future__ import annotations

import datetime as dt
import random

from django.db import IntegrityError, transaction

from safeguard.accounts.models import User
from safeguard.audit.services import audit_event_record, diff, snapshot
from safeguard.core.codes import Ethnicity, Sex
from safeguard.people.models import Address, Person
from safeguard.people.validators import generate_la_child_id

_ID_ATTEMPTS = 5


def _new_la_child_id() -> str:
    # SystemRandom: identifiers must not be predictable from earlier ones.
    return generate_la_child_id(random.SystemRandom())


def child_create(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    expected_date_of_birth: dt.date | None,
    sex: str,
    nhs_number: str = "",
    ethnicity: str = Ethnicity.NOBT,
    address: dict[str, object] | None = None,
) -> Person:
    """Record a new child (born or unborn) with their current address."""
    if (date_of_birth is None) == (expected_date_of_birth is None):
        raise ValueError("A child has either a date of birth or an expected date of birth")
    if expected_date_of_birth is not None:
        sex = Sex.UNKNOWN  # CIN census: U for unborn children
    for attempt in range(_ID_ATTEMPTS):
        try:
            with transaction.atomic():
                child = Person(
                    la_child_id=_new_la_child_id(),
                    given_name=given_name,
                    family_name=family_name,
                    date_of_birth=date_of_birth,
                    expected_date_of_birth=expected_date_of_birth,
                    sex=sex,
                    nhs_number=nhs_number,
                    ethnicity=ethnicity,
                    created_by=actor,
                    modified_by=actor,
                )
                child.full_clean()
                child.save()
                audit_event_record(
                    actor=actor,
                    action="child_create",
                    instance=child,
                    changes=diff({}, snapshot(child)),
                    child_id=child.pk,
                )
                if address:
                    _address_add(actor=actor, person=child, fields=address)
                return child
        except IntegrityError:
            if attempt == _ID_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _address_add(*, actor: User, person: Person, fields: dict[str, object]) -> Address:
    address = Address(person=person, created_by=actor, modified_by=actor, **fields)
    address.full_clean()
    address.save()
    audit_event_record(
        actor=actor,
        action="address_add",
        instance=address,
        changes=diff({}, snapshot(address)),
        child_id=person.pk if person.is_child_record else None,
    )
    return address
