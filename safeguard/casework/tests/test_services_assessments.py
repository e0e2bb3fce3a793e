from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import Assessment, ClockKind, StatutoryClock
from safeguard.casework.selectors import assessment_authorise_refusal, assessment_missing
from safeguard.casework.services.assessments import (
    EditConflict,
    assessment_authorise,
    assessment_record_details,
    assessment_section_save,
    assessment_start,
    assessment_submit,
)
from safeguard.casework.tests.factories import EpisodeFactory, complete_assessment
from safeguard.core.calendar import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


@pytest.fixture
def episode(social_worker):
    return EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 11, 2))


def test_assessment_clock_runs_45_working_days_from_referral(social_worker, episode):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    clock = StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT)
    # 2 November 2026 + 45 working days crosses Christmas, Boxing Day's substitute (28th) and New Year.
    assert clock.due_date == add_working_days(dt.date(2026, 11, 2), 45) == dt.date(2027, 1, 7)
    assert clock.source_id == assessment.pk and clock.working_days == 45


def test_a_complete_assessment_is_submitted_and_authorised_by_another(social_worker, manager, episode):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    with pytest.raises(ValidationError) as missing:
        assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    assert "Write the analysis section" in missing.value.messages
    complete_assessment(assessment, social_worker)
    assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match="other than the assessing worker"):
        assessment_authorise(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 23))
    assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    clock = StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT)
    assert clock.met_date == dt.date(2026, 11, 23) and not clock.is_running
    assert AuditEvent.objects.filter(action="assessment_authorise", actor=manager).exists()


def test_a_late_authorisation_needs_a_reason(social_worker, manager):
    late = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 6, 1))
    assessment = assessment_start(actor=social_worker, episode=late, start_date=dt.date(2026, 6, 2))
    complete_assessment(assessment, social_worker)
    assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 9, 1))
    with pytest.raises(ValidationError, match="reason this was late"):
        assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 9, 2))
    assessment_authorise(
        actor=manager,
        assessment=assessment,
        on=dt.date(2026, 9, 2),
        late_reason="Child in hospital for three weeks",
    )
    assert StatutoryClock.objects.get().late_reason == "Child in hospital for three weeks"


def test_two_people_editing_a_section_get_a_conflict_not_an_overwrite(social_worker, manager, episode):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    assessment_section_save(
        actor=social_worker, assessment=assessment, key="analysis", text="Mine", based_on_version=0
    )
    with pytest.raises(EditConflict) as conflict:
        assessment_section_save(
            actor=manager, assessment=assessment, key="analysis", text="Theirs", based_on_version=0
        )
    assert conflict.value.section.text == "Mine"
    assert assessment.sections.get(key="analysis").text == "Mine"


def _save(actor, assessment, text, *, version, edit="page-1"):
    return assessment_section_save(
        actor=actor, assessment=assessment, key="analysis", text=text, based_on_version=version, edit=edit
    )


@pytest.mark.parametrize("autosave_first", [True, False])
def test_a_pages_autosave_and_final_save_never_conflict_in_either_order(
    social_worker, episode, autosave_first
):
    """Leaving the box to press "Save and return" sends an autosave and the form at once,
    both based on the version the page had: whichever lands second is not a conflict."""
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    _save(social_worker, assessment, "Opening words", version=0)
    if autosave_first:
        _save(social_worker, assessment, "Opening words, and more", version=1)
        final = _save(social_worker, assessment, "Opening words, and more", version=1)
    else:
        final = _save(social_worker, assessment, "Opening words, and more", version=1)
        _save(social_worker, assessment, "Opening words, and more", version=1)
    section = assessment.sections.get(key="analysis")
    assert section.text == "Opening words, and more" and section.version == final.version == 2


def test_a_save_from_a_stale_page_still_conflicts_when_someone_else_saved_in_between(
    social_worker, manager, episode
):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    _save(social_worker, assessment, "Worker's first words", version=0)
    _save(manager, assessment, "Manager's words", version=1, edit="page-2")
    with pytest.raises(EditConflict) as clash:
        _save(social_worker, assessment, "Worker's second words", version=1)
    assert clash.value.section.text == "Manager's words" and clash.value.section.modified_by == manager
    # The worker's own page wrote the version before the manager's: still the manager's words win.
    _save(social_worker, assessment, "Worker's words, merged with the manager's", version=2)
    with pytest.raises(EditConflict):
        _save(manager, assessment, "Manager's later words", version=1, edit="page-2")


