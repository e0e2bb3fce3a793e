"""The DfE's CIN census validation rules (2025-26) as named, tested functions.

Each rule has the DfE's number, its severity (an error blocks submission; a query must be
explained), a message in plain words for the worker who fixes it, and the census fields it
reads. A rule looks at one child's census record (``build.ChildRecord``: the year's activity,
dates after the reference date already left out) and yields where it fails: the episode and
the record inside it, so the pre-submission report can link to the thing to fix. Rules over
the whole return (a LAchildID or UPN used twice) are ``ReturnRule``s, fed child by child.

Rules about the authority's return as a whole (rule 100's reference date, 2883's count of
plans against conferences, the shares in 2886Q to 2888Q) are ``AuthorityRule``s over
``ReturnTotals``, gathered child by child; their failures name no child.

``catalogue.DFE_RULES`` lists every rule number in the DfE's set, and every one is here. Three
check values the model always holds (8568's ReferralNFA, 8730's number of previous plans,
8842Q's review date are required fields), so they fire only on a record built some other way,
an import say; 1530 accepts this council's own LA code beside the DfE's list, since the
fictional council's code (999) is on no list.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings

from safeguard.core.calendar import last_working_day_on_or_before
from safeguard.core.codes import (
    AssessmentFactor,
    CategoryOfAbuse,
    Disability,
    Ethnicity,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
    Sex,
)
from safeguard.people.validators import UPN_LETTERS, upn_check_letter
from safeguard.returns.cin_census.build import ChildRecord, CINPlanRecord, CPPlanRecord, EpisodeRecord
from safeguard.returns.cin_census.catalogue import DFE_RULES, Severity
from safeguard.returns.cin_census.spec import CensusYear


@dataclass(frozen=True)
class Where:
    """Where a rule failed: the episode and the record in it (``None`` for the child itself)."""

    episode_id: uuid.UUID | None = None
    record_id: uuid.UUID | None = None


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    severity: Severity
    message: str
    child_id: uuid.UUID
    la_child_id: str
    episode_id: uuid.UUID | None
    record_id: uuid.UUID | None


Check = Callable[[ChildRecord, CensusYear], Iterable[Where]]


@dataclass(frozen=True)
class Rule:
    number: str
    message: str
    fields: tuple[str, ...]
    check: Check

    @property
    def severity(self) -> Severity:
        return DFE_RULES[self.number][0]

    @property
    def dfe_message(self) -> str:
        return DFE_RULES[self.number][1]

    def run(self, child: ChildRecord, year: CensusYear) -> list[RuleFailure]:
        return [
            RuleFailure(
                rule=self.number,
                severity=self.severity,
                message=self.message,
                child_id=child.id,
                la_child_id=child.la_child_id,
                episode_id=where.episode_id,
                record_id=where.record_id,
            )
            for where in self.check(child, year)
        ]


RULES: dict[str, Rule] = {}


def rule(number: str, message: str, *fields: str) -> Callable[[Check], Check]:
    """Register a per-child rule under its DfE number."""

    def register(check: Check) -> Check:
        if number not in DFE_RULES:
            raise ValueError(f"{number} is not a rule in the DfE's set")
        if number in RULES:
            raise ValueError(f"Rule {number} is defined twice")
        RULES[number] = Rule(number=number, message=message, fields=fields, check=check)
        return check

    return register


CHILD = Where()


def _codes(choices: type) -> frozenset[str]:
    return frozenset(str(value) for value in choices.values)  # type: ignore[attr-defined]


SEXES = _codes(Sex)
ETHNICITIES = _codes(Ethnicity)
DISABILITIES = _codes(Disability)
PRIMARY_NEEDS = _codes(PrimaryNeed)
CLOSURE_REASONS = _codes(ReasonForClosure)
REFERRAL_SOURCES = _codes(ReferralSource)
CATEGORIES = _codes(CategoryOfAbuse)
FACTORS = _codes(AssessmentFactor)
AFTER_ASSESSMENT_CLOSURES = frozenset({ReasonForClosure.RC8.value, ReasonForClosure.RC9.value})


def _ep(episode: EpisodeRecord, record_id: uuid.UUID | None = None) -> Where:
    return Where(episode_id=episode.id, record_id=record_id)


def _overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Two periods share a day (an open end runs on)."""
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


# --- Child identifiers -------------------------------------------------------------------------


