"""The census rules at the point of entry: the checker ``returns`` registers with ``core.entry_checks``.

A form says what it would save (an ``Entry``: its kind, the census values, the record it
belongs to). The checker reads the child's census record for the year the entry falls in
(``build.child_record``), puts the would-be values into it, runs the same rule functions as
the file and the report (``rules.check_child``), and returns the failures that the entry
would bring in: a failure the record already has is not the worker's doing here, and stays
on the pre-submission report.

Rules about the state at the end of the year (an assessment still open at 31 March) or about
the return as a whole do not run at entry (``NOT_AT_ENTRY``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from django.utils import timezone

from safeguard.casework.models import Assessment
from safeguard.core.codes import CategoryOfAbuse
from safeguard.core.entry_checks import Entry, Finding
from safeguard.returns.cin_census.build import (
    AssessmentRecord,
    ChildRecord,
    CINPlanRecord,
    CPPlanRecord,
    EpisodeRecord,
    Section47Record,
    child_record,
)
from safeguard.returns.cin_census.rules import RULES, check_child
from safeguard.returns.cin_census.spec import CensusYear

# Rules that judge the year's end or the return, not one entry.
NOT_AT_ENTRY = frozenset(
    {
        "8590",  # a child with no episode yet is being added
        "8670Q",  # an assessment still open at 31 March
        "8675Q",  # a section 47 with no conference at 31 March
        "8736",  # an open assessment that started before the year
        "8740",  # an open section 47 that started before the year
        "8545Q",  # a date of death in the census year
        "8530Q",  # an expected date of birth in the census year's range
        "8614",  # factors are recorded as the assessment goes; reported once it is authorised
    }
)


def year_of(day: dt.date | None) -> CensusYear:
    """The census year (1 April to 31 March) that ``day`` falls in; today's if no day."""
    day = day or timezone.localdate()
    return CensusYear(day.year + 1 if day.month >= 4 else day.year)


def _bare_child(child_id: uuid.UUID) -> ChildRecord:
    """A child being added: nothing known yet (sex "not known", as an unborn child's is)."""
    return ChildRecord(
        id=child_id,
        la_child_id="",
        upn="",
        former_upn="",
        upn_unknown="",
        birth_date=None,
        expected_birth_date=None,
        sex="U",
        death_date=None,
        ethnicity="",
        disabilities=(),
    )


def _with_episode(
    record: ChildRecord, episode_id: uuid.UUID | None, change: Callable[[EpisodeRecord], EpisodeRecord]
) -> ChildRecord | None:
    if not any(e.id == episode_id for e in record.episodes):
        return None
    return replace(record, episodes=tuple(change(e) if e.id == episode_id else e for e in record.episodes))


def _episode_of(record: ChildRecord, kind: str, record_id: uuid.UUID | None) -> uuid.UUID | None:
    for episode in record.episodes:
        if any(item.id == record_id for item in getattr(episode, kind)):
            return episode.id
    return None


def _date(values: Mapping[str, Any], name: str) -> dt.date | None:
    value = values.get(name)
    return value if isinstance(value, dt.date) else None


# --- What each kind of entry changes in the child's record -----------------------------------------


