"""Project the case records into the census blocks for one collection year.

The casework models follow the census blocks (``CINdetails``, ``Assessments``...), so this is
a projection: choose the children and activity that the year reports, and leave out dates
that fall after the reference date (a plan that ended in May is still open on 31 March).

Which records a year holds (DfE CIN census guide, "who to include"):

- a child is included when any of their CIN episodes was open at some time in the year
  (referred on or before 31 March and not closed before 1 April);
- in each such episode: assessments, CIN plans and CP plans that were open at some time in
  the year; section 47 enquiries that started in the year; CP plan reviews held in the year;
- an initial conference held in the year for a section 47 that started before the year is
  reported on the episode (``CINdetails/DateOfInitialCPC``), as the guide asks, since that
  section 47 is not itself reported.

Sealed children are included: the statutory count is complete (ADR 10). The file holds no
names, only identifiers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from safeguard.casework.models import (
    Assessment,
    ChildProtectionPlan,
    ChildProtectionReview,
    CINEpisode,
    CINPlan,
    Section47Enquiry,
    Section47Outcome,
)
from safeguard.people.models import Person, PersonDisability
from safeguard.returns.cin_census.spec import CensusYear


@dataclass(frozen=True)
class AssessmentRecord:
    id: uuid.UUID
    start_date: dt.date
    authorisation_date: dt.date | None
    factors: tuple[str, ...]
    internal_review_date: dt.date | None = None


@dataclass(frozen=True)
class CINPlanRecord:
    id: uuid.UUID
    start_date: dt.date
    end_date: dt.date | None


@dataclass(frozen=True)
class Section47Record:
    id: uuid.UUID
    start_date: dt.date
    icpc_target: dt.date | None
    icpc_date: dt.date | None
    icpc_not_required: bool


@dataclass(frozen=True)
class CPPlanRecord:
    id: uuid.UUID
    start_date: dt.date
    end_date: dt.date | None
    initial_category: str
    latest_category: str
    number_of_previous_plans: int
    review_dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class EpisodeRecord:
    id: uuid.UUID
    referral_date: dt.date
    referral_source: str
    primary_need: str
    closure_date: dt.date | None
    reason_for_closure: str
    referral_nfa: bool
    initial_cpc_date: dt.date | None
    assessments: tuple[AssessmentRecord, ...] = ()
    cin_plans: tuple[CINPlanRecord, ...] = ()
    section_47s: tuple[Section47Record, ...] = ()
    cp_plans: tuple[CPPlanRecord, ...] = ()
    team_id: uuid.UUID | None = None
    worker_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ChildRecord:
    id: uuid.UUID
    la_child_id: str
    upn: str
    former_upn: str
    upn_unknown: str
    birth_date: dt.date | None
    expected_birth_date: dt.date | None
    sex: str
    death_date: dt.date | None
    ethnicity: str
    disabilities: tuple[str, ...]
    episodes: tuple[EpisodeRecord, ...] = field(default=())


# A section 47 whose outcome needs no conference reports ICPCnotRequired, whether or not the
# worker also ticked "conference not required": the outcome says the same thing.
NO_CONFERENCE = frozenset({Section47Outcome.NOT_SUBSTANTIATED, Section47Outcome.ICPC_NOT_REQUIRED})


def _open_in_year(start: str, end: str, year: CensusYear) -> Q:
    """Started on or before the reference date and not ended before the year began."""
    return Q(**{f"{start}__lte": year.reference_date}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": year.start})
    )


def _by_reference_date(day: dt.date | None, year: CensusYear) -> dt.date | None:
    """A date after the reference date has not happened yet as far as this return knows."""
    return day if day is not None and day <= year.reference_date else None


def children_queryset(year: CensusYear) -> QuerySet[Person]:
    """The children the year reports, in LAchildID order."""
    has_episode = CINEpisode.objects.filter(
        _open_in_year("referral_date", "closure_date", year), child=OuterRef("pk")
    )
    return (
        Person.objects.filter(la_child_id__isnull=False).filter(Exists(has_episode)).order_by("la_child_id")
    )


def _grouped(rows: Iterable[Any], key: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows (``values()`` dictionaries) grouped by one column, keeping their order."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


class _Chunk:
    """One batch of children's rows, read table by table as plain values (no model objects).

    Eight queries a batch whatever its size, filtered by the batch's children through a join,
    so a large council's census costs a few hundred queries, not one per child or per record.
    """

    def __init__(self, child_ids: list[uuid.UUID], year: CensusYear) -> None:
        self.year = year
        ref = year.reference_date
        self.disabilities = _grouped(
            PersonDisability.objects.filter(person_id__in=child_ids)
            .order_by("code")
            .values("person_id", "code"),
            "person_id",
        )
        self.episodes = _grouped(
            CINEpisode.objects.filter(
                _open_in_year("referral_date", "closure_date", year), child_id__in=child_ids
            )
            .order_by("referral_date", "id")
            .values(
                "id",
                "child_id",
                "referral_date",
                "referral_source",
                "primary_need",
                "closure_date",
                "reason_for_closure",
                "referral_nfa",
                "team_id",
                "worker_id",
            ),
            "child_id",
        )
        in_chunk = {"episode__child_id__in": child_ids}
        self.assessments = _grouped(
            Assessment.objects.filter(_open_in_year("start_date", "authorised_date", year), **in_chunk)
            .order_by("start_date", "id")
            .values("id", "episode_id", "start_date", "internal_review_date", "authorised_date", "factors"),
            "episode_id",
        )
        self.cin_plans = _grouped(
            CINPlan.objects.filter(_open_in_year("start_date", "end_date", year), **in_chunk)
            .order_by("start_date", "id")
            .values("id", "episode_id", "start_date", "end_date"),
            "episode_id",
        )
        self.section_47s = _grouped(
            Section47Enquiry.objects.filter(start_date__lte=ref, **in_chunk)
            .order_by("start_date", "id")
            .values(
                "id",
                "episode_id",
                "start_date",
                "icpc_target_date",
                "icpc_date",
                "icpc_not_required",
                "outcome",
            ),
            "episode_id",
        )
        self.cp_plans = _grouped(
            ChildProtectionPlan.objects.filter(_open_in_year("start_date", "end_date", year), **in_chunk)
            .order_by("start_date", "id")
            .values(
                "id",
                "episode_id",
                "start_date",
                "end_date",
                "initial_category",
                "latest_category",
                "number_of_previous_plans",
            ),
            "episode_id",
        )
        self.reviews = _grouped(
            ChildProtectionReview.objects.filter(
                held_on__gte=year.start, held_on__lte=ref, plan__episode__child_id__in=child_ids
            )
            .order_by("held_on", "id")
            .values("plan_id", "held_on"),
            "plan_id",
        )

    def episode(self, row: dict[str, Any]) -> EpisodeRecord:
        year = self.year
        closure = _by_reference_date(row["closure_date"], year)
        assessments = []
        for a in self.assessments.get(row["id"], ()):
            authorised = _by_reference_date(a["authorised_date"], year)
            assessments.append(
                AssessmentRecord(
                    id=a["id"],
                    start_date=a["start_date"],
                    internal_review_date=_by_reference_date(a["internal_review_date"], year),
                    authorisation_date=authorised,
                    # Factors are the assessment's findings: reported once it is authorised (rule 8614).
                    factors=tuple(str(code) for code in a["factors"] or ()) if authorised else (),
                )
            )
        section_47s: list[Section47Record] = []
        episode_icpc: dt.date | None = None
        for s47 in self.section_47s.get(row["id"], ()):
            icpc = _by_reference_date(s47["icpc_date"], year)
            if year.contains(s47["start_date"]):
                section_47s.append(
                    Section47Record(
                        id=s47["id"],
                        start_date=s47["start_date"],
                        icpc_target=s47["icpc_target_date"],
                        icpc_date=icpc,
                        icpc_not_required=s47["icpc_not_required"] or s47["outcome"] in NO_CONFERENCE,
                    )
                )
            elif year.contains(icpc) and episode_icpc is None:
                episode_icpc = icpc
        return EpisodeRecord(
            id=row["id"],
            referral_date=row["referral_date"],
            referral_source=row["referral_source"],
            primary_need=row["primary_need"],
            closure_date=closure,
            reason_for_closure=row["reason_for_closure"] if closure else "",
            referral_nfa=row["referral_nfa"],
            initial_cpc_date=episode_icpc,
            assessments=tuple(assessments),
            cin_plans=tuple(
                CINPlanRecord(
                    id=p["id"], start_date=p["start_date"], end_date=_by_reference_date(p["end_date"], year)
                )
                for p in self.cin_plans.get(row["id"], ())
            ),
            section_47s=tuple(section_47s),
            cp_plans=tuple(
                CPPlanRecord(
                    id=p["id"],
                    start_date=p["start_date"],
                    end_date=_by_reference_date(p["end_date"], year),
                    initial_category=p["initial_category"],
                    latest_category=p["latest_category"],
                    number_of_previous_plans=p["number_of_previous_plans"],
                    review_dates=tuple(r["held_on"] for r in self.reviews.get(p["id"], ())),
                )
                for p in self.cp_plans.get(row["id"], ())
            ),
            team_id=row["team_id"],
            worker_id=row["worker_id"],
        )

    def child(self, person: dict[str, Any]) -> ChildRecord:
        """One child's census record.

        A child born after the reference date was unborn on it: the birth date stands in for
        the expected date (which the record clears at birth) and the sex is U, as for any
        unborn child.
        """
        year = self.year
        born: dt.date | None = person["date_of_birth"]
        born_later = born is not None and born > year.reference_date
        if born_later:
            birth_date, expected = None, born
        else:
            birth_date, expected = born, None if born else person["expected_date_of_birth"]
        return ChildRecord(
            id=person["id"],
            la_child_id=person["la_child_id"] or "",
            upn=person["upn"],
            former_upn=person["former_upn"],
            upn_unknown="" if person["upn"] else person["upn_unknown_reason"],
            birth_date=birth_date,
            expected_birth_date=expected,
            sex="U" if born_later else person["sex"],
            death_date=_by_reference_date(person["date_of_death"], year),
            ethnicity=person["ethnicity"],
            disabilities=tuple(d["code"] for d in self.disabilities.get(person["id"], ())),
            episodes=tuple(self.episode(e) for e in self.episodes.get(person["id"], ())),
        )


PERSON_FIELDS = (
    "id",
    "la_child_id",
    "upn",
    "former_upn",
    "upn_unknown_reason",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "date_of_death",
    "ethnicity",
)


def census_children(year: CensusYear, *, chunk_size: int = 2000) -> Iterator[ChildRecord]:
    """Every child the year reports, in LAchildID order, read ``chunk_size`` children at a time."""
    people = children_queryset(year).values(*PERSON_FIELDS).iterator(chunk_size=chunk_size)
    while batch := list(islice(people, chunk_size)):
        chunk = _Chunk([p["id"] for p in batch], year)
        for person in batch:
            yield chunk.child(person)


def child_record(child_id: uuid.UUID, year: CensusYear) -> ChildRecord | None:
    """One child's record for the year, as the census would read it (for the checks at entry).

    Unlike the census itself, a child with no LAchildID yet or no episode in the year still has
    a record, so that what is being entered can be checked against the rest of it.
    """
    person = Person.objects.filter(pk=child_id).values(*PERSON_FIELDS).first()
    if person is None:
        return None
    return _Chunk([child_id], year).child(person)
