"""Each implemented DfE rule fires on a record that breaks it and not on one that satisfies it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from safeguard.people.validators import upn_check_letter
from safeguard.returns.cin_census.build import AssessmentRecord, ChildRecord, CINPlanRecord, Section47Record
from safeguard.returns.cin_census.catalogue import DFE_RULES
from safeguard.returns.cin_census.rules import (
    AUTHORITY_RULES,
    RULES,
    ReturnTotals,
    authority_failures,
    check_child,
    implemented_rule_numbers,
    return_rules,
)
from safeguard.returns.tests.records import (
    YEAR,
    D,
    assessment,
    child,
    cin_plan,
    cp_plan,
    episode,
    section_47,
    valid_child,
    with_second_episode,
)


def _nfa_with(**changes: object) -> ChildRecord:
    """A referral with no further action, otherwise bare, with ``changes`` added."""
    record = valid_child()
    bare = replace(
        record.episodes[0],
        referral_nfa=True,
        closure_date=D("2025-05-02"),
        reason_for_closure="RC8",
        assessments=(),
        section_47s=(),
        cp_plans=(),
        cin_plans=(),
    )
    return replace(record, episodes=(replace(bare, **changes),), upn_unknown="UN7", upn="")


def _second_assessment(**changes: object) -> ChildRecord:
    record = valid_child()
    first = record.episodes[0]
    extra = replace(first.assessments[0], **changes)
    return replace(record, episodes=(replace(first, assessments=(*first.assessments, extra)),))


def _second_cin_plan(start: str, end: str | None) -> ChildRecord:
    record = valid_child()
    first = record.episodes[0]
    extra = CINPlanRecord(id=first.id, start_date=D(start), end_date=D(end) if end else None)
    return replace(record, episodes=(replace(first, cin_plans=(*first.cin_plans, extra)),))


def _second_cp_plan(start: str, end: str | None) -> ChildRecord:
    record = valid_child()
    first = record.episodes[0]
    extra = replace(first.cp_plans[0], start_date=D(start), end_date=D(end) if end else None, review_dates=())
    return replace(record, episodes=(replace(first, cp_plans=(*first.cp_plans, extra)),))


def _second_s47(**changes: object) -> ChildRecord:
    record = valid_child()
    first = record.episodes[0]
    extra = replace(first.section_47s[0], **changes)
    return replace(record, episodes=(replace(first, section_47s=(*first.section_47s, extra)),))


def _two_open_assessments() -> ChildRecord:
    record = valid_child()
    first = record.episodes[0]
    open_one = replace(first.assessments[0], authorisation_date=None, factors=())
    later = replace(open_one, start_date=D("2025-07-01"))
    return replace(
        record,
        episodes=(replace(first, closure_date=None, reason_for_closure="", assessments=(open_one, later)),),
    )


def _open_assessment_closed_episode() -> ChildRecord:
    return assessment(authorisation_date=None, factors=())


def _rc8_with_s47() -> ChildRecord:
    return episode(reason_for_closure="RC8")


def _rc8_no_assessment() -> ChildRecord:
    return episode(reason_for_closure="RC8", assessments=(), section_47s=(), cp_plans=(), cin_plans=())


def _two_open_s47s() -> ChildRecord:
    record = valid_child()
    first = record.episodes[0]
    open_one = replace(first.section_47s[0], icpc_date=None)
    later = replace(open_one, start_date=D("2025-06-10"))
    return replace(record, episodes=(replace(first, section_47s=(open_one, later), cp_plans=()),))


def _only_assessment_found_nothing() -> ChildRecord:
    record = assessment(factors=("21",))
    return record


def _upn_with_la_code(code: str) -> str:
    rest = f"{code}220172867"
    return upn_check_letter(rest) + rest


BREAKS: dict[str, Callable[[], ChildRecord]] = {
    "1530": lambda: child(upn=_upn_with_la_code("100")),
    "4016": lambda: cin_plan(start_date=D("2025-12-01")),
    "4017": lambda: cin_plan(start_date=D("2025-06-01"), end_date=D("2025-07-01")),
    "8842Q": lambda: cp_plan(review_dates=(D("2025-09-12"), None)),
    "8730": lambda: cp_plan(number_of_previous_plans=None),
    "8568": lambda: episode(referral_nfa=None),
    "8569Q": lambda: _nfa_with(referral_date=D("2025-03-20"), closure_date=None, reason_for_closure=""),
    "4009Q": lambda: child(death_date=D("2026-02-01")),
    "8770Q": lambda: child(upn="", upn_unknown="UN1"),
    "4010": lambda: cin_plan(start_date=D("2026-04-02"), end_date=None),
    "8775Q": lambda: child(birth_date=D("1990-01-01")),
    "8873Q": _only_assessment_found_nothing,
    "8890": _two_open_s47s,
    "8740": lambda: section_47(start_date=D("2025-03-20"), icpc_date=None),
    "8675Q": lambda: section_47(icpc_date=None),
    "8500": lambda: child(la_child_id=""),
    "1570": lambda: child(la_child_id="C" * 21),
    "1580": lambda: child(la_child_id="C-1234"),
    "1510": lambda: child(upn="A999220172867"),
    "1540": lambda: child(upn="J99922017X867"),
    "1550": lambda: child(upn="J99922017286!"),
    "1560Q": lambda: child(former_upn="12345"),
    "4180": lambda: child(sex="X"),
    "8750": lambda: child(birth_date=None, expected_birth_date=D("2026-05-01"), sex="F"),
    "4220": lambda: child(ethnicity="WXYZ"),
    "8520": lambda: child(birth_date=D("2026-04-02")),
    "8525Q": lambda: child(expected_birth_date=D("2026-05-01")),
    "8530Q": lambda: child(birth_date=None, expected_birth_date=D("2027-02-01"), sex="U"),
    "8535Q": lambda: child(death_date=D("2015-05-01")),
    "8545Q": lambda: child(death_date=D("2025-03-01")),
    "8555Q": lambda: child(death_date=D("2025-04-20")),
    "8585Q": lambda: episode(reason_for_closure="RC2"),
    "8540": lambda: child(disabilities=("XYZ",)),
    "8790": lambda: child(disabilities=("NONE", "MOB")),
    "8794": lambda: child(disabilities=("MOB", "MOB")),
    "8772": lambda: child(upn="", upn_unknown="UN7"),
    "8590": lambda: child(episodes=()),
    "8600": lambda: episode(referral_date=D("2026-04-01")),
    "8606": lambda: episode(referral_date=D("2014-06-01")),
    "8620": lambda: episode(closure_date=D("2026-04-02")),
    "8630": lambda: episode(closure_date=D("2025-04-30")),
    "8640": lambda: episode(reason_for_closure="RC99"),
    "8650": lambda: episode(primary_need="N12"),
    "8610": lambda: episode(primary_need=""),
    "8866": lambda: episode(referral_source="11"),
    "8805": lambda: episode(reason_for_closure=""),
    "8810": lambda: episode(closure_date=None),
    "8815": lambda: replace(
        with_second_episode(),
        episodes=(
            replace(with_second_episode().episodes[0], closure_date=None, reason_for_closure=""),
            with_second_episode().episodes[1],
        ),
    ),
    "8816": lambda: replace(
        with_second_episode(),
        episodes=(
            replace(with_second_episode().episodes[0], closure_date=None, reason_for_closure=""),
            replace(
                with_second_episode().episodes[1],
                referral_nfa=True,
                closure_date=D("2026-03-02"),
                reason_for_closure="RC8",
            ),
        ),
    ),
    "8820": lambda: with_second_episode(referral_date=D("2026-02-20")),
    "8831": lambda: _nfa_with(assessments=valid_child().episodes[0].assessments),
    "8832": lambda: _nfa_with(cp_plans=valid_child().episodes[0].cp_plans),
    "4000": lambda: _nfa_with(cin_plans=valid_child().episodes[0].cin_plans),
    "2990": _rc8_with_s47,
    "8825Q": _rc8_no_assessment,
    "8565": lambda: cin_plan(end_date=D("2026-03-10")),
    "1103": lambda: assessment(start_date=D("2025-04-30")),
    "8608": lambda: assessment(authorisation_date=D("2025-05-01")),
    "8614": lambda: assessment(authorisation_date=None),
    "8696": lambda: assessment(authorisation_date=D("2026-04-02")),
    "8736": lambda: assessment(start_date=D("2025-03-01"), authorisation_date=None, factors=()),
    "8869": lambda: assessment(factors=("21", "16A")),
    "8898": lambda: assessment(factors=("16A", "16A")),
    "8897Q": lambda: assessment(factors=()),
    "8945Q": lambda: assessment(factors=("18A",)),
    "8950Q": lambda: assessment(factors=("19A",)),
    "8896": lambda: _two_open_assessments(),
    "8863Q": lambda: _second_assessment(start_date=D("2025-06-01")),
    "8867": _open_assessment_closed_episode,
    "8670Q": lambda: replace(
        _open_assessment_closed_episode(),
        episodes=(
            replace(_open_assessment_closed_episode().episodes[0], closure_date=None, reason_for_closure=""),
        ),
    ),
    "4011": lambda: cin_plan(end_date=D("2026-01-10")),
    "4012Q": lambda: cin_plan(end_date=D("2026-01-15")),
    "4013": lambda: cin_plan(end_date=D("2026-04-10")),
    "4004": lambda: (
        _second_cin_plan("2026-02-01", None)
        if False
        else replace(
            _second_cin_plan("2026-02-01", None),
            episodes=(
                replace(
                    _second_cin_plan("2026-02-01", None).episodes[0],
                    cin_plans=(
                        replace(valid_child().episodes[0].cin_plans[0], end_date=None),
                        _second_cin_plan("2026-02-01", None).episodes[0].cin_plans[1],
                    ),
                ),
            ),
        )
    ),
    "4014": lambda: _second_cin_plan("2026-02-01", "2026-02-20"),
    "4015": lambda: cin_plan(start_date=D("2025-04-20")),
    "4008": lambda: child(death_date=D("2026-01-10")),
    "4001": lambda: cin_plan(start_date=D("2026-01-10")),
    "2889": lambda: section_47(start_date=D("2025-04-20")),
    "1104": lambda: section_47(icpc_date=D("2025-04-25")),
    "8615": lambda: section_47(icpc_date=D("2025-06-01")),
    "2884": lambda: episode(initial_cpc_date=D("2025-06-20")),
    "8715": lambda: episode(initial_cpc_date=D("2025-03-20")),
    "8875": lambda: section_47(icpc_date=D("2025-06-21")),
    "8870Q": lambda: section_47(icpc_target=D("2025-06-21")),
    "8839": lambda: replace(
        section_47(icpc_date=None),
        episodes=(
            replace(
                section_47(icpc_date=None).episodes[0],
                section_47s=(
                    Section47Record(
                        id=valid_child().id,
                        start_date=D("2025-06-02"),
                        icpc_target=None,
                        icpc_date=None,
                        icpc_not_required=False,
                    ),
                    Section47Record(
                        id=valid_child().id,
                        start_date=D("2025-07-02"),
                        icpc_target=None,
                        icpc_date=None,
                        icpc_not_required=False,
                    ),
                ),
            ),
        ),
    ),
    "8868": lambda: section_47(icpc_date=None, icpc_not_required=False),
    "2991Q": lambda: episode(assessments=()),
    "1105": lambda: cp_plan(start_date=D("2025-04-20")),
    "8840": lambda: cp_plan(end_date=D("2025-06-20")),
    "8925": lambda: cp_plan(end_date=D("2025-06-10")),
    "8930": lambda: cp_plan(end_date=D("2026-04-10")),
    "8720": lambda: cp_plan(start_date=D("2026-04-10")),
    "8935": lambda: replace(
        _second_cp_plan("2026-02-01", None),
        episodes=(
            replace(
                _second_cp_plan("2026-02-01", None).episodes[0],
                cp_plans=(
                    replace(valid_child().episodes[0].cp_plans[0], end_date=None),
                    _second_cp_plan("2026-02-01", None).episodes[0].cp_plans[1],
                ),
            ),
        ),
    ),
    "8940": lambda: _second_cp_plan("2025-12-01", "2026-01-10"),
    "8841": lambda: cp_plan(review_dates=(D("2025-06-20"),)),
    "8905": lambda: cp_plan(initial_category="XXX"),
    "8910": lambda: cp_plan(latest_category="XXX"),
    "8915": lambda: child(death_date=D("2025-06-10")),
    "8920": lambda: child(death_date=D("2025-12-31")),
    "2885": lambda: cp_plan(start_date=D("2025-06-23")),
    "4003": lambda: cp_plan(review_dates=(D("2025-09-12"), D("2026-01-20"))),
}


def test_the_valid_record_breaks_no_rule() -> None:
    assert check_child(valid_child(), YEAR) == []


def test_every_implemented_rule_has_a_breaking_record() -> None:
    assert set(RULES) == set(BREAKS)


def test_every_rule_number_is_the_dfes() -> None:
    assert implemented_rule_numbers() <= set(DFE_RULES)
    assert len(DFE_RULES) == 109


@pytest.mark.parametrize("number", sorted(BREAKS))
def test_rule_fires_on_a_record_that_breaks_it(number: str) -> None:
    record = BREAKS[number]()
    failures = RULES[number].run(record, YEAR)
    assert failures, f"rule {number} did not fire"
    assert {f.rule for f in failures} == {number}
    assert all(f.la_child_id == record.la_child_id for f in failures)
    # The valid record (the satisfying case) does not fire it.
    assert RULES[number].run(valid_child(), YEAR) == []


@pytest.mark.parametrize(
    ("number", "satisfying"),
    [
        ("8820", lambda: with_second_episode(referral_date=D("2026-02-27"))),  # referred the day it closed
        ("4001", lambda: cin_plan(start_date=D("2026-01-15"))),  # CIN plan starts the day CP plan ends
        ("8750", lambda: child(birth_date=None, expected_birth_date=D("2026-05-01"), sex="U")),
        ("8868", lambda: section_47(icpc_date=None, icpc_not_required=True)),
        ("8772", lambda: _nfa_with()),
        ("1510", lambda: child(upn="")),
        ("8770Q", lambda: child(upn="", upn_unknown="UN3")),
        ("8770Q", lambda: child(upn="", upn_unknown="", birth_date=D("2020-09-01"))),
        ("8869", lambda: assessment(factors=("21",))),
        ("8606", lambda: episode(referral_date=D("2014-09-01"))),
        ("1530", lambda: child(upn=_upn_with_la_code("938"))),  # West Sussex
        ("1530", lambda: child(upn="J99922017286")),  # too short: rule 1550's
        ("4016", lambda: cin_plan(start_date=D("2025-06-10"), end_date=D("2025-06-20"))),  # ends as CP starts
        ("4017", lambda: cin_plan(start_date=D("2025-06-01"), end_date=D("2025-06-20"))),
        # 31 March 2025 is the last working day before the year: a referral then may be NFA.
        ("8569Q", lambda: _nfa_with(referral_date=D("2025-03-31"), closure_date=None, reason_for_closure="")),
        ("8569Q", lambda: episode(referral_date=D("2025-03-20"))),  # before the year, not NFA
    ],
)
def test_rule_does_not_fire_on_edge_cases_that_satisfy_it(
    number: str, satisfying: Callable[[], ChildRecord]
) -> None:
    assert RULES[number].run(satisfying(), YEAR) == []


def test_failures_name_the_record_to_fix() -> None:
    record = assessment(start_date=D("2025-04-30"))
    [failure] = RULES["1103"].run(record, YEAR)
    assert failure.episode_id == record.episodes[0].id
    assert failure.record_id == record.episodes[0].assessments[0].id
    assert failure.severity == "error"


def test_return_rules_flag_the_second_child_with_the_same_identifier() -> None:
    rules = {r.number: r for r in return_rules()}
    first, second, other = valid_child(), valid_child(), child(la_child_id="C999", upn="")
    assert rules["8510"].observe(first) == []
    assert rules["8510"].observe(other) == []
    [failure] = rules["8510"].observe(second)
    assert failure.child_id == second.id
    assert rules["1520"].observe(first) == []
    assert rules["1520"].observe(other) == []  # no UPN is not a duplicate
    assert [f.rule for f in rules["1520"].observe(second)] == ["1520"]


def test_an_unauthorised_assessment_reports_no_factors_not_an_error() -> None:
    record = assessment(authorisation_date=None, factors=())
    assert "8614" not in {f.rule for f in check_child(record, YEAR)}
    assert isinstance(record.episodes[0].assessments[0], AssessmentRecord)


def _totals(*children: ChildRecord, reference_date: object = YEAR.reference_date) -> ReturnTotals:
    totals = ReturnTotals(reference_date=reference_date)
    for record in children:
        totals.add(record, YEAR)
    return totals


def _varied_disabilities() -> list[ChildRecord]:
    """Eight children, with eight disability codes between them, one with two."""
    codes = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"]
    return [child(disabilities=(code, "BEH") if i == 0 else (code,)) for i, code in enumerate(codes)]


def test_every_rule_is_implemented() -> None:
    assert implemented_rule_numbers() == set(DFE_RULES)


def test_a_varied_return_breaks_no_authority_rule() -> None:
    assert authority_failures(_totals(*_varied_disabilities()), YEAR) == []


@pytest.mark.parametrize(
    ("number", "totals"),
    [
        ("100", lambda: _totals(*_varied_disabilities(), reference_date=D("2026-03-30"))),
        # The valid child's CP plan started at its section 47's conference; a second plan did not.
        ("2883", lambda: _totals(*_varied_disabilities(), _second_cp_plan("2026-01-20", None))),
        ("2886Q", lambda: _totals(*_varied_disabilities(), child(sex="U"))),
        ("2887Q", lambda: _totals(*_varied_disabilities()[:-2])),  # 7 codes
        ("2888Q", lambda: _totals(*_varied_disabilities()[1:], child(disabilities=("BEH",)))),
    ],
)
def test_authority_rule_fires_on_a_return_that_breaks_it(
    number: str, totals: Callable[[], ReturnTotals]
) -> None:
    failures = authority_failures(totals(), YEAR)
    assert [f.rule for f in failures] == [number]
    assert failures[0].severity == AUTHORITY_RULES[number].severity
    assert failures[0].as_json()["child_id"] is None


def test_unborn_children_do_not_count_as_having_no_sex() -> None:
    unborn = child(birth_date=None, expected_birth_date=D("2026-05-01"), sex="U")
    assert "2886Q" not in {f.rule for f in authority_failures(_totals(*_varied_disabilities(), unborn), YEAR)}
    # One child in 51 with no sex is under 2%.
    many = [*_varied_disabilities()] * 6 + [child(disabilities=("MOB",))] * 2
    assert len(many) == 50
    assert "2886Q" not in {f.rule for f in authority_failures(_totals(*many, child(sex="U")), YEAR)}
