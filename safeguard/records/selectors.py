"""Reads for records management: the subject access document and the disposal review."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.policy import AUDIT_EXPORT_ALL_ROLES, AUDIT_EXPORT_ROLES, Action
from safeguard.audit.models import AccessKind, AccessLogEntry, AuditEvent
from safeguard.audit.services import access_log_record_export
from safeguard.casework.models import CINEpisode
from safeguard.core.calendar import add_calendar_months
from safeguard.design_system.formatting import govuk_date
from safeguard.people.access import record_get_for_user
from safeguard.people.models import Person
from safeguard.people.permissions import children_for
from safeguard.people.selectors import person_references
from safeguard.records.models import DisposalDecision, LegalHold, SubjectAccessRequest

if TYPE_CHECKING:  # django-stubs is a development requirement only
    from django_stubs_ext import WithAnnotations

    class _LastUse(TypedDict):
        last_closure: dt.date
        last_contact: dt.date | None

    _Candidate = WithAnnotations[Person, _LastUse]

WITHHELD_ADDRESS = "Address withheld"
WITHHELD_THIRD_PARTY = "[Third party: withheld]"
WITHHELD_SOURCE = "[Withheld to protect the person who raised the concern]"


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def subject_access_get(
    *, user: User, request_id: uuid.UUID, request: HttpRequest | None
) -> SubjectAccessRequest:
    """The request, if its child is one the user may see; every read is logged."""
    return record_get_for_user(
        user=user,
        what=AccessKind.SUBJECT_ACCESS_EXPORT,
        scoped=SubjectAccessRequest.objects.filter(person__in=children_for(user, Action.VIEW)).select_related(
            "person", "created_by", "released_by"
        ),
        pk=request_id,
        child_id_of=lambda sar: sar.person_id,
        request=request,
    )


def subject_access_document(sar: SubjectAccessRequest) -> list[Section]:
    """Everything held about the person, with redactions applied.

    Withheld addresses are never printed, whatever the reviewer decides: they protect
    someone else (a parent who fled, a foster home).
    """
    person = sar.person
    third = sar.include_third_parties
    about = Section(
        "About you",
        [
            ("Name", person.full_name),
            ("Date of birth", govuk_date(person.date_of_birth)),
            ("NHS number", person.nhs_number or "Not recorded"),
            ("Local child identifier", person.la_child_id or ""),
        ],
    )
    addresses = Section(
        "Addresses",
        [
            (
                "Current address" if a.is_current else "Previous address",
                WITHHELD_ADDRESS if a.must_not_be_disclosed else f"{a.line_1}, {a.town} {a.postcode}",
            )
            for a in person.addresses.all()
        ],
    )
    relationships = list(person.relationships.select_related("other"))
    # The export goes to the family, so relatives are named as to someone outside the
    # service: a sealed relative is left out altogether, whatever the reviewer released.
    names = person_references(viewer=None, people=[r.other for r in relationships])
    family = Section(
        "Family and household",
        [
            (r.get_kind_display(), names[r.other_id].name if third else WITHHELD_THIRD_PARTY)
            for r in relationships
            if not names[r.other_id].restricted
        ],
    )
    professionals = Section(
        "Professionals involved",
        [
            (f"{p.get_role_display()}, {p.organisation}", p.name if third else WITHHELD_THIRD_PARTY)
            for p in person.professionals.all()
        ],
    )
    episodes = Section(
        "Referrals",
        [
            (
                govuk_date(e.referral_date),
                f"Source: {_source(e, sar.include_referral_sources)}. "
                f"Need: {e.get_primary_need_display()}. "
                + (f"Closed {govuk_date(e.closure_date)}." if e.closure_date else "Still open."),
            )
            for e in person.episodes.order_by("referral_date")
        ],
    )
    plans = Section(
        "Child protection plans",
        [
            (
                govuk_date(p.start_date),
                f"{p.get_initial_category_display()}; ended {govuk_date(p.end_date, 'not yet')}",
            )
            for p in person.cp_plans.order_by("start_date")
        ],
    )
    return [about, addresses, family, professionals, episodes, plans]


def _source(episode: CINEpisode, include: bool) -> str:
    return episode.get_referral_source_display() if include else WITHHELD_SOURCE


@dataclass(frozen=True)
class DueForDisposal:
    person: Person
    retain_until: dt.date


def retention_end(person: Person, last_closure: dt.date, had_cp_plan: bool) -> dt.date:
    """The later of the schedules that apply (local policy, in settings)."""
    rules = settings.RETENTION_SCHEDULES
    end = add_calendar_months(last_closure, 12 * rules["children_in_need"]["years_after_closure"])
    if had_cp_plan and person.date_of_birth:
        end = max(end, add_calendar_months(person.date_of_birth, 12 * rules["child_protection"]["until_age"]))
        end = max(
            end, add_calendar_months(last_closure, 12 * rules["child_protection"]["years_after_closure"])
        )
    return end


def _disposal_candidates(*, user: User, today: dt.date) -> QuerySet[_Candidate]:
    """Closed records the user may see, with no open work, last closed before the shortest
    schedule began, not on legal hold and with no decision to keep them that still runs."""
    years = settings.RETENTION_SCHEDULES["children_in_need"]["years_after_closure"]
    kept = DisposalDecision.objects.filter(
        decision=DisposalDecision.Decision.RETAIN, retain_until__gt=today
    ).values("person_id_disposed")
    return (
        children_for(user, Action.VIEW)
        .exclude(episodes__closure_date__isnull=True)
        .annotate(last_closure=Max("episodes__closure_date"), last_contact=Max("contacts__received_on"))
        .filter(last_closure__lte=add_calendar_months(today, -12 * years))
        .exclude(Exists(LegalHold.objects.filter(person=OuterRef("pk"), lifted_at__isnull=True)))
        .exclude(pk__in=kept)
        .prefetch_related("cp_plans")
        .order_by("last_closure")
    )


def _past_retention(candidates: QuerySet[_Candidate], today: dt.date, limit: int) -> list[DueForDisposal]:
    due: list[DueForDisposal] = []
    for person in candidates.iterator(chunk_size=500):
        if len(due) >= limit:
            break
        # A contact after the last closure means the record was in use again: count from it.
        last_used = max(person.last_closure, person.last_contact or person.last_closure)
        end = retention_end(person, last_used, bool(person.cp_plans.all()))
        if end <= today:
            due.append(DueForDisposal(person, end))
    return due


def records_due_for_disposal(*, user: User, today: dt.date, limit: int = 200) -> list[DueForDisposal]:
    """Closed records past their retention date, not on legal hold and not already kept.

    This is the one rule for disposal: the review page lists these, and a record may be
    disposed of (or kept) only while ``record_due_for_disposal`` finds it here.
    """
    return _past_retention(_disposal_candidates(user=user, today=today), today, limit)


def record_due_for_disposal(*, user: User, child_id: uuid.UUID, today: dt.date) -> DueForDisposal | None:
    """The review list's entry for one child, or None if the list would not show them."""
    candidates = _disposal_candidates(user=user, today=today).filter(pk=child_id)
    return next(iter(_past_retention(candidates, today, limit=1)), None)


