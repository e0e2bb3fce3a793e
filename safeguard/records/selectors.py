"""Reads for records management: the subject access document and the disposal review."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Q
from django.http import Http404, HttpRequest

from safeguard.accounts.models import User
from safeguard.accounts.policy import Action
from safeguard.audit.services import access_log_record
from safeguard.casework.models import CINEpisode
from safeguard.core.calendar import add_calendar_months
from safeguard.design_system.formatting import govuk_date
from safeguard.people.models import Person
from safeguard.people.permissions import children_for
from safeguard.people.selectors import person_references
from safeguard.records.models import DisposalDecision, SubjectAccessRequest

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
    sar = (
        SubjectAccessRequest.objects.filter(pk=request_id, person__in=children_for(user, Action.VIEW))
        .select_related("person", "created_by", "released_by")
        .first()
    )
    if sar is None:
        raise Http404("No such request")
    access_log_record(
        user=user, what="subject_access_export", instance=sar, child_id=sar.person_id, request=request
    )
    return sar


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


def records_due_for_disposal(*, user: User, today: dt.date, limit: int = 200) -> list[DueForDisposal]:
    """Closed records past their retention date, not on legal hold and not already kept."""
    years = settings.RETENTION_SCHEDULES["children_in_need"]["years_after_closure"]
    candidates = (
        children_for(user, Action.VIEW)
        .exclude(episodes__closure_date__isnull=True)
        .annotate(last_closure=Max("episodes__closure_date"))
        .filter(last_closure__lte=add_calendar_months(today, -12 * years))
        .exclude(Q(legal_holds__lifted_at__isnull=True) & Q(legal_holds__isnull=False))
        .prefetch_related("cp_plans")
        .order_by("last_closure")
    )
    kept = set(
        DisposalDecision.objects.filter(
            decision=DisposalDecision.Decision.RETAIN, retain_until__gt=today
        ).values_list("person_id_disposed", flat=True)
    )
    due: list[DueForDisposal] = []
    for person in candidates.exclude(pk__in=kept).iterator(chunk_size=500):
        if len(due) >= limit:
            break
        end = retention_end(person, person.last_closure, bool(person.cp_plans.all()))
        if end <= today:
            due.append(DueForDisposal(person, end))
    return due[:limit]
