"""A census record that passes every rule, and helpers to change one part of it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from typing import Any

from safeguard.returns.cin_census.build import (
    AssessmentRecord,
    ChildRecord,
    CINPlanRecord,
    CPPlanRecord,
    EpisodeRecord,
    Section47Record,
)
from safeguard.returns.cin_census.spec import CensusYear

YEAR = CensusYear(2026)
VALID_UPN = "J999220172867"
D = dt.date.fromisoformat


def valid_child() -> ChildRecord:
    """A child referred in May 2025: assessment, section 47, conference, CP plan, then a CIN plan."""
    return ChildRecord(
        id=uuid.uuid4(),
        la_child_id="C123456789",
        upn=VALID_UPN,
        former_upn="",
        upn_unknown="",
        birth_date=D("2015-06-01"),
        expected_birth_date=None,
        sex="F",
        death_date=None,
        ethnicity="WBRI",
        disabilities=("NONE",),
        episodes=(
            EpisodeRecord(
                id=uuid.uuid4(),
                referral_date=D("2025-05-01"),
                referral_source="2A",
                primary_need="N1",
                closure_date=D("2026-02-27"),
                reason_for_closure="RC7",
                referral_nfa=False,
                initial_cpc_date=None,
                assessments=(
                    AssessmentRecord(
                        id=uuid.uuid4(),
                        start_date=D("2025-05-02"),
                        authorisation_date=D("2025-06-20"),
                        factors=("16A",),
                    ),
                ),
                section_47s=(
                    Section47Record(
                        id=uuid.uuid4(),
                        start_date=D("2025-06-02"),
                        icpc_target=D("2025-06-20"),
                        icpc_date=D("2025-06-20"),
                        icpc_not_required=False,
                    ),
                ),
                cp_plans=(
                    CPPlanRecord(
                        id=uuid.uuid4(),
                        start_date=D("2025-06-20"),
                        end_date=D("2026-01-15"),
                        initial_category="NEG",
                        latest_category="NEG",
                        number_of_previous_plans=0,
                        review_dates=(D("2025-09-12"),),
                    ),
                ),
                cin_plans=(
                    CINPlanRecord(id=uuid.uuid4(), start_date=D("2026-01-15"), end_date=D("2026-02-27")),
                ),
            ),
        ),
    )


def child(**changes: Any) -> ChildRecord:
    return replace(valid_child(), **changes)


def episode(**changes: Any) -> ChildRecord:
    record = valid_child()
    return replace(record, episodes=(replace(record.episodes[0], **changes),))


def _first(name: str, **changes: Any) -> ChildRecord:
    record = valid_child()
    first = record.episodes[0]
    items = getattr(first, name)
    return replace(record, episodes=(replace(first, **{name: (replace(items[0], **changes), *items[1:])}),))


def assessment(**changes: Any) -> ChildRecord:
    return _first("assessments", **changes)


def section_47(**changes: Any) -> ChildRecord:
    return _first("section_47s", **changes)


def cp_plan(**changes: Any) -> ChildRecord:
    return _first("cp_plans", **changes)


def cin_plan(**changes: Any) -> ChildRecord:
    return _first("cin_plans", **changes)


def with_second_episode(**changes: Any) -> ChildRecord:
    """The valid child with a later, open episode (referred after the first closed)."""
    record = valid_child()
    second = EpisodeRecord(
        id=uuid.uuid4(),
        referral_date=D("2026-03-02"),
        referral_source="6",
        primary_need="N4",
        closure_date=None,
        reason_for_closure="",
        referral_nfa=False,
        initial_cpc_date=None,
    )
    return replace(record, episodes=(record.episodes[0], replace(second, **changes)))