# -- audit export ------------------------------------------------------------------


@dataclass
class AuditTrail:
    events: QuerySet[AuditEvent]
    reads: QuerySet[AccessLogEntry]


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def audit_trail_for_export(
    *, user: User, start: dt.date, end: dt.date, request: HttpRequest | None
) -> AuditTrail:
    """Events and reads between two dates (inclusive), within the user's scope.

    The export is itself a read of personal data, so it is written to the access log.
    """
    if user.role not in AUDIT_EXPORT_ROLES:
        raise PermissionError("This role cannot export the audit trail")
    since, until = _day_bounds(start, end)
    events = AuditEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
    reads = AccessLogEntry.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
    if user.role not in AUDIT_EXPORT_ALL_ROLES:
        children = children_for(user, Action.AUTHORISE).values("pk")
        events = events.filter(Q(child_id__in=children))
        reads = reads.filter(Q(child_id__in=children))
    else:
        # Even an export of everything leaves out sealed children the user is not named on.
        hidden = Person.objects.filter(is_sealed=True).exclude(seal_access__user=user).values("pk")
        events = events.exclude(child_id__in=hidden)
        reads = reads.exclude(child_id__in=hidden)
    access_log_record_export(
        user=user, what=AccessKind.AUDIT_EXPORT, description=f"{start}..{end}", request=request
    )
    return AuditTrail(
        events.select_related("actor").order_by("occurred_at"),
        reads.select_related("user").order_by("occurred_at"),
    )