@rule("8500", "The child has no local child identifier (LAchildID).", "LAchildID")
def _8500(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if not child.la_child_id.strip():
        yield CHILD


@rule("1570", "The local child identifier is longer than 20 characters.", "LAchildID")
def _1570(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if len(child.la_child_id) > 20:
        yield CHILD


@rule(
    "1580",
    "The local child identifier may only contain letters a to z and numbers.",
    "LAchildID",
)
def _1580(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    value = child.la_child_id
    if value and not (value.isascii() and value.isalnum()):
        yield CHILD


def _upn_shape_ok(upn: str) -> bool:
    return len(upn) == 13 and upn[1:12].isascii() and upn[1:12].isdigit()


@rule("1510", "The UPN's check letter (the first character) is wrong: check the UPN.", "UPN")
def _1510(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    upn = child.upn.upper()
    well_formed = upn and _upn_shape_ok(upn) and (upn[12].isdigit() or upn[12] in UPN_LETTERS)
    if well_formed and upn_check_letter(upn[1:]) != upn[0]:
        yield CHILD


@rule("1540", "Characters 2 to 12 of the UPN must all be numbers.", "UPN")
def _1540(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    upn = child.upn
    if upn and not (len(upn) >= 12 and upn[1:12].isascii() and upn[1:12].isdigit()):
        yield CHILD


@rule("1550", "The last character of the UPN must be a number or a UPN letter.", "UPN")
def _1550(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    upn = child.upn.upper()
    if upn and (len(upn) != 13 or not (upn[12].isdigit() or upn[12] in UPN_LETTERS)):
        yield CHILD


@rule(
    "1560Q",
    "The former UPN is not in the UPN format (a letter, 11 numbers, a number or letter).",
    "FormerUPN",
)
def _1560q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    upn = child.former_upn
    if upn and not (
        len(upn) == 13
        and upn[0].isascii()
        and upn[0].isalpha()
        and _upn_shape_ok(upn)
        and upn[12].isascii()
        and upn[12].isalnum()
    ):
        yield CHILD


@rule("4180", "Sex must be recorded as male (M), female (F) or unknown (U).", "Sex")
def _4180(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if child.sex not in SEXES:
        yield CHILD


@rule(
    "8750",
    "An unborn child's sex must be recorded as unknown (U) until the birth is recorded.",
    "Sex",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
)
def _8750(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if child.birth_date is None and child.expected_birth_date is not None and child.sex != Sex.UNKNOWN:
        yield CHILD


@rule("4220", "Ethnicity is missing or not a census ethnicity code.", "Ethnicity")
def _4220(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if child.ethnicity not in ETHNICITIES:
        yield CHILD


@rule(
    "8520",
    "The date of birth is after the end of the census year (31 March).",
    "PersonBirthDate",
    "ReferenceDate",
)
def _8520(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if child.birth_date is not None and child.birth_date > year.reference_date:
        yield CHILD


@rule(
    "8525Q",
    "Record either the date of birth or, for an unborn child, the expected date of birth (one, not both).",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
)
def _8525q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if (child.birth_date is None) == (child.expected_birth_date is None):
        yield CHILD


@rule(
    "8530Q",
    "The expected date of birth should be between 1 March and 31 December of the census year's end.",
    "ExpectedPersonBirthDate",
)
def _8530q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    expected = child.expected_birth_date
    if expected is not None and not (dt.date(year.year, 3, 1) <= expected <= dt.date(year.year, 12, 31)):
        yield CHILD


@rule("8535Q", "The date of death is before the date of birth.", "PersonDeathDate", "PersonBirthDate")
def _8535q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if child.death_date and child.birth_date and child.death_date < child.birth_date:
        yield CHILD


@rule("8545Q", "The date of death should be within the census year.", "PersonDeathDate")
def _8545q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if child.death_date is not None and not year.contains(child.death_date):
        yield CHILD


@rule(
    "8555Q",
    "A referral is dated after the child's recorded date of death.",
    "PersonDeathDate",
    "CINreferralDate",
)
def _8555q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if child.death_date and episode.referral_date > child.death_date:
            yield _ep(episode)


@rule(
    "8585Q",
    "An episode closed because the child died (RC2), but the child has no date of death.",
    "ReasonForClosure",
    "PersonDeathDate",
)
def _8585q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.reason_for_closure == ReasonForClosure.RC2 and child.death_date is None:
            yield _ep(episode)


@rule("8540", "A disability code is not one of the census disability codes.", "Disability")
def _8540(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if any(code not in DISABILITIES for code in child.disabilities):
        yield CHILD


@rule("8790", "Disabilities include both 'no disability' (NONE) and a disability.", "Disability")
def _8790(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if Disability.NONE in child.disabilities and len(set(child.disabilities)) > 1:
        yield CHILD


@rule("8794", "The same disability is recorded twice.", "Disability")
def _8794(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if len(set(child.disabilities)) != len(child.disabilities):
        yield CHILD


@rule(
    "8772",
    "'UPN unknown' says the referral had no further action (UN7), but an episode went on to further action.",
    "UPNunknown",
    "ReferralNFA",
)
def _8772(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if child.upn_unknown == "UN7" and any(not e.referral_nfa for e in child.episodes):
        yield CHILD


@rule(
    "8770Q",
    "The child is of school age and had further action: record the UPN or why it is unknown (not UN1).",
    "UPN",
    "UPNunknown",
    "PersonBirthDate",
    "ReferralNFA",
)
def _8770q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    # School age here: six or older on 31 August of the year the census ends (the DfE's test).
    cutoff = dt.date(year.year - 6, 8, 31)
    school_age = child.birth_date is not None and child.birth_date <= cutoff
    further_action = any(not e.referral_nfa for e in child.episodes)
    if school_age and further_action and not child.upn and child.upn_unknown in ("", "UN1"):
        yield CHILD


@rule("8590", "The child has no episode in the census year.", "LAchildID")
def _8590(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if not child.episodes:
        yield CHILD


# --- CIN details (episodes) ---------------------------------------------------------------------


@rule("8600", "The referral date is after the end of the census year.", "CINreferralDate")
def _8600(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.referral_date > year.reference_date:
            yield _ep(episode)


@rule(
    "8606",
    "The referral is more than 40 weeks before the child's date of birth or expected date of birth.",
    "CINreferralDate",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
)
def _8606(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    born = child.birth_date or child.expected_birth_date
    for episode in child.episodes:
        if born is not None and episode.referral_date < born - dt.timedelta(weeks=40):
            yield _ep(episode)


@rule("8620", "The closure date must be within the census year.", "CINclosureDate")
def _8620(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.closure_date is not None and not year.contains(episode.closure_date):
            yield _ep(episode)


@rule("8630", "The episode closes before its referral date.", "CINreferralDate", "CINclosureDate")
def _8630(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.closure_date is not None and episode.closure_date < episode.referral_date:
            yield _ep(episode)


@rule("8640", "The reason for closure is not a census code (RC1 to RC9).", "ReasonForClosure")
def _8640(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.reason_for_closure and episode.reason_for_closure not in CLOSURE_REASONS:
            yield _ep(episode)


@rule("8650", "The primary need is not a census code (N0 to N9).", "PrimaryNeedCode")
def _8650(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.primary_need and episode.primary_need not in PRIMARY_NEEDS:
            yield _ep(episode)


@rule(
    "8610",
    "The referral led to further action, so the episode needs a primary need.",
    "ReferralNFA",
    "PrimaryNeedCode",
)
def _8610(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if not episode.referral_nfa and not episode.primary_need:
            yield _ep(episode)


@rule("8866", "The referral source is missing or not a census code.", "CINreferralDate", "ReferralSource")
def _8866(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.referral_source not in REFERRAL_SOURCES:
            yield _ep(episode)


@rule(
    "8805", "The episode has a closure date but no reason for closure.", "CINclosureDate", "ReasonForClosure"
)
def _8805(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.closure_date is not None and not episode.reason_for_closure:
            yield _ep(episode)


@rule(
    "8810", "The episode has a reason for closure but no closure date.", "ReasonForClosure", "CINclosureDate"
)
def _8810(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.reason_for_closure and episode.closure_date is None:
            yield _ep(episode)


@rule(
    "8815",
    "The child has more than one open episode that is not a referral with no further action.",
    "ReferralNFA",
    "CINclosureDate",
)
def _8815(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    open_episodes = [e for e in child.episodes if e.closure_date is None and not e.referral_nfa]
    if len(open_episodes) > 1:
        yield from (_ep(e) for e in open_episodes)


@rule(
    "8816",
    "An open episode is not the child's latest episode: close it, or check the later referral.",
    "CINreferralDate",
    "ReferralNFA",
)
def _8816(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    if not child.episodes:
        return
    latest = max(e.referral_date for e in child.episodes)
    for episode in child.episodes:
        if episode.closure_date is None and not episode.referral_nfa and episode.referral_date < latest:
            yield _ep(episode)


@rule(
    "8820",
    "The child's episodes overlap: one starts before the other has closed.",
    "CINreferralDate",
    "CINclosureDate",
)
def _8820(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    episodes = sorted(child.episodes, key=lambda e: e.referral_date)
    for earlier, later in itertools.pairwise(episodes):
        # An episode may close on the day the next referral arrives.
        if earlier.closure_date is None or later.referral_date < earlier.closure_date:
            yield _ep(later)


@rule(
    "8831",
    "The referral is marked 'no further action' but has an assessment or section 47 enquiry.",
    "ReferralNFA",
    "AssessmentActualStartDate",
    "S47ActualStartDate",
    "DateOfInitialCPC",
)
def _8831(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.referral_nfa and (episode.assessments or episode.section_47s or episode.initial_cpc_date):
            yield _ep(episode)


@rule(
    "8832",
    "The referral is marked 'no further action' but has a child protection plan.",
    "ReferralNFA",
    "CPPstartDate",
)
def _8832(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.referral_nfa and episode.cp_plans:
            yield _ep(episode)


@rule(
    "4000",
    "The referral is marked 'no further action' but has a child in need plan.",
    "ReferralNFA",
    "CINPlanStartDate",
)
def _4000(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.referral_nfa and episode.cin_plans:
            yield _ep(episode)


@rule(
    "2990",
    "The episode was closed after assessment (RC8 or RC9) but has a plan or section 47 enquiry.",
    "ReasonForClosure",
    "CINPlanStartDate",
    "S47ActualStartDate",
    "CPPstartDate",
)
def _2990(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.reason_for_closure in AFTER_ASSESSMENT_CLOSURES and (
            episode.cin_plans or episode.section_47s or episode.cp_plans or episode.initial_cpc_date
        ):
            yield _ep(episode)


@rule(
    "8825Q",
    "The episode was closed after assessment (RC8 or RC9) but has no assessment.",
    "ReasonForClosure",
    "AssessmentActualStartDate",
)
def _8825q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.reason_for_closure in AFTER_ASSESSMENT_CLOSURES and not episode.assessments:
            yield _ep(episode)


@rule(
    "8565",
    "Activity is dated after the episode closed.",
    "CINclosureDate",
    "AssessmentActualStartDate",
    "AssessmentAuthorisationDate",
    "S47ActualStartDate",
    "DateOfInitialCPC",
    "CINPlanStartDate",
    "CINPlanEndDate",
    "CPPendDate",
)
def _8565(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        closed = episode.closure_date
        if closed is None:
            continue
        dated: list[tuple[uuid.UUID | None, dt.date | None]] = [(None, episode.initial_cpc_date)]
        dated += [(a.id, a.start_date) for a in episode.assessments]
        dated += [(a.id, a.authorisation_date) for a in episode.assessments]
        dated += [(s.id, s.start_date) for s in episode.section_47s]
        dated += [(s.id, s.icpc_date) for s in episode.section_47s]
        dated += [(p.id, p.start_date) for p in episode.cin_plans]
        dated += [(p.id, p.end_date) for p in episode.cin_plans]
        dated += [(p.id, p.end_date) for p in episode.cp_plans]
        for record_id, day in dated:
            if day is not None and day > closed:
                yield _ep(episode, record_id)
                break


# --- Assessments -------------------------------------------------------------------------------


@rule(
    "1103",
    "The assessment starts before the referral date.",
    "AssessmentActualStartDate",
    "CINreferralDate",
)
def _1103(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for a in episode.assessments:
            if a.start_date < episode.referral_date:
                yield _ep(episode, a.id)


@rule(
    "8608",
    "The assessment is authorised before it started.",
    "AssessmentActualStartDate",
    "AssessmentAuthorisationDate",
)
def _8608(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for a in episode.assessments:
            if a.authorisation_date is not None and a.authorisation_date < a.start_date:
                yield _ep(episode, a.id)


@rule(
    "8614",
    "Assessment factors are recorded on an assessment that is not yet authorised.",
    "AssessmentAuthorisationDate",
    "AssessmentFactors",
)
def _8614(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for a in episode.assessments:
            if a.factors and a.authorisation_date is None:
                yield _ep(episode, a.id)


@rule(
    "8696",
    "The assessment's authorisation date must be within the census year.",
    "AssessmentAuthorisationDate",
    "ReferenceDate",
)
def _8696(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for a in episode.assessments:
            if a.authorisation_date is not None and not year.contains(a.authorisation_date):
                yield _ep(episode, a.id)


@rule(
    "8736",
    "An assessment not yet authorised must have started within the census year.",
    "AssessmentAuthorisationDate",
    "AssessmentActualStartDate",
)
def _8736(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for a in episode.assessments:
            if a.authorisation_date is None and not year.contains(a.start_date):
                yield _ep(episode, a.id)


@rule(
    "8869",
    "Factor 21 ('no factors identified') cannot be recorded with other factors.",
    "AssessmentFactors",
)
def _8869(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for a in episode.assessments:
            if "21" in a.factors and len(set(a.factors)) > 1:
                yield _ep(episode, a.id)


@rule("8898", "The same assessment factor is recorded twice on one assessment.", "AssessmentFactors")
def _8898(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for a in episode.assessments:
            if len(set(a.factors)) != len(a.factors):
                yield _ep(episode, a.id)


@rule(
    "8897Q",
    "The authorised assessment has no factors: record what the assessment found (or 21, no factors).",
    "AssessmentAuthorisationDate",
    "AssessmentFactors",
)
def _8897q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for a in episode.assessments:
            if a.authorisation_date is not None and not a.factors:
                yield _ep(episode, a.id)


def _deprecated_factor(code: str) -> Check:
    def check(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
        for episode in child.episodes:
            for a in episode.assessments:
                if code in a.factors:
                    yield _ep(episode, a.id)

    return check


rule(
    "8945Q",
    "Factor 18A is no longer used: record 18B (child on child) or 18C (adult on child).",
    "AssessmentFactors",
)(_deprecated_factor("18A"))
rule(
    "8950Q",
    "Factor 19A is no longer used: record 19B (child on child) or 19C (adult on child).",
    "AssessmentFactors",
)(_deprecated_factor("19A"))


@rule("8896", "The episode has more than one assessment not yet authorised.", "AssessmentAuthorisationDate")
def _8896(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if sum(1 for a in episode.assessments if a.authorisation_date is None) > 1:
            yield _ep(episode)


@rule(
    "8863Q",
    "An assessment starts while another assessment is still going on.",
    "AssessmentActualStartDate",
    "AssessmentAuthorisationDate",
)
def _8863q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    assessments = sorted(
        ((e, a) for e in child.episodes for a in e.assessments), key=lambda pair: pair[1].start_date
    )
    for (_, earlier), (episode, later) in itertools.pairwise(assessments):
        if earlier.authorisation_date is None or later.start_date < earlier.authorisation_date:
            yield _ep(episode, later.id)


@rule(
    "8867",
    "The episode is closed but an assessment in it has not been authorised.",
    "CINclosureDate",
    "AssessmentAuthorisationDate",
)
def _8867(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.closure_date is not None:
            for a in episode.assessments:
                if a.authorisation_date is None:
                    yield _ep(episode, a.id)


@rule(
    "8670Q",
    "The assessment started more than 45 working days before 31 March and is not yet authorised.",
    "AssessmentActualStartDate",
)
def _8670q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    # 45 working days is at least 63 calendar days; the clocks app holds the exact count.
    for episode in child.episodes:
        for a in episode.assessments:
            if a.authorisation_date is None and _working_days_between(a.start_date, year.reference_date) > 45:
                yield _ep(episode, a.id)


def _working_days_between(start: dt.date, end: dt.date) -> int:
    """Weekdays after ``start`` up to and including ``end`` (bank holidays not counted here)."""
    days = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if not _is_weekend(day):
            days += 1
    return days


# --- CIN plans ---------------------------------------------------------------------------------


@rule("4011", "The child in need plan ends before it starts.", "CINPlanEndDate", "CINPlanStartDate")
def _4011(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cin_plans:
            if p.end_date is not None and p.end_date < p.start_date:
                yield _ep(episode, p.id)


@rule(
    "4012Q", "The child in need plan starts and ends on the same day.", "CINPlanStartDate", "CINPlanEndDate"
)
def _4012q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cin_plans:
            if p.end_date == p.start_date:
                yield _ep(episode, p.id)


@rule(
    "4013",
    "The child in need plan's end date must be within the census year.",
    "CINPlanEndDate",
    "ReferenceDate",
)
def _4013(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cin_plans:
            if p.end_date is not None and not year.contains(p.end_date):
                yield _ep(episode, p.id)


def _plans(child: ChildRecord, kind: str) -> list[tuple[EpisodeRecord, CINPlanRecord | CPPlanRecord]]:
    """The child's CIN plans or CP plans (``kind``), with their episodes, earliest first."""
    plans: list[tuple[EpisodeRecord, CINPlanRecord | CPPlanRecord]] = [
        (episode, plan) for episode in child.episodes for plan in getattr(episode, kind)
    ]
    return sorted(plans, key=lambda pair: pair[1].start_date)


def _second_open_plans(child: ChildRecord, kind: str) -> Iterator[Where]:
    """Every open plan after the first: a child has one open plan of a kind at most."""
    open_plans = [(e, p) for e, p in _plans(child, kind) if p.end_date is None]
    yield from (_ep(e, p.id) for e, p in open_plans[1:])


def _overlapping_plans(child: ChildRecord, kind: str) -> Iterator[Where]:
    """Each plan that starts before the one before it ended (one may start the day one ends)."""
    for (_, earlier), (episode, later) in itertools.pairwise(_plans(child, kind)):
        if earlier.end_date is None or later.start_date < earlier.end_date:
            yield _ep(episode, later.id)


@rule("4004", "The child has more than one open child in need plan.", "CINPlanEndDate")
def _4004(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    return _second_open_plans(child, "cin_plans")


@rule("4014", "The child's child in need plans overlap.", "CINPlanStartDate", "CINPlanEndDate")
def _4014(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    return _overlapping_plans(child, "cin_plans")


@rule(
    "4015", "The child in need plan starts before the referral date.", "CINPlanStartDate", "CINreferralDate"
)
def _4015(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cin_plans:
            if p.start_date < episode.referral_date:
                yield _ep(episode, p.id)


@rule(
    "4008",
    "The child in need plan starts after the child's date of death.",
    "PersonDeathDate",
    "CINPlanStartDate",
)
def _4008(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cin_plans:
            if child.death_date and p.start_date > child.death_date:
                yield _ep(episode, p.id)


@rule(
    "4001",
    "A child in need plan runs at the same time as a child protection plan.",
    "CINPlanStartDate",
    "CINPlanEndDate",
    "CPPstartDate",
    "CPPendDate",
)
def _4001(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cin_plans:
            for cp in episode.cp_plans:
                # A CIN plan may end the day the CP plan starts (and start the day it ends).
                if (cp.end_date is None or p.start_date < cp.end_date) and (
                    p.end_date is None or cp.start_date < p.end_date
                ):
                    yield _ep(episode, p.id)
                    break


@rule(
    "4009Q",
    "The child in need plan ends after the child's date of death.",
    "PersonDeathDate",
    "CINPlanEndDate",
)
def _4009q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cin_plans:
            if child.death_date and p.end_date and p.end_date > child.death_date:
                yield _ep(episode, p.id)


@rule("4010", "The child in need plan starts after the end of the census year.", "CINPlanStartDate")
def _4010(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cin_plans:
            if p.start_date > year.reference_date:
                yield _ep(episode, p.id)


@rule(
    "8775Q",
    "The child would be over 25 years old: check the date of birth.",
    "PersonBirthDate",
    "CINclosureDate",
)
def _8775q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    born = child.birth_date
    if born is None:
        return
    for episode in child.episodes:
        day = episode.closure_date or year.reference_date
        if day.year - born.year - ((day.month, day.day) < (born.month, born.day)) > 25:
            yield _ep(episode)


@rule(
    "8873Q",
    "The episode's only assessment found no factors (21), so it should close as RC8 or RC9.",
    "ReasonForClosure",
    "AssessmentFactors",
)
def _8873q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if (
            episode.closure_date is not None
            and len(episode.assessments) == 1
            and episode.assessments[0].factors == ("21",)
            and episode.reason_for_closure not in AFTER_ASSESSMENT_CLOSURES
        ):
            yield _ep(episode)


# --- Section 47 enquiries and initial conferences ------------------------------------------------


@rule(
    "2889", "The section 47 enquiry starts before the referral date.", "S47ActualStartDate", "CINreferralDate"
)
def _2889(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for s in episode.section_47s:
            if s.start_date < episode.referral_date:
                yield _ep(episode, s.id)


@rule(
    "1104",
    "The initial child protection conference is before the referral date.",
    "CINreferralDate",
    "DateOfInitialCPC",
)
def _1104(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.initial_cpc_date and episode.initial_cpc_date < episode.referral_date:
            yield _ep(episode)
        for s in episode.section_47s:
            if s.icpc_date and s.icpc_date < episode.referral_date:
                yield _ep(episode, s.id)


@rule(
    "8615",
    "The initial child protection conference is before the section 47 enquiry started.",
    "S47ActualStartDate",
    "DateOfInitialCPC",
)
def _8615(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for s in episode.section_47s:
            if s.icpc_date and s.icpc_date < s.start_date:
                yield _ep(episode, s.id)


@rule(
    "2884",
    "The initial conference is recorded on both the section 47 enquiry and the episode: keep one.",
    "DateOfInitialCPC",
)
def _2884(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.initial_cpc_date and any(s.icpc_date for s in episode.section_47s):
            yield _ep(episode)


@rule(
    "8715", "The initial conference date must be within the census year.", "DateOfInitialCPC", "ReferenceDate"
)
def _8715(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.initial_cpc_date and not year.contains(episode.initial_cpc_date):
            yield _ep(episode)
        for s in episode.section_47s:
            if s.icpc_date and not year.contains(s.icpc_date):
                yield _ep(episode, s.id)


@rule("8875", "The initial child protection conference cannot be on a weekend.", "DateOfInitialCPC")
def _8875(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.initial_cpc_date and _is_weekend(episode.initial_cpc_date):
            yield _ep(episode)
        for s in episode.section_47s:
            if s.icpc_date and _is_weekend(s.icpc_date):
                yield _ep(episode, s.id)


@rule("8870Q", "The initial conference's target date should not be a weekend.", "InitialCPCtarget")
def _8870q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for s in episode.section_47s:
            if s.icpc_target and _is_weekend(s.icpc_target):
                yield _ep(episode, s.id)


def _s47_open(s: object) -> bool:
    return getattr(s, "icpc_date", None) is None and not getattr(s, "icpc_not_required", False)


@rule(
    "8839",
    "The episode has more than one section 47 enquiry still open.",
    "DateOfInitialCPC",
    "ICPCnotRequired",
)
def _8839(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if sum(1 for s in episode.section_47s if _s47_open(s)) > 1:
            yield _ep(episode)


@rule(
    "8868",
    "The episode is closed but a section 47 enquiry in it has no conference date and is not "
    "marked 'conference not required'.",
    "ICPCnotRequired",
    "CINclosureDate",
    "DateOfInitialCPC",
)
def _8868(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.closure_date is not None:
            for s in episode.section_47s:
                if _s47_open(s):
                    yield _ep(episode, s.id)


@rule(
    "2991Q",
    "The episode has a section 47 enquiry but no assessment.",
    "S47ActualStartDate",
    "AssessmentActualStartDate",
)
def _2991q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        if episode.section_47s and not episode.assessments:
            yield _ep(episode)


@rule(
    "8890",
    "A section 47 enquiry starts while another is still going on.",
    "S47ActualStartDate",
)
def _8890(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    enquiries = sorted(
        ((e, s) for e in child.episodes for s in e.section_47s), key=lambda es: es[1].start_date
    )
    for (_, earlier), (episode, later) in itertools.pairwise(enquiries):
        still_open = _s47_open(earlier) or (
            earlier.icpc_date is not None and later.start_date < earlier.icpc_date
        )
        if still_open:
            yield _ep(episode, later.id)


@rule(
    "8740",
    "A section 47 enquiry with no conference by 31 March must have started in the census year.",
    "S47ActualStartDate",
    "DateOfInitialCPC",
    "ICPCnotRequired",
)
def _8740(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for s in episode.section_47s:
            if _s47_open(s) and not year.contains(s.start_date):
                yield _ep(episode, s.id)


@rule(
    "8675Q",
    "The section 47 enquiry started more than 15 working days before 31 March and has no conference date.",
    "DateOfInitialCPC",
    "S47ActualStartDate",
    "ICPCnotRequired",
)
def _8675q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for s in episode.section_47s:
            if _s47_open(s) and _working_days_between(s.start_date, year.reference_date) > 15:
                yield _ep(episode, s.id)


# --- Child protection plans --------------------------------------------------------------------


@rule("1105", "The child protection plan starts before the referral date.", "CPPstartDate", "CINreferralDate")
def _1105(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if p.start_date < episode.referral_date:
                yield _ep(episode, p.id)


@rule("8840", "The child protection plan starts and ends on the same day.", "CPPstartDate", "CPPendDate")
def _8840(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if p.end_date == p.start_date:
                yield _ep(episode, p.id)


@rule("8925", "The child protection plan ends before it starts.", "CPPstartDate", "CPPendDate")
def _8925(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if p.end_date is not None and p.end_date < p.start_date:
                yield _ep(episode, p.id)


@rule(
    "8930",
    "The child protection plan's end date must be within the census year.",
    "CPPendDate",
    "ReferenceDate",
)
def _8930(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if p.end_date is not None and not year.contains(p.end_date):
                yield _ep(episode, p.id)


@rule(
    "8720",
    "The child protection plan starts after the end of the census year.",
    "CPPstartDate",
    "ReferenceDate",
)
def _8720(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if p.start_date > year.reference_date:
                yield _ep(episode, p.id)


@rule("8935", "The child has more than one open child protection plan.", "CPPendDate")
def _8935(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    return _second_open_plans(child, "cp_plans")


@rule("8940", "The child's child protection plans overlap.", "CPPstartDate", "CPPendDate")
def _8940(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    return _overlapping_plans(child, "cp_plans")


@rule(
    "8841",
    "A review conference is dated on or before the day the child protection plan started.",
    "CPPstartDate",
    "CPPreviewDate",
)
def _8841(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if any(day <= p.start_date for day in p.review_dates):
                yield _ep(episode, p.id)


@rule("8905", "The initial category of abuse is not a census code.", "InitialCategoryOfAbuse")
def _8905(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if p.initial_category not in CATEGORIES:
                yield _ep(episode, p.id)


@rule("8910", "The latest category of abuse is not a census code.", "LatestCategoryOfAbuse")
def _8910(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if p.latest_category not in CATEGORIES:
                yield _ep(episode, p.id)


@rule(
    "8915",
    "The child protection plan starts after the child's date of death.",
    "CPPstartDate",
    "PersonDeathDate",
)
def _8915(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if child.death_date and p.start_date > child.death_date:
                yield _ep(episode, p.id)


@rule(
    "8920", "The child protection plan ends after the child's date of death.", "PersonDeathDate", "CPPendDate"
)
def _8920(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            if child.death_date and p.end_date and p.end_date > child.death_date:
                yield _ep(episode, p.id)


@rule(
    "2885",
    "The child protection plan starts on a different day from the initial conference.",
    "CPPstartDate",
    "DateOfInitialCPC",
)
def _2885(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        conferences = {s.icpc_date for s in episode.section_47s if s.icpc_date}
        if episode.initial_cpc_date:
            conferences.add(episode.initial_cpc_date)
        for p in episode.cp_plans:
            if year.contains(p.start_date) and conferences and p.start_date not in conferences:
                yield _ep(episode, p.id)


@rule(
    "4003",
    "A child protection review is held while a child in need plan is open.",
    "CINPlanStartDate",
    "CINPlanEndDate",
    "CPPreviewDate",
)
def _4003(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    for episode in child.episodes:
        for p in episode.cp_plans:
            for day in p.review_dates:
                if any(
                    c.start_date < day and (c.end_date is None or day < c.end_date) for c in episode.cin_plans
                ):
                    yield _ep(episode, p.id)
                    break


@rule(
    "4016",
    "A child in need plan starts while a child protection plan is open: end one plan when the other starts.",
    "CINPlanStartDate",
    "CPPstartDate",
    "CPPendDate",
)
def _4016(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    cp_plans = [p for e in child.episodes for p in e.cp_plans]
    for episode in child.episodes:
        for plan in episode.cin_plans:
            if any(_starts_within(plan.start_date, cp.start_date, cp.end_date, year) for cp in cp_plans):
                yield _ep(episode, plan.id)


@rule(
    "4017",
    "A child protection plan starts while a child in need plan is open: end the child in need plan "
    "on the day the protection plan starts.",
    "CPPstartDate",
    "CINPlanStartDate",
    "CINPlanEndDate",
)
def _4017(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    cin_plans = [p for e in child.episodes for p in e.cin_plans]
    for episode in child.episodes:
        for plan in episode.cp_plans:
            if any(_starts_within(plan.start_date, c.start_date, c.end_date, year) for c in cin_plans):
                yield _ep(episode, plan.id)


def _starts_within(day: dt.date, start: dt.date, end: dt.date | None, year: CensusYear) -> bool:
    """``day`` falls in a plan running from ``start`` (an open plan runs to the reference date).

    A plan may start on the day the other ends (rules 4016 and 4017).
    """
    return start <= day and (day < end if end is not None else day <= year.reference_date)


@rule(
    "8842Q",
    "A child protection review has no date: record the day the review conference was held.",
    "CPPreviewDate",
)
def _8842q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    # The model requires a review's date, so this fires only on a record held elsewhere.
    for episode in child.episodes:
        for p in episode.cp_plans:
            if any(day is None for day in p.review_dates):
                yield _ep(episode, p.id)


@rule(
    "8730",
    "The child protection plan does not say how many previous plans the child has had.",
    "NumberOfPreviousCPP",
)
def _8730(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    # The model requires the number (0 when none), so this fires only on a record held elsewhere.
    for episode in child.episodes:
        for p in episode.cp_plans:
            if not isinstance(p.number_of_previous_plans, int) or p.number_of_previous_plans < 0:
                yield _ep(episode, p.id)


# --- Referrals with no further action ----------------------------------------------------------


@rule(
    "8568",
    "The episode does not say whether the referral had no further action (yes or no).",
    "ReferralNFA",
)
def _8568(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    # The model holds a yes or no for every episode, so this fires only on a record held elsewhere.
    for episode in child.episodes:
        if not isinstance(episode.referral_nfa, bool):
            yield _ep(episode)


@rule(
    "8569Q",
    "A referral from before the census year is still marked 'no further action': close it, or "
    "record what followed.",
    "ReferralNFA",
    "CINreferralDate",
)
def _8569q(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    # "Before the start of the census year minus one working day": the last working day of March.
    cutoff = last_working_day_on_or_before(year.start - dt.timedelta(days=1))
    for episode in child.episodes:
        if episode.referral_nfa is True and episode.referral_date < cutoff:
            yield _ep(episode)


# Characters 2 to 4 of a UPN are the allocating authority's code: the DfE's list for rule 1530
# (LA codes since April 1998 and the "pseudo LA" codes), as spans of numbers.
_LA_CODE_SPANS: tuple[tuple[int, int], ...] = (
    (1, 5), (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373), (380, 384),
    (390, 394), (420, 420), (660, 681), (701, 708), (800, 803), (805, 808), (810, 813), (815, 816),
    (820, 823), (825, 826), (830, 831), (835, 841), (845, 846), (850, 852), (855, 857), (860, 861),
    (865, 896), (908, 909), (916, 916), (919, 919), (921, 921), (925, 926), (928, 929), (931, 931),
    (933, 933), (935, 938), (940, 941),
)  # fmt: skip
RECOGNISED_LA_CODES: frozenset[str] = frozenset(
    f"{code:03d}" for low, high in _LA_CODE_SPANS for code in range(low, high + 1)
)


def recognised_la_codes() -> frozenset[str]:
    """The DfE's LA codes and this council's own (a fictional council's code is not on the list)."""
    return RECOGNISED_LA_CODES | {settings.COUNCIL_LA_CODE}


@rule(
    "1530",
    "Characters 2 to 4 of the UPN must be a local authority code: check the UPN.",
    "UPN",
)
def _1530(child: ChildRecord, year: CensusYear) -> Iterator[Where]:
    upn = child.upn
    if len(upn) == 13 and upn[1:4] not in recognised_la_codes():
        yield CHILD


# --- Rules over the whole return ---------------------------------------------------------------


@dataclass
class ReturnRule:
    """A rule about the return as a whole, fed each child in turn."""

    number: str
    message: str
    fields: tuple[str, ...]
    key: Callable[[ChildRecord], str]
    seen: dict[str, ChildRecord] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return DFE_RULES[self.number][0]

    def observe(self, child: ChildRecord) -> list[RuleFailure]:
        value = self.key(child)
        if not value:
            return []
        first = self.seen.setdefault(value, child)
        if first is child:
            return []
        return [
            RuleFailure(
                rule=self.number,
                severity=self.severity,
                message=self.message,
                child_id=child.id,
                la_child_id=child.la_child_id,
                episode_id=None,
                record_id=None,
            )
        ]


def return_rules() -> list[ReturnRule]:
    """Fresh return-level rules for one build (each keeps what it has seen)."""
    return [
        ReturnRule(
            "8510",
            "Another child in the return has the same local child identifier.",
            ("LAchildID",),
            lambda c: c.la_child_id,
        ),
        ReturnRule(
            "1520", "Another child in the return has the same UPN.", ("UPN",), lambda c: c.upn.upper()
        ),
    ]


RETURN_RULE_NUMBERS: tuple[str, ...] = tuple(r.number for r in return_rules())


# --- Rules about the authority's return as a whole ------------------------------------------------


@dataclass
class ReturnTotals:
    """What the authority-level rules count, gathered child by child as the return is read."""

    reference_date: dt.date | None = None
    children: int = 0
    born_with_no_sex: int = 0
    disability_codes: set[str] = field(default_factory=set)
    most_disabilities: int = 0
    cp_plans_started: int = 0
    initial_conferences: int = 0

    def add(self, child: ChildRecord, year: CensusYear) -> None:
        self.children += 1
        if child.expected_birth_date is None and child.sex in ("", Sex.UNKNOWN):
            self.born_with_no_sex += 1
        disabilities = [code for code in child.disabilities if code and code != Disability.NONE]
        self.disability_codes.update(disabilities)
        self.most_disabilities = max(self.most_disabilities, len(disabilities))
        for episode in child.episodes:
            self.cp_plans_started += sum(1 for p in episode.cp_plans if year.contains(p.start_date))
            self.initial_conferences += int(year.contains(episode.initial_cpc_date))
            self.initial_conferences += sum(1 for s in episode.section_47s if year.contains(s.icpc_date))


@dataclass(frozen=True)
class ReturnFailure:
    """A failure of the return as a whole: no child to link, the analyst explains or fixes it."""

    rule: str
    severity: Severity
    message: str

    def as_json(self) -> dict[str, object]:
        return {
            "child_id": None,
            "la_child_id": "",
            "episode_id": None,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "team_id": None,
            "worker_id": None,
        }


@dataclass(frozen=True)
class AuthorityRule:
    number: str
    message: str
    fields: tuple[str, ...]
    fails: Callable[[ReturnTotals, CensusYear], bool]

    @property
    def severity(self) -> Severity:
        return DFE_RULES[self.number][0]


AUTHORITY_RULES: dict[str, AuthorityRule] = {
    r.number: r
    for r in (
        AuthorityRule(
            "100",
            "The header's reference date is not 31 March of the census year.",
            ("ReferenceDate",),
            lambda t, year: t.reference_date != year.reference_date,
        ),
        AuthorityRule(
            "2883",
            "More child protection plans started in the year than initial conferences were held: "
            "check each plan's conference date.",
            ("CPPstartDate", "DateOfInitialCPC"),
            lambda t, year: t.cp_plans_started > t.initial_conferences,
        ),
        AuthorityRule(
            "2886Q",
            "More than 2% of the children (not counting unborn children) have no sex recorded.",
            ("Sex", "ExpectedPersonBirthDate"),
            lambda t, year: t.children > 0 and t.born_with_no_sex / t.children > 0.02,
        ),
        AuthorityRule(
            "2887Q",
            "Fewer than 8 different disability codes are used in the return: "
            "check that disabilities are recorded.",
            ("Disability",),
            lambda t, year: len(t.disability_codes) < 8,
        ),
        AuthorityRule(
            "2888Q",
            "No child has more than one disability recorded: record every disability a child has.",
            ("Disability",),
            lambda t, year: t.most_disabilities <= 1,
        ),
    )
}


def authority_failures(totals: ReturnTotals, year: CensusYear) -> list[ReturnFailure]:
    """The authority-level rules that the whole return breaks, in rule-number order."""
    return [
        ReturnFailure(rule.number, rule.severity, rule.message)
        for number, rule in sorted(AUTHORITY_RULES.items(), key=lambda item: int(item[0].rstrip("Q")))
        if rule.fails(totals, year)
    ]


def implemented_rule_numbers() -> set[str]:
    return set(RULES) | set(RETURN_RULE_NUMBERS) | set(AUTHORITY_RULES)


def check_child(child: ChildRecord, year: CensusYear) -> list[RuleFailure]:
    """Every per-child rule's failures for one child, in rule-number order."""
    failures: list[RuleFailure] = []
    for number in sorted(RULES):
        failures.extend(RULES[number].run(child, year))
    return failures
