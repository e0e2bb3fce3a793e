"""The census XML: one ``Child`` element per child, in the schema's element order.

Booleans are ``0``/``1`` and dates ``YYYY-MM-DD`` (xs:date). Optional elements with no value
are left out rather than written empty, since an empty element breaks the schema's types.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from safeguard.returns.cin_census.build import ChildRecord, EpisodeRecord
from safeguard.returns.cin_census.spec import SOFTWARE_CODE, CensusYear


def _yes_no(value: bool) -> str:
    return "1" if value else "0"


def _add(parent: etree._Element, tag: str, value: str | dt.date | None) -> None:
    """Add ``<tag>value</tag>`` unless there is no value."""
    if value is None or value == "":
        return
    text = value.isoformat() if isinstance(value, dt.date) else value
    etree.SubElement(parent, tag).text = text


def header_element(
    year: CensusYear, *, la_code: str, release: str, serial_no: int, created_at: dt.datetime
) -> etree._Element:
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", str(year.year))
    _add(details, "ReferenceDate", year.reference_date)
    source = etree.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", la_code)
    _add(source, "SoftwareCode", SOFTWARE_CODE)
    _add(source, "Release", release)
    _add(source, "SerialNo", f"{serial_no:03d}")
    _add(source, "DateTime", created_at.replace(microsecond=0, tzinfo=None).isoformat())
    return header


def _episode_element(parent: etree._Element, episode: EpisodeRecord) -> None:
    details = etree.SubElement(parent, "CINdetails")
    _add(details, "CINreferralDate", episode.referral_date)
    _add(details, "ReferralSource", episode.referral_source)
    _add(details, "PrimaryNeedCode", episode.primary_need)
    _add(details, "CINclosureDate", episode.closure_date)
    _add(details, "ReasonForClosure", episode.reason_for_closure)
    _add(details, "DateOfInitialCPC", episode.initial_cpc_date)
    for assessment in episode.assessments:
        block = etree.SubElement(details, "Assessments")
        _add(block, "AssessmentActualStartDate", assessment.start_date)
        _add(block, "AssessmentInternalReviewDate", assessment.internal_review_date)
        _add(block, "AssessmentAuthorisationDate", assessment.authorisation_date)
        if assessment.factors:
            factors = etree.SubElement(block, "FactorsIdentifiedAtAssessment")
            for code in assessment.factors:
                _add(factors, "AssessmentFactors", code)
    for plan in episode.cin_plans:
        block = etree.SubElement(details, "CINPlanDates")
        _add(block, "CINPlanStartDate", plan.start_date)
        _add(block, "CINPlanEndDate", plan.end_date)
    for s47 in episode.section_47s:
        block = etree.SubElement(details, "Section47")
        _add(block, "S47ActualStartDate", s47.start_date)
        _add(block, "InitialCPCtarget", s47.icpc_target)
        _add(block, "DateOfInitialCPC", s47.icpc_date)
        _add(block, "ICPCnotRequired", _yes_no(s47.icpc_not_required))
    _add(details, "ReferralNFA", _yes_no(episode.referral_nfa))
    for cp_plan in episode.cp_plans:
        block = etree.SubElement(details, "ChildProtectionPlans")
        _add(block, "CPPstartDate", cp_plan.start_date)
        _add(block, "CPPendDate", cp_plan.end_date)
        _add(block, "InitialCategoryOfAbuse", cp_plan.initial_category)
        _add(block, "LatestCategoryOfAbuse", cp_plan.latest_category)
        _add(block, "NumberOfPreviousCPP", str(cp_plan.number_of_previous_plans))
        if cp_plan.review_dates:
            reviews = etree.SubElement(block, "Reviews")
            for day in cp_plan.review_dates:
                _add(reviews, "CPPreviewDate", day)


def child_element(child: ChildRecord) -> etree._Element:
    element = etree.Element("Child")
    identifiers = etree.SubElement(element, "ChildIdentifiers")
    _add(identifiers, "LAchildID", child.la_child_id)
    _add(identifiers, "UPN", child.upn)
    _add(identifiers, "FormerUPN", child.former_upn)
    _add(identifiers, "UPNunknown", child.upn_unknown)
    _add(identifiers, "PersonBirthDate", child.birth_date)
    _add(identifiers, "ExpectedPersonBirthDate", child.expected_birth_date)
    _add(identifiers, "Sex", child.sex)
    _add(identifiers, "PersonDeathDate", child.death_date)
    characteristics = etree.SubElement(element, "ChildCharacteristics")
    _add(characteristics, "Ethnicity", child.ethnicity)
    if child.disabilities:
        disabilities = etree.SubElement(characteristics, "Disabilities")
        for code in child.disabilities:
            _add(disabilities, "Disability", code)
    for episode in child.episodes:
        _episode_element(element, episode)
    return element
