"""Every write to people's records: acting user, transaction, audit event."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from safeguard.accounts.models import Role, User
from safeguard.accounts.policy import BREAK_GLASS_MINUTES
from safeguard.audit.services import audited_create, audited_update
from safeguard.core.codes import Ethnicity, Sex
from safeguard.people.models import (
    Address,
    BreakGlassGrant,
    Person,
    SealedRecordAccess,
)
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
                child_id = uuid.uuid4()
                child = audited_create(
                    Person,
                    actor=actor,
                    action="child_create",
                    values={
                        "id": child_id,
                        "la_child_id": _new_la_child_id(),
                        "given_name": given_name,
                        "family_name": family_name,
                        "date_of_birth": date_of_birth,
                        "expected_date_of_birth": expected_date_of_birth,
                        "sex": sex,
                        "nhs_number": nhs_number,
                        "ethnicity": ethnicity,
                    },
                    audit=_columns(Person),
                    validate=True,
                    child_id=child_id,
                )
                if address:
                    _address_add(actor=actor, person=child, fields=address)
                return child
        except IntegrityError:
            if attempt == _ID_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _columns(model: type[models.Model]) -> list[str]:
    """Every column: a new person's or address's event records the whole row."""
    return [f.name for f in model._meta.concrete_fields]


def _address_add(*, actor: User, person: Person, fields: dict[str, object]) -> Address:
    return audited_create(
        Address,
        actor=actor,
        action="address_add",
        values={"person": person, **fields},
        audit=_columns(Address),
        validate=True,
        child_id=person.pk if person.is_child_record else None,
    )


def _record_managers(person: Person) -> list[str]:
    """Email addresses of the managers responsible for the child's open work, or, when no
    team holds the child, of the front door managers."""
    teams = person.episodes.filter(closure_date__isnull=True, team__isnull=False).values("team")
    managers = User.objects.filter(role=Role.TEAM_MANAGER, team__in=teams, is_active=True)
    if not managers.exists():
        managers = User.objects.filter(role=Role.FRONT_DOOR_MANAGER, is_active=True)
    return [m.email for m in managers if m.email]


def break_glass_open(*, actor: User, person: Person, reason: str) -> BreakGlassGrant:
    """Give ``actor`` emergency access to ``person`` for 60 minutes, audited and notified.

    The caller has already re-authenticated the actor and checked they may break glass.
    Managers are told only after the grant is committed, and the message names no child:
    it says where to look.
    """
    now = timezone.now()
    with transaction.atomic():
        grant = audited_create(
            BreakGlassGrant,
            actor=actor,
            action="break_glass_open",
            values={
                "person": person,
                "user": actor,
                "reason": reason,
                "expires_at": now + dt.timedelta(minutes=BREAK_GLASS_MINUTES),
            },
            child_id=person.pk,
        )
        recipients = _record_managers(person)
        if recipients:
            # imported here to break the cycle people.services -> people.jobs -> people.services
            from safeguard.people import jobs

            grant_id = str(grant.pk)
            transaction.on_commit(
                lambda: jobs.break_glass_notify.enqueue(grant_id=grant_id, recipients=recipients)
            )
    return grant


def break_glass_notify(*, grant_id: str, recipients: list[str]) -> None:
    """Tell the managers that emergency access was used (a job, after the grant is committed)."""
    grant = BreakGlassGrant.objects.select_related("user").get(pk=grant_id)
    send_mail(
        subject="Emergency access to a child's record in Safeguard",
        message=(
            f"{grant.user.display_name} used emergency access to a record you are responsible for.\n"
            "Review the reason under 'Who has looked at this record' on the child's page."
        ),
        from_email=None,
        recipient_list=recipients,
    )


def child_seal(*, actor: User, child: Person, reason: str, named_users: list[User]) -> Person:
    """Seal a child's record so only the named users (and the actor) can find or open it."""
    with transaction.atomic():
        names = {actor, *named_users}
        existing = set(SealedRecordAccess.objects.filter(person=child).values_list("user_id", flat=True))
        audited_update(
            child,
            actor=actor,
            action="child_seal",
            values={"is_sealed": True, "seal_reason": reason},
            validate=True,
            child_id=child.pk,
            also={
                "named_users": {
                    "before": sorted(map(str, existing)),
                    "after": sorted(str(u.pk) for u in names),
                }
            },
        )
        SealedRecordAccess.objects.bulk_create(
            SealedRecordAccess(person=child, user=u, created_by=actor, modified_by=actor)
            for u in names
            if u.pk not in existing
        )
    return child
