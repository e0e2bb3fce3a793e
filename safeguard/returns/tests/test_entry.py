"""The census rules at the point of entry: a form that would break a rule says so (ADR 13)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from safeguard.casework.forms import (
    AssessmentDetailsForm,
    AssessmentStartForm,
    AuthoriseForm,
    CloseForm,
    PlanDateForm,
    StrategyDiscussionForm,
)
from safeguard.casework.models import Assessment, CINPlan
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.core import entry_checks
from safeguard.core.entry_checks import CONFIRM_FIELD, REASON_FIELD, Entry, EntryTarget
from safeguard.people.forms import SexForm
from safeguard.people.tests.factories import ChildFactory
from safeguard.returns.cin_census.entry import census_entry_check, year_of

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _episode(**kwargs):
    child = ChildFactory(la_child_id="HM000000500", date_of_birth=D("2019-03-01"))
    return EpisodeFactory(child=child, referral_date=D("2025-05-01"), **kwargs)


def _target(episode, record_id=None) -> EntryTarget:
    return EntryTarget(child_id=episode.child_id, episode_id=episode.pk, record_id=record_id)


def test_the_returns_app_registers_its_checker() -> None:
    assert census_entry_check in entry_checks._CHECKERS


def test_the_year_of_a_date_runs_april_to_march() -> None:
    assert year_of(D("2026-03-31")).year == 2026
    assert year_of(D("2026-04-01")).year == 2027


def test_an_assessment_before_the_referral_is_refused_with_the_rule() -> None:
    episode = _episode()
    form = AssessmentStartForm(_date("start_date", D("2025-04-20")), entry=_target(episode))
    assert not form.is_valid()
    [message] = form.errors["start_date"]
    assert "DfE rule 1103" in message
    assert "starts before the referral date" in message
    # Everything typed is still there to correct.
    assert form["start_date"].value() == {"day": "20", "month": "4", "year": "2025"}


def test_an_assessment_after_the_referral_is_accepted() -> None:
    episode = _episode()
    form = AssessmentStartForm(_date("start_date", D("2025-05-02")), entry=_target(episode))
    assert form.is_valid(), form.errors
    assert CONFIRM_FIELD not in form.fields


def test_without_a_target_nothing_is_checked() -> None:
    form = AssessmentStartForm(_date("start_date", D("2025-04-20")))
    assert form.is_valid()


def test_a_second_open_assessment_is_refused() -> None:
    episode = _episode()
    Assessment.objects.create(episode=episode, start_date=D("2025-05-02"))
    form = AssessmentStartForm(_date("start_date", D("2025-06-01")), entry=_target(episode))
    assert not form.is_valid()
    assert any("DfE rule 8896" in m for m in form.non_field_errors())


def test_an_assessment_overlapping_another_is_a_query_to_confirm() -> None:
    episode = _episode()
    Assessment.objects.create(
        episode=episode, start_date=D("2025-05-02"), authorised_date=D("2025-06-20"), factors=["3A"]
    )
    data = _date("start_date", D("2025-06-01"))
    form = AssessmentStartForm(data, entry=_target(episode))
    assert not form.is_valid()
    # The confirmation boxes appear only now, with the rule and its message.
    assert CONFIRM_FIELD in form.fields and REASON_FIELD in form.fields
    assert "DfE rule 8863Q" in form.errors[CONFIRM_FIELD][0]
    assert [q.rule for q in form.entry_queries] == ["8863Q"]
    confirmed = AssessmentStartForm(
        {**data, CONFIRM_FIELD: "on", REASON_FIELD: "A second assessment for the new baby"},
        entry=_target(episode),
    )
    assert confirmed.is_valid(), confirmed.errors
    assert confirmed.cleaned_data[CONFIRM_FIELD] is True
    assert confirmed.cleaned_data[REASON_FIELD] == "A second assessment for the new baby"


def test_closing_after_assessment_without_one_is_a_query() -> None:
    episode = _episode()
    form = CloseForm({**_date("closure_date", D("2025-06-01")), "reason": "RC8"}, entry=_target(episode))
    assert not form.is_valid()
    assert "8825Q" in form.errors[CONFIRM_FIELD][0]


def test_closing_before_the_referral_is_an_error_on_the_date() -> None:
    episode = _episode()
    form = CloseForm({**_date("closure_date", D("2025-04-25")), "reason": "RC1"}, entry=_target(episode))
    assert not form.is_valid()
    assert any("DfE rule 8630" in m for m in form.errors["closure_date"])


def test_a_failure_the_record_already_has_is_not_blamed_on_the_entry() -> None:
    # Two open section 47s already (8839): closing the episode's CIN plan says nothing of them.
    episode = _episode()
    plan = CINPlan.objects.create(episode=episode, start_date=D("2025-06-01"))
    for day in ("2025-05-10", "2025-05-20"):
        episode.section_47s.create(start_date=D(day))
    form = PlanDateForm(_date("on", D("2025-07-01")), ending=True, entry=_target(episode, plan.pk))
    assert form.is_valid(), form.errors


def test_a_cin_plan_inside_a_protection_plan_is_refused() -> None:
    episode = _episode()
    CPPlanFactory(episode=episode, start_date=D("2025-06-01"), end_date=None)
    form = PlanDateForm(_date("on", D("2025-07-01")), entry=_target(episode))
    assert not form.is_valid()
    text = " ".join(form.errors["on"])
    assert "DfE rule 4001" in text and "DfE rule 4016" in text


def test_ending_a_cin_plan_before_it_started_is_refused() -> None:
    episode = _episode()
    plan = CINPlan.objects.create(episode=episode, start_date=D("2025-06-01"))
    form = PlanDateForm(_date("on", D("2025-05-20")), ending=True, entry=_target(episode, plan.pk))
    assert not form.is_valid()
    assert any("DfE rule 4011" in m for m in form.errors["on"])


def test_factor_21_with_others_is_refused() -> None:
    episode = _episode()
    assessment = Assessment.objects.create(episode=episode, start_date=D("2025-05-02"))
    target = _target(episode, assessment.pk)
    form = AssessmentDetailsForm({"factors": ["21", "3A"]}, entry=target)
    assert not form.is_valid()
    assert any("DfE rule 8869" in m for m in form.errors["factors"])
    assert AssessmentDetailsForm({"factors": ["3A"]}, entry=target).is_valid()


def test_authorising_before_the_start_is_refused() -> None:
    episode = _episode()
    assessment = Assessment.objects.create(episode=episode, start_date=D("2025-05-10"), factors=["3A"])
    form = AuthoriseForm(_date("authorised_on", D("2025-05-05")), entry=_target(episode, assessment.pk))
    assert not form.is_valid()
    assert any("DfE rule 8608" in m for m in form.errors["authorised_on"])


def test_authorising_with_no_factors_is_a_query() -> None:
    episode = _episode()
    assessment = Assessment.objects.create(episode=episode, start_date=D("2025-05-10"))
    form = AuthoriseForm(_date("authorised_on", D("2025-06-05")), entry=_target(episode, assessment.pk))
    assert not form.is_valid()
    assert "8897Q" in form.errors[CONFIRM_FIELD][0]


def _discussion(day: dt.date, start: str) -> dict[str, object]:
    return {
        **_date("held_on", day),
        "agencies": ["police", "health", "csc"],
        "information_shared": "Shared",
        "safety_actions": "None needed",
        "start_section_47": start,
    }


def test_a_section_47_before_the_referral_is_refused_only_when_one_starts() -> None:
    episode = _episode()
    Assessment.objects.create(episode=episode, start_date=D("2025-05-02"))
    started = StrategyDiscussionForm(_discussion(D("2025-04-28"), "yes"), entry=_target(episode))
    assert not started.is_valid()
    assert any("DfE rule 2889" in m for m in started.errors["held_on"])
    assert StrategyDiscussionForm(_discussion(D("2025-04-28"), "no"), entry=_target(episode)).is_valid()


def test_the_child_details_forms_check_what_they_hold() -> None:
    # A question of the add-child journey: checked against an empty record, nothing to find.
    form = SexForm({"sex": "F"})
    assert form.entry_target == EntryTarget()
    assert form.is_valid(), form.errors
    assert form.entry_findings == []


def _child_entry(child, **values) -> list[str]:
    entry = Entry("child_details", values, EntryTarget(child_id=child.pk))
    return [f.rule for f in census_entry_check(entry)]


def test_a_childs_census_details_are_checked_against_their_record() -> None:
    episode = _episode()
    child = episode.child
    assert _child_entry(child, UPN="A999220172867") == ["1510"]
    assert _child_entry(child, Disability=["NONE", "MOB"]) == ["8790"]
    assert _child_entry(child, PersonDeathDate=D("2025-04-20")) == ["8555Q"]  # referred after death
    assert _child_entry(child, Sex="M") == []


def test_a_checker_that_fails_does_not_stop_the_form(caplog: pytest.LogCaptureFixture) -> None:
    def broken(entry: Entry) -> list[entry_checks.Finding]:
        raise RuntimeError("broken")

    entry_checks.register(broken)
    try:
        episode = _episode()
        form = AssessmentStartForm(_date("start_date", D("2025-05-02")), entry=_target(episode))
        assert form.is_valid()
        assert "Entry check broken failed" in caplog.text
    finally:
        entry_checks.unregister(broken)


def test_an_unknown_kind_or_record_finds_nothing() -> None:
    assert list(census_entry_check(Entry("visit", {}, EntryTarget()))) == []
    entry = Entry(
        "assessment_start",
        {"AssessmentActualStartDate": D("2025-05-01")},
        EntryTarget(child_id=uuid.uuid4(), episode_id=uuid.uuid4()),
    )
    assert list(census_entry_check(entry)) == []


def test_an_initial_conference_on_a_weekend_is_refused() -> None:
    from safeguard.conferences.forms import RecordForm

    episode = _episode()
    Assessment.objects.create(episode=episode, start_date=D("2025-05-02"))
    enquiry = episode.section_47s.create(start_date=D("2025-06-02"))
    target = _target(episode, enquiry.pk)
    weekend = RecordForm({**_date("held_on", D("2025-06-21")), "plan_needed": "no"}, workers=[], entry=target)
    assert not weekend.is_valid()
    assert any("DfE rule 8875" in m for m in weekend.errors["held_on"])
    weekday = {**_date("held_on", D("2025-06-20")), "plan_needed": "yes", "category": "NEG"}
    assert RecordForm(weekday, workers=[], entry=target).is_valid()


def test_a_review_on_the_day_the_plan_started_is_refused() -> None:
    from safeguard.conferences.forms import RecordForm

    episode = _episode()
    plan = CPPlanFactory(episode=episode, start_date=D("2025-06-20"), end_date=None)
    form = RecordForm(
        {**_date("held_on", D("2025-06-20")), "plan_needed": "yes", "category": "NEG"},
        workers=[],
        review=True,
        entry=_target(episode, plan.pk),
    )
    assert not form.is_valid()
    assert any("DfE rule 8841" in m for m in form.errors["held_on"])