def _assessment_start(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    start = _date(entry.values, "AssessmentActualStartDate")
    if start is None:
        return None
    new = AssessmentRecord(id=uuid.uuid4(), start_date=start, authorisation_date=None, factors=())
    return _with_episode(
        record, entry.target.episode_id, lambda e: replace(e, assessments=(*e.assessments, new))
    )


def _assessment_change(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    """Authorising an assessment (its date, so its factors are reported) or changing its factors."""
    assessment_id = entry.target.record_id
    episode_id = _episode_of(record, "assessments", assessment_id)
    if episode_id is None or assessment_id is None:
        return None
    authorised = _date(entry.values, "AssessmentAuthorisationDate")
    if "AssessmentFactors" in entry.values:
        factors = tuple(str(code) for code in entry.values["AssessmentFactors"] or ())
    else:
        stored = Assessment.objects.filter(pk=assessment_id).values_list("factors", flat=True).first()
        factors = tuple(str(code) for code in stored or ())

    def change(a: AssessmentRecord) -> AssessmentRecord:
        if a.id != assessment_id:
            return a
        return replace(a, authorisation_date=authorised or a.authorisation_date, factors=factors)

    return _with_episode(
        record, episode_id, lambda e: replace(e, assessments=tuple(change(a) for a in e.assessments))
    )


def _episode_close(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    closed = _date(entry.values, "CINclosureDate")
    reason = str(entry.values.get("ReasonForClosure") or "")
    return _with_episode(
        record, entry.target.episode_id, lambda e: replace(e, closure_date=closed, reason_for_closure=reason)
    )


def _episode_details(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    values = entry.values

    def change(e: EpisodeRecord) -> EpisodeRecord:
        return replace(
            e,
            primary_need=str(values.get("PrimaryNeedCode", e.primary_need) or ""),
            referral_source=str(values.get("ReferralSource", e.referral_source) or ""),
            referral_nfa=bool(values.get("ReferralNFA", e.referral_nfa)),
        )

    return _with_episode(record, entry.target.episode_id, change)


def _cin_plan_start(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    start = _date(entry.values, "CINPlanStartDate")
    if start is None:
        return None
    new = CINPlanRecord(id=uuid.uuid4(), start_date=start, end_date=None)
    return _with_episode(record, entry.target.episode_id, lambda e: replace(e, cin_plans=(*e.cin_plans, new)))


def _cin_plan_end(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    plan_id = entry.target.record_id
    end = _date(entry.values, "CINPlanEndDate")
    episode_id = _episode_of(record, "cin_plans", plan_id)
    return _with_episode(
        record,
        episode_id,
        lambda e: replace(
            e, cin_plans=tuple(replace(p, end_date=end) if p.id == plan_id else p for p in e.cin_plans)
        ),
    )


def _s47_start(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    start = _date(entry.values, "S47ActualStartDate")
    if start is None:
        return None
    new = Section47Record(
        id=uuid.uuid4(), start_date=start, icpc_target=None, icpc_date=None, icpc_not_required=False
    )
    return _with_episode(
        record, entry.target.episode_id, lambda e: replace(e, section_47s=(*e.section_47s, new))
    )


def _initial_conference(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    """An initial conference held (the section 47's DateOfInitialCPC), starting a plan or not."""
    held = _date(entry.values, "DateOfInitialCPC")
    enquiry_id = entry.target.record_id
    episode_id = _episode_of(record, "section_47s", enquiry_id)
    if held is not None and episode_id is not None:
        record = (
            _with_episode(
                record,
                episode_id,
                lambda e: replace(
                    e,
                    section_47s=tuple(
                        replace(s, icpc_date=held) if s.id == enquiry_id else s for s in e.section_47s
                    ),
                ),
            )
            or record
        )
    if _date(entry.values, "CPPstartDate") is None:
        return record
    return _cp_plan_start(record, entry)


def _cp_plan_review(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    held = _date(entry.values, "CPPreviewDate")
    plan_id = entry.target.record_id
    episode_id = _episode_of(record, "cp_plans", plan_id)
    if held is None:
        return None
    return _with_episode(
        record,
        episode_id,
        lambda e: replace(
            e,
            cp_plans=tuple(
                replace(p, review_dates=(*p.review_dates, held)) if p.id == plan_id else p for p in e.cp_plans
            ),
        ),
    )


def _cp_plan_start(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    start = _date(entry.values, "CPPstartDate")
    if start is None:
        return None
    # The category is checked by its own field's choices; a plan being started has one.
    category = str(entry.values.get("InitialCategoryOfAbuse") or CategoryOfAbuse.NEGLECT)
    previous = sum(1 for e in record.episodes for p in e.cp_plans)
    new = CPPlanRecord(
        id=uuid.uuid4(),
        start_date=start,
        end_date=None,
        initial_category=category,
        latest_category=category,
        number_of_previous_plans=previous,
        review_dates=(),
    )
    return _with_episode(record, entry.target.episode_id, lambda e: replace(e, cp_plans=(*e.cp_plans, new)))


CHILD_VALUES = {
    "PersonBirthDate": "birth_date",
    "ExpectedPersonBirthDate": "expected_birth_date",
    "Sex": "sex",
    "PersonDeathDate": "death_date",
    "Ethnicity": "ethnicity",
    "UPN": "upn",
    "FormerUPN": "former_upn",
    "UPNunknown": "upn_unknown",
    "Disability": "disabilities",
}


def _child_details(record: ChildRecord, entry: Entry) -> ChildRecord | None:
    changes: dict[str, Any] = {}
    for census, attribute in CHILD_VALUES.items():
        if census in entry.values:
            value = entry.values[census]
            if attribute == "disabilities":
                value = tuple(str(code) for code in value or ())
            elif not attribute.endswith("date"):
                value = str(value or "")
            changes[attribute] = value
    return replace(record, **changes)


# kind -> (the census field that picks the year, or None for today's, and what it changes)
KINDS: dict[str, tuple[str | None, Callable[[ChildRecord, Entry], ChildRecord | None]]] = {
    "assessment_start": ("AssessmentActualStartDate", _assessment_start),
    "assessment_authorise": ("AssessmentAuthorisationDate", _assessment_change),
    "assessment_factors": (None, _assessment_change),
    "episode_close": ("CINclosureDate", _episode_close),
    "episode_details": (None, _episode_details),
    "cin_plan_start": ("CINPlanStartDate", _cin_plan_start),
    "cin_plan_end": ("CINPlanEndDate", _cin_plan_end),
    "section_47_start": ("S47ActualStartDate", _s47_start),
    "cp_plan_start": ("CPPstartDate", _cp_plan_start),
    "initial_conference": ("DateOfInitialCPC", _initial_conference),
    "cp_plan_review": ("CPPreviewDate", _cp_plan_review),
    "child_details": (None, _child_details),
}


def _failures(record: ChildRecord, year: CensusYear) -> set[tuple[str, uuid.UUID | None, uuid.UUID | None]]:
    return {(f.rule, f.episode_id, f.record_id) for f in check_child(record, year)}


def census_entry_check(entry: Entry) -> Iterator[Finding]:
    """The census rules that ``entry`` would newly break (registered by ``ReturnsConfig.ready``)."""
    if entry.kind not in KINDS:
        return
    date_field, apply = KINDS[entry.kind]
    year = year_of(_date(entry.values, date_field) if date_field else None)
    child_id = entry.target.child_id
    before = (child_record(child_id, year) if child_id else None) or _bare_child(child_id or uuid.uuid4())
    after = apply(before, entry)
    if after is None:
        return
    already = _failures(before, year)
    seen: set[str] = set()
    for failure in check_child(after, year):
        key = (failure.rule, failure.episode_id, failure.record_id)
        if failure.rule in NOT_AT_ENTRY or key in already or failure.rule in seen:
            continue
        seen.add(failure.rule)
        rule = RULES[failure.rule]
        yield Finding(rule=rule.number, severity=rule.severity, message=rule.message, fields=rule.fields)
