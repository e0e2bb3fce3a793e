"""The census file for a year: what it holds, that it passes the DfE schema, and bad input."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from safeguard.audit.models import AuditEvent
from safeguard.casework.models import (
    Assessment,
    ChildProtectionReview,
    CINPlan,
    Section47Enquiry,
    Section47Outcome,
)
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.core.codes import Disability, Sex, UPNUnknown
from safeguard.people.models import Person, PersonDisability
from safeguard.people.tests.factories import ChildFactory
from safeguard.returns.cin_census import services
from safeguard.returns.cin_census.rules import implemented_rule_numbers
from safeguard.returns.cin_census.services import NoCensusData, cin_census_build
from safeguard.returns.cin_census.spec import CensusYearError, schema_for
from safeguard.returns.models import ReturnRun, RunStatus

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
UPN = "J999220172867"


def _full_child() -> Person:
    """A child with every block the census holds, all within 2025-26."""
    child = ChildFactory(
        la_child_id="HM000000001",
        upn=UPN,
        former_upn="",
        date_of_birth=D("2014-02-11"),
        sex=Sex.MALE,
        ethnicity="BAFR",
        date_of_death=None,
    )
    PersonDisability.objects.create(person=child, code=Disability.COMM)
    PersonDisability.objects.create(person=child, code=Disability.AUT)
    episode = EpisodeFactory(
        child=child,
        referral_date=D("2025-05-01"),
        referral_source="2A",
        primary_need="N1",
        closure_date=D("2026-02-27"),
        reason_for_closure="RC7",
    )
    Assessment.objects.create(
        episode=episode,
        start_date=D("2025-05-02"),
        internal_review_date=D("2025-05-30"),
        authorised_date=D("2025-06-20"),
        factors=["16A", "3B"],
    )
    Section47Enquiry.objects.create(
        episode=episode,
        start_date=D("2025-06-02"),
        icpc_target_date=D("2025-06-20"),
        icpc_date=D("2025-06-20"),
        outcome=Section47Outcome.ICPC,
    )
    plan = CPPlanFactory(episode=episode, start_date=D("2025-06-20"), end_date=D("2026-01-15"))
    ChildProtectionReview.objects.create(plan=plan, held_on=D("2025-09-12"))
    CINPlan.objects.create(episode=episode, start_date=D("2026-01-15"), end_date=D("2026-02-27"))
    return child


def _unborn_child() -> Person:
    child = ChildFactory(
        la_child_id="HM000000002",
        date_of_birth=None,
        expected_date_of_birth=D("2026-05-10"),
        sex=Sex.UNKNOWN,
        upn_unknown_reason=UPNUnknown.UN1,
    )
    EpisodeFactory(child=child, referral_date=D("2026-02-02"), referral_source="3B", primary_need="N4")
    return child


def _build(tmp_path: Path, year: int = 2026) -> tuple[services.CensusBuild, etree._ElementTree]:
    output = tmp_path / "census.xml"
    build = cin_census_build(actor=None, year=year, output=output)
    return build, etree.parse(str(output))


def _find(tree: etree._ElementTree | etree._Element, path: str) -> etree._Element:
    element = tree.find(path)
    assert element is not None, path
    return element


def _text(tree: etree._ElementTree, path: str) -> list[str]:
    return [e.text or "" for e in tree.iterfind(path)]


def test_the_file_passes_the_schema_and_holds_every_block(tmp_path: Path) -> None:
    _full_child()
    _unborn_child()
    build, tree = _build(tmp_path)
    schema = schema_for(2026)
    assert schema.validate(tree), schema.error_log
    assert build.children_written == 2
    assert build.schema_problems == []

    assert _text(tree, "Header/CollectionDetails/Collection") == ["CIN"]
    assert _text(tree, "Header/CollectionDetails/Year") == ["2026"]
    assert _text(tree, "Header/CollectionDetails/ReferenceDate") == ["2026-03-31"]
    assert _text(tree, "Header/Source/LEA") == ["999"]
    assert _text(tree, "Header/Source/SoftwareCode") == ["Safeguard"]
    assert _text(tree, "Header/Source/Release") == ["0.1.0"]

    full, unborn = tree.findall("Children/Child")
    assert [e.tag for e in _find(full, "ChildIdentifiers")] == ["LAchildID", "UPN", "PersonBirthDate", "Sex"]
    assert _text(full, "ChildIdentifiers/UPN") == [UPN]
    assert _text(full, "ChildCharacteristics/Disabilities/Disability") == ["AUT", "COMM"]
    details = _find(full, "CINdetails")
    assert [e.tag for e in details] == [
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "Assessments",
        "CINPlanDates",
        "Section47",
        "ReferralNFA",
        "ChildProtectionPlans",
    ]
    assert _text(details, "ReferralNFA") == ["0"]
    assert [e.tag for e in _find(details, "Assessments")] == [
        "AssessmentActualStartDate",
        "AssessmentInternalReviewDate",
        "AssessmentAuthorisationDate",
        "FactorsIdentifiedAtAssessment",
    ]
    assert _text(details, "Assessments/AssessmentInternalReviewDate") == ["2025-05-30"]
    assert _text(details, "Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors") == ["16A", "3B"]
    assert _text(details, "Section47/DateOfInitialCPC") == ["2025-06-20"]
    assert _text(details, "Section47/ICPCnotRequired") == ["0"]
    assert _text(details, "ChildProtectionPlans/Reviews/CPPreviewDate") == ["2025-09-12"]
    assert _text(details, "ChildProtectionPlans/NumberOfPreviousCPP") == ["0"]

    assert [e.tag for e in _find(unborn, "ChildIdentifiers")] == [
        "LAchildID",
        "UPNunknown",
        "ExpectedPersonBirthDate",
        "Sex",
    ]
    assert _text(unborn, "ChildIdentifiers/Sex") == ["U"]
    assert unborn.find("ChildCharacteristics/Disabilities") is None


def test_only_the_years_children_and_activity_are_reported(tmp_path: Path) -> None:
    before = ChildFactory(la_child_id="HM000000010")
    EpisodeFactory(
        child=before, referral_date=D("2024-05-01"), closure_date=D("2025-03-20"), reason_for_closure="RC7"
    )
    after = ChildFactory(la_child_id="HM000000011")
    EpisodeFactory(child=after, referral_date=D("2026-04-02"))
    still_open = ChildFactory(la_child_id="HM000000012")
    episode = EpisodeFactory(
        child=still_open,
        referral_date=D("2026-01-05"),
        closure_date=D("2026-05-01"),
        reason_for_closure="RC7",
    )
    # Reviewed and authorised after 31 March: reported as still going on, without its factors.
    Assessment.objects.create(
        episode=episode,
        start_date=D("2026-01-06"),
        internal_review_date=D("2026-04-02"),
        authorised_date=D("2026-04-10"),
        factors=["16A"],
    )
    _, tree = _build(tmp_path)
    assert _text(tree, "Children/Child/ChildIdentifiers/LAchildID") == ["HM000000012"]
    details = _find(tree, "Children/Child/CINdetails")
    assert details.find("CINclosureDate") is None
    assert details.find("ReasonForClosure") is None
    assert details.find("Assessments/AssessmentAuthorisationDate") is None
    assert details.find("Assessments/AssessmentInternalReviewDate") is None
    assert details.find("Assessments/FactorsIdentifiedAtAssessment") is None


def test_a_conference_for_last_years_enquiry_is_reported_on_the_episode(tmp_path: Path) -> None:
    child = ChildFactory(la_child_id="HM000000020")
    episode = EpisodeFactory(child=child, referral_date=D("2025-03-10"))
    Section47Enquiry.objects.create(
        episode=episode, start_date=D("2025-03-24"), icpc_date=D("2025-04-10"), outcome=Section47Outcome.ICPC
    )
    _, tree = _build(tmp_path)
    details = _find(tree, "Children/Child/CINdetails")
    assert _text(details, "DateOfInitialCPC") == ["2025-04-10"]
    assert details.find("Section47") is None


def test_an_enquiry_that_needed_no_conference_says_so(tmp_path: Path) -> None:
    child = ChildFactory(la_child_id="HM000000021")
    episode = EpisodeFactory(child=child, referral_date=D("2025-06-10"))
    Section47Enquiry.objects.create(
        episode=episode, start_date=D("2025-06-10"), outcome=Section47Outcome.NOT_SUBSTANTIATED
    )
    _, tree = _build(tmp_path)
    assert _text(tree, "Children/Child/CINdetails/Section47/ICPCnotRequired") == ["1"]


def test_a_child_born_after_31_march_is_reported_as_unborn(tmp_path: Path) -> None:
    child = ChildFactory(la_child_id="HM000000022", date_of_birth=D("2026-04-20"), sex=Sex.FEMALE)
    EpisodeFactory(child=child, referral_date=D("2026-01-10"))
    _, tree = _build(tmp_path)
    identifiers = _find(tree, "Children/Child/ChildIdentifiers")
    assert identifiers.find("PersonBirthDate") is None
    assert _text(identifiers, "ExpectedPersonBirthDate") == ["2026-04-20"]
    assert _text(identifiers, "Sex") == ["U"]


def test_a_record_that_breaks_the_schema_is_reported_and_left_out(tmp_path: Path) -> None:
    _full_child()
    broken = ChildFactory(la_child_id="HM000000030")
    episode = EpisodeFactory(child=broken, referral_date=D("2025-08-01"))
    # An unknown code from an import, written past the form's checks.
    Assessment.objects.create(
        episode=episode, start_date=D("2025-08-02"), authorised_date=D("2025-09-01"), factors=["99Z"]
    )
    Person.objects.filter(pk=broken.pk).update(upn="NOT-A-UPN")
    build, tree = _build(tmp_path)
    assert schema_for(2026).validate(tree)
    assert _text(tree, "Children/Child/ChildIdentifiers/LAchildID") == ["HM000000001"]
    assert build.excluded_children == ["HM000000030"]
    paths = {p.path.rsplit("/", 1)[-1] for p in build.schema_problems}
    assert {"UPN", "AssessmentFactors"} <= paths
    assert build.run.excluded_count == 1
    assert build.run.status == RunStatus.SUCCEEDED


def test_the_rules_run_beside_the_schema(tmp_path: Path) -> None:
    # Under school age, so rule 8770Q (a school-age child with no UPN) does not apply.
    child = ChildFactory(la_child_id="HM000000040", date_of_birth=D("2022-03-01"))
    EpisodeFactory(
        child=child, referral_date=D("2025-08-01"), closure_date=D("2025-09-01"), reason_for_closure="RC8"
    )
    build, _ = _build(tmp_path)
    assert [(f.rule, f.la_child_id) for f in build.rule_failures] == [("8825Q", "HM000000040")]
    # A return of one child with no disability uses too few disability codes (the whole return's).
    assert [f.rule for f in build.return_failures] == ["2887Q", "2888Q"]
    assert build.run.rule_query_count == 3
    assert build.run.rule_error_count == 0
    assert {f["rule"] for f in build.run.failures if f["child_id"] is None} == {"2887Q", "2888Q"}


def test_a_run_row_records_the_build(tmp_path: Path) -> None:
    _full_child()
    _build(tmp_path)
    second, tree = _build(tmp_path)
    assert _text(tree, "Header/Source/SerialNo") == ["002"]
    run = ReturnRun.objects.get(pk=second.run.pk)
    assert run.status == RunStatus.SUCCEEDED
    assert run.children_count == 1
    assert run.spec_version == "CIN_schema_2026"
    assert len(run.output_sha256) == 64
    assert run.finished_at is not None


def test_the_2024_25_year_uses_its_own_schema(tmp_path: Path) -> None:
    child = ChildFactory(la_child_id="HM000000050")
    EpisodeFactory(child=child, referral_date=D("2024-06-01"))
    build, tree = _build(tmp_path, year=2025)
    assert build.run.spec_version == "CIN_schema_2025"
    assert schema_for(2025).validate(tree)
    assert _text(tree, "Header/CollectionDetails/ReferenceDate") == ["2025-03-31"]


def test_a_year_whose_schema_is_not_shipped_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CensusYearError, match="no census schema for the year ending 31 March 2027"):
        cin_census_build(actor=None, year=2027, output=tmp_path / "census.xml")
    assert list(tmp_path.iterdir()) == []


def test_a_year_with_no_children_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(NoCensusData, match="No child had a CIN episode open"):
        cin_census_build(actor=None, year=2026, output=tmp_path / "census.xml")
    assert list(tmp_path.iterdir()) == []
    assert not ReturnRun.objects.exists()


def test_a_failure_part_way_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _full_child()
    second = ChildFactory(la_child_id="HM000000060")
    EpisodeFactory(child=second, referral_date=D("2025-07-01"))
    real = services.child_element
    calls: list[str] = []

    def fail_on_second(child: object) -> etree._Element:
        calls.append("called")
        if len(calls) == 2:
            raise OSError("disk full")
        return real(child)

    monkeypatch.setattr(services, "child_element", fail_on_second)
    output = tmp_path / "census.xml"
    output.write_text("last year's file")
    with pytest.raises(OSError, match="disk full"):
        cin_census_build(actor=None, year=2026, output=output)
    # The earlier file is untouched and no temporary file is left beside it.
    assert output.read_text() == "last year's file"
    assert [p.name for p in tmp_path.iterdir()] == ["census.xml"]
    run = ReturnRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert run.message == "disk full"


def test_the_command_writes_the_file_and_summarises(tmp_path: Path) -> None:
    _full_child()
    out = StringIO()
    call_command("cin_census", "--year", "2026", "--output", str(tmp_path / "c.xml"), stdout=out)
    text = out.getvalue()
    assert "1 children for 2025-26 (CIN_schema_2026)" in text
    assert "Every child's record passes the schema." in text
    # One child cannot use eight disability codes: the whole return's query 2887Q.
    assert "DfE rules: 0 errors and 1 queries." in text
    assert "2887Q (the whole return): Fewer than 8 different disability codes" in text
    assert schema_for(2026).validate(etree.parse(str(tmp_path / "c.xml")))


def test_the_command_gives_a_clear_message_for_bad_years(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no census schema"):
        call_command("cin_census", "--year", "2019", "--output", str(tmp_path / "c.xml"))
    with pytest.raises(CommandError, match="No child had a CIN episode open"):
        call_command("cin_census", "--year", "2026", "--output", str(tmp_path / "c.xml"))


def test_cin_rules_lists_every_rule_and_which_are_implemented() -> None:
    out = StringIO()
    call_command("cin_rules", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 110
    implemented = len(implemented_rule_numbers())
    assert lines[-1] == f"{implemented} of 109 rules implemented ({109 - implemented} not yet)."
    assert sum(line.split()[2] == "implemented" for line in lines[:-1]) == implemented
    assert any(line.startswith("1103 ") and "implemented" in line for line in lines)
    assert any(line.startswith("2887Q") and "Fewer than 8 different disability" in line for line in lines)


def test_sealed_children_are_counted_in_the_return(tmp_path: Path) -> None:
    child = _full_child()
    child.is_sealed = True
    child.save()
    build, tree = _build(tmp_path)
    assert _text(tree, "Children/Child/ChildIdentifiers/LAchildID") == ["HM000000001"]
    assert build.children_written == 1


def test_each_build_is_in_the_audit_trail(tmp_path: Path) -> None:
    _full_child()
    build, _ = _build(tmp_path)
    event = AuditEvent.objects.get(action="returns.cin_census.build")
    assert event.object_id == str(build.run.pk)
    assert event.changes["period"] == 2026


def test_a_child_with_contradictory_dates_is_named_with_the_rules_it_breaks(tmp_path: Path) -> None:
    _full_child()
    # Imported past the form's checks: a death before the plan that followed it, and an
    # enquiry that started before its referral.
    contradictory = ChildFactory(la_child_id="HM000000070", date_of_birth=D("2016-04-01"))
    episode = EpisodeFactory(child=contradictory, referral_date=D("2025-09-01"))
    CPPlanFactory(episode=episode, start_date=D("2025-10-01"), end_date=None)
    Section47Enquiry.objects.create(episode=episode, start_date=D("2025-08-01"), icpc_not_required=True)
    Person.objects.filter(pk=contradictory.pk).update(date_of_death=D("2025-09-15"))
    build, tree = _build(tmp_path)
    assert schema_for(2026).validate(tree), "the file is still written and valid"
    assert build.run.status == RunStatus.SUCCEEDED
    mine = {(f.rule, f.la_child_id) for f in build.rule_failures if f.severity == "error"}
    assert ("8915", "HM000000070") in mine
    assert all(child == "HM000000070" for _rule, child in mine)
    messages = {f.message for f in build.rule_failures if f.la_child_id == "HM000000070"}
    assert "The child protection plan starts after the child's date of death." in messages
    assert "The section 47 enquiry starts before the referral date." in messages