def test_the_same_user_in_two_windows_is_told_of_the_other_window(social_worker, episode):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    _save(social_worker, assessment, "From the first window", version=0, edit="window-1")
    with pytest.raises(EditConflict):
        _save(social_worker, assessment, "From the second window", version=0, edit="window-2")
    with pytest.raises(EditConflict):  # a page with no token (an old page) proves nothing
        _save(social_worker, assessment, "From an old page", version=0, edit="")
    assert assessment.sections.get(key="analysis").text == "From the first window"


def test_a_submitted_assessments_sections_cannot_be_saved(social_worker, episode):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        assessment_section_save(
            actor=social_worker, assessment=assessment, key=key, text=f"About {key}", based_on_version=0
        )
    assessment_record_details(
        actor=social_worker,
        assessment=assessment,
        fields={"child_seen_date": dt.date(2026, 11, 5), "factors": ["3B"], "outcome": "services"},
    )
    stale = Assessment.objects.get(pk=assessment.pk)  # a copy loaded before submission
    assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match="can no longer be changed"):
        _save(social_worker, stale, "A late change", version=1, edit="")
    assert assessment.sections.get(key="analysis").text == "About analysis"
    with pytest.raises(ValidationError, match="already been submitted"):
        assessment_submit(actor=social_worker, assessment=stale, on=dt.date(2026, 11, 21))


def test_the_missing_list_does_not_say_the_the(social_worker, episode):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    missing = assessment_missing(assessment)
    assert "Write the child's views, in their own words section" in missing
    assert not [m for m in missing if "the the" in m.lower()]


def test_nothing_can_follow_a_referral_closed_with_no_further_action(social_worker):
    nfa = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_nfa=True)
    with pytest.raises(ValidationError, match="no further action"):
        assessment_start(actor=social_worker, episode=nfa, start_date=nfa.referral_date)


def test_a_new_assessment_starts_from_the_last_authorised_factors(social_worker, manager, episode):
    first = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    complete_assessment(first, social_worker)
    assessment_submit(actor=social_worker, assessment=first, on=dt.date(2026, 11, 10))
    assessment_authorise(actor=manager, assessment=first, on=dt.date(2026, 11, 11))
    second = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 20))
    assert second.factors == ["3B", "4B"]


# -- four eyes: nobody who worked on an assessment signs it off -------------------------


@pytest.fixture
def other_manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


def _started(worker, episode):
    return assessment_start(actor=worker, episode=episode, start_date=dt.date(2026, 11, 3))


def test_a_manager_who_wrote_it_all_and_submitted_it_cannot_authorise_it(
    social_worker, manager, other_manager, episode
):
    """The case found in testing: a worker pressed "start", the manager did everything else."""
    assessment = _started(social_worker, episode)
    complete_assessment(assessment, manager)
    assessment_submit(actor=manager, assessment=assessment, on=dt.date(2026, 11, 20))
    assert assessment.submitted_by == manager
    with pytest.raises(ValidationError, match="You sent this assessment for authorisation"):
        assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.authorised_by is None
    assessment_authorise(actor=other_manager, assessment=assessment, on=dt.date(2026, 11, 23))
    assert assessment.authorised_by == other_manager


def test_a_manager_who_wrote_one_section_cannot_authorise_even_after_it_was_rewritten(
    social_worker, manager, other_manager, episode
):
    assessment = _started(social_worker, episode)
    assessment_section_save(
        actor=manager,
        assessment=assessment,
        key="analysis",
        text="The manager's analysis",
        based_on_version=0,
    )
    _complete_over(assessment, social_worker)  # the worker rewrites every section, analysis included
    section = assessment.sections.get(key="analysis")
    assert section.modified_by == social_worker and set(section.authors.all()) == {manager, social_worker}
    assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match=r"You wrote part of this assessment \(Analysis"):
        assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    assert assessment_authorise_refusal(actor=other_manager, assessment=assessment) is None


def test_a_manager_who_recorded_the_outcome_cannot_authorise(social_worker, manager, other_manager, episode):
    assessment = _started(social_worker, episode)
    complete_assessment(assessment, social_worker)
    assessment_record_details(actor=manager, assessment=assessment, fields={"outcome": "nfa"})
    assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match="You recorded the dates seen, factors or outcome"):
        assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    assessment_authorise(actor=other_manager, assessment=assessment, on=dt.date(2026, 11, 23))


def test_what_was_submitted_is_what_is_authorised(social_worker, manager, episode):
    assessment = _started(social_worker, episode)
    complete_assessment(assessment, social_worker)
    assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match="can no longer be changed"):
        assessment_record_details(actor=social_worker, assessment=assessment, fields={"outcome": "nfa"})
    assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    with pytest.raises(ValidationError, match="already been submitted"):
        assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 24))
    assessment.refresh_from_db()
    assert assessment.status == "authorised" and assessment.outcome == "services"


def _complete_over(assessment, worker):
    """Complete the assessment as ``worker``, rewriting any section someone else began."""
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        section = assessment.sections.filter(key=key).first()
        assessment_section_save(
            actor=worker,
            assessment=assessment,
            key=key,
            text=f"{key} in {worker.username}'s words",
            based_on_version=section.version if section else 0,
        )
    assessment_record_details(
        actor=worker,
        assessment=assessment,
        fields={"child_seen_date": dt.date(2026, 11, 5), "factors": ["3B"], "outcome": "services"},
    )


def test_the_backfill_takes_writers_and_submitters_from_the_audit_trail(
    social_worker, manager, other_manager, episode
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("safeguard.casework.migrations.0005_assessment_four_eyes")
    assessment = _started(social_worker, episode)
    assessment_section_save(
        actor=manager, assessment=assessment, key="analysis", text="first", based_on_version=0
    )
    assessment_section_save(  # known only from the audit trail once others have saved
        actor=other_manager, assessment=assessment, key="analysis", text="second", based_on_version=1
    )
    _complete_over(assessment, social_worker)
    assessment_record_details(actor=manager, assessment=assessment, fields={"outcome": "nfa"})
    assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    # As the records stood before this release: nobody recorded as an author or submitter.
    section = assessment.sections.get(key="analysis")
    section.authors.clear()
    assessment.details_recorded_by.clear()
    type(assessment).objects.filter(pk=assessment.pk).update(submitted_by=None)

    migration.backfill(apps, None)

    assert set(section.authors.all()) == {manager, other_manager, social_worker}
    assert set(assessment.details_recorded_by.all()) == {manager, social_worker}
    assessment.refresh_from_db()
    assert assessment.submitted_by == social_worker


# -- the hand-off from the front door, allocation and transfer --------------------------


def test_an_internal_review_is_kept_and_cannot_come_before_the_start(social_worker, episode):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    with pytest.raises(ValidationError) as refused:
        assessment_record_details(
            actor=social_worker,
            assessment=assessment,
            fields={"internal_review_date": dt.date(2026, 11, 2), "outcome": "services"},
        )
    assert "on or after the day the assessment started (3 November 2026)" in str(
        refused.value.message_dict["internal_review_date"]
    )
    # Refused whole: the outcome sent with it was not saved either.
    saved = Assessment.objects.values_list("internal_review_date", "outcome").get(pk=assessment.pk)
    assert saved == (None, "")

    assessment_record_details(
        actor=social_worker, assessment=assessment, fields={"internal_review_date": dt.date(2026, 11, 3)}
    )
    assert Assessment.objects.get(pk=assessment.pk).internal_review_date == dt.date(2026, 11, 3)
    event = AuditEvent.objects.filter(action="assessment_record_details").get()
    assert "internal_review_date" in event.changes


def test_an_internal_review_cannot_be_in_the_future(social_worker, episode):
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        assessment_record_details(
            actor=social_worker, assessment=assessment, fields={"internal_review_date": tomorrow}
        )
    assert refused.value.message_dict["internal_review_date"] == [
        "The internal review date cannot be in the future"
    ]
    assert Assessment.objects.get(pk=assessment.pk).internal_review_date is None
