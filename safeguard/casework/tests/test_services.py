from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from safeguard.accounts.models import Role, TeamKind
from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.audit.models import AuditEvent
from safeguard.casework import services
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import Assessment, ClockKind, Section47Enquiry, StatutoryClock
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.core.calendar import add_working_days
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


@pytest.fixture
def episode(social_worker):
    return EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 11, 2))


def _complete(assessment, worker):
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        services.assessment_section_save(
            actor=worker, assessment=assessment, key=key, text=f"{key} words", based_on_version=0
        )
    services.assessment_record_details(
        actor=worker,
        assessment=assessment,
        fields={
            "child_seen_date": dt.date(2026, 11, 5),
            "child_seen_alone": True,
            "factors": ["3B", "4B"],
            "outcome": "services",
        },
    )


def test_assessment_clock_runs_45_working_days_from_referral(social_worker, episode):
    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
    clock = StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT)
    # 2 November 2026 + 45 working days crosses Christmas, Boxing Day's substitute (28th) and New Year.
    assert clock.due_date == add_working_days(dt.date(2026, 11, 2), 45) == dt.date(2027, 1, 7)
    assert clock.source_id == assessment.pk and clock.working_days == 45


def test_a_complete_assessment_is_submitted_and_authorised_by_another(social_worker, manager, episode):
    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
    with pytest.raises(ValidationError) as missing:
        services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    assert "Write the analysis section" in missing.value.messages
    _complete(assessment, social_worker)
    services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match="other than the assessing worker"):
        services.assessment_authorise(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 23))
    services.assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    clock = StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT)
    assert clock.met_date == dt.date(2026, 11, 23) and not clock.is_running
    assert AuditEvent.objects.filter(action="assessment_authorise", actor=manager).exists()


def test_a_late_authorisation_needs_a_reason(social_worker, manager):
    late = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 6, 1))
    assessment = services.assessment_start(actor=social_worker, episode=late, start_date=dt.date(2026, 6, 2))
    _complete(assessment, social_worker)
    services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 9, 1))
    with pytest.raises(ValidationError, match="reason this was late"):
        services.assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 9, 2))
    services.assessment_authorise(
        actor=manager,
        assessment=assessment,
        on=dt.date(2026, 9, 2),
        late_reason="Child in hospital for three weeks",
    )
    assert StatutoryClock.objects.get().late_reason == "Child in hospital for three weeks"


def test_two_people_editing_a_section_get_a_conflict_not_an_overwrite(social_worker, manager, episode):
    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
    services.assessment_section_save(
        actor=social_worker, assessment=assessment, key="analysis", text="Mine", based_on_version=0
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.assessment_section_save(
            actor=manager, assessment=assessment, key="analysis", text="Theirs", based_on_version=0
        )
    assert conflict.value.section.text == "Mine"
    assert assessment.sections.get(key="analysis").text == "Mine"


def _save(actor, assessment, text, *, version, edit="page-1"):
    return services.assessment_section_save(
        actor=actor, assessment=assessment, key="analysis", text=text, based_on_version=version, edit=edit
    )


@pytest.mark.parametrize("autosave_first", [True, False])
def test_a_pages_autosave_and_final_save_never_conflict_in_either_order(
    social_worker, episode, autosave_first
):
    """Leaving the box to press "Save and return" sends an autosave and the form at once,
    both based on the version the page had: whichever lands second is not a conflict."""
    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
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
    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
    _save(social_worker, assessment, "Worker's first words", version=0)
    _save(manager, assessment, "Manager's words", version=1, edit="page-2")
    with pytest.raises(services.EditConflict) as clash:
        _save(social_worker, assessment, "Worker's second words", version=1)
    assert clash.value.section.text == "Manager's words" and clash.value.section.modified_by == manager
    # The worker's own page wrote the version before the manager's: still the manager's words win.
    _save(social_worker, assessment, "Worker's words, merged with the manager's", version=2)
    with pytest.raises(services.EditConflict):
        _save(manager, assessment, "Manager's later words", version=1, edit="page-2")


def test_the_same_user_in_two_windows_is_told_of_the_other_window(social_worker, episode):
    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
    _save(social_worker, assessment, "From the first window", version=0, edit="window-1")
    with pytest.raises(services.EditConflict):
        _save(social_worker, assessment, "From the second window", version=0, edit="window-2")
    with pytest.raises(services.EditConflict):  # a page with no token (an old page) proves nothing
        _save(social_worker, assessment, "From an old page", version=0, edit="")
    assert assessment.sections.get(key="analysis").text == "From the first window"


def test_a_submitted_assessments_sections_cannot_be_saved(social_worker, episode):
    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        services.assessment_section_save(
            actor=social_worker, assessment=assessment, key=key, text=f"About {key}", based_on_version=0
        )
    services.assessment_record_details(
        actor=social_worker,
        assessment=assessment,
        fields={"child_seen_date": dt.date(2026, 11, 5), "factors": ["3B"], "outcome": "services"},
    )
    stale = Assessment.objects.get(pk=assessment.pk)  # a copy loaded before submission
    services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match="can no longer be changed"):
        _save(social_worker, stale, "A late change", version=1, edit="")
    assert assessment.sections.get(key="analysis").text == "About analysis"
    with pytest.raises(ValidationError, match="already been submitted"):
        services.assessment_submit(actor=social_worker, assessment=stale, on=dt.date(2026, 11, 21))


def test_the_missing_list_does_not_say_the_the(social_worker, episode):
    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
    missing = services.assessment_missing(assessment)
    assert "Write the child's views, in their own words section" in missing
    assert not [m for m in missing if "the the" in m.lower()]


def test_strategy_discussion_starts_s47_and_icpc_clock_across_christmas(social_worker, episode):
    discussion = services.strategy_discussion_record(
        actor=social_worker,
        episode=episode,
        held_on=dt.date(2026, 11, 25),
        agencies=["csc", "police", "health"],
        information_shared="Police report",
        safety_actions="Child staying with grandmother",
        start_section_47=True,
    )
    enquiry = Section47Enquiry.objects.get()
    assert enquiry.strategy_discussion == discussion
    assert enquiry.icpc_target_date == dt.date(2026, 12, 16)
    assert StatutoryClock.objects.get(kind=ClockKind.ICPC).due_date == dt.date(2026, 12, 16)


@override_settings()
def test_icpc_due_date_in_the_worked_example(social_worker):
    """timescales.md: a strategy discussion on Wednesday 23 December 2026 has its ICPC due on
    Monday 18 January 2027, skipping 25 and 28 December 2026 and 1 January 2027."""
    from unittest import mock

    episode = EpisodeFactory(
        worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 12, 21)
    )
    with mock.patch("safeguard.casework.services.timezone.localdate", return_value=dt.date(2026, 12, 23)):
        services.strategy_discussion_record(
            actor=social_worker,
            episode=episode,
            held_on=dt.date(2026, 12, 23),
            agencies=["csc", "police", "health"],
            information_shared="",
            safety_actions="",
            start_section_47=True,
        )
    assert StatutoryClock.objects.get(kind=ClockKind.ICPC).due_date == dt.date(2027, 1, 18)


def test_strategy_discussion_needs_police_health_and_social_care(social_worker, episode):
    with pytest.raises(ValidationError, match="add health"):
        services.strategy_discussion_record(
            actor=social_worker,
            episode=episode,
            held_on=dt.date(2026, 11, 25),
            agencies=["csc", "police"],
            information_shared="",
            safety_actions="",
            start_section_47=True,
        )
    assert not Section47Enquiry.objects.exists()


def test_no_conference_needed_stops_the_icpc_clock(social_worker, episode):
    services.strategy_discussion_record(
        actor=social_worker,
        episode=episode,
        held_on=dt.date(2026, 11, 25),
        agencies=["csc", "police", "health"],
        information_shared="",
        safety_actions="",
        start_section_47=True,
    )
    services.section_47_outcome_record(
        actor=social_worker, enquiry=Section47Enquiry.objects.get(), outcome="not_substantiated"
    )
    clock = StatutoryClock.objects.get(kind=ClockKind.ICPC)
    assert clock.stopped_reason == "No conference needed" and not clock.is_running


def test_closure_rules(social_worker, manager, episode):
    with pytest.raises(ValidationError) as rc8:
        services.episode_close(
            actor=social_worker, episode=episode, closure_date=dt.date(2026, 11, 20), reason="RC8"
        )
    assert "needs an assessment" in " ".join(rc8.value.messages)
    CPPlanFactory(child=episode.child, episode=episode, start_date=dt.date(2026, 11, 10))
    with pytest.raises(ValidationError, match="End the child protection plan"):
        services.episode_close(
            actor=social_worker, episode=episode, closure_date=dt.date(2026, 11, 20), reason="RC7"
        )
    with pytest.raises(ValidationError, match="on or after the referral"):
        services.episode_close(
            actor=social_worker, episode=episode, closure_date=dt.date(2026, 10, 1), reason="RC7"
        )


def test_closing_stops_running_clocks(social_worker, manager, episode):
    assessment = services.assessment_start(
        actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3)
    )
    _complete(assessment, social_worker)
    services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 10))
    services.assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 11))
    services.strategy_discussion_record(
        actor=social_worker,
        episode=episode,
        held_on=dt.date(2026, 11, 12),
        agencies=["csc", "police", "health"],
        information_shared="",
        safety_actions="",
        start_section_47=True,
    )
    services.section_47_outcome_record(
        actor=social_worker, enquiry=Section47Enquiry.objects.get(), outcome="not_substantiated"
    )
    services.episode_close(
        actor=social_worker, episode=episode, closure_date=dt.date(2026, 11, 20), reason="RC8"
    )
    episode.refresh_from_db()
    assert episode.closure_date == dt.date(2026, 11, 20)
    assert not StatutoryClock.objects.filter(met_date__isnull=True, stopped_reason="").exists()


def test_nothing_can_follow_a_referral_closed_with_no_further_action(social_worker):
    nfa = EpisodeFactory(worker=social_worker, team=social_worker.team, referral_nfa=True)
    with pytest.raises(ValidationError, match="no further action"):
        services.assessment_start(actor=social_worker, episode=nfa, start_date=nfa.referral_date)


def test_allocation_needs_a_case_holder(social_worker, manager, episode):
    with pytest.raises(ValidationError, match="holds cases"):
        services.episode_allocate(actor=manager, episode=episode, worker=manager)
    other = UserFactory(role=Role.SOCIAL_WORKER, team=social_worker.team)
    services.episode_allocate(actor=manager, episode=episode, worker=other)
    episode.refresh_from_db()
    assert episode.worker == other and episode.team == other.team


def test_recompute_leaves_correct_clocks_alone(social_worker, episode):
    services.assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    clock = StatutoryClock.objects.get()
    StatutoryClock.objects.filter(pk=clock.pk).update(due_date=dt.date(2027, 1, 1))
    assert services.clocks_recompute(actor=None) == 1
    clock.refresh_from_db()
    assert clock.due_date == dt.date(2027, 1, 7)
    assert services.clocks_recompute(actor=None) == 0


def test_a_team_manager_cannot_move_a_child_to_another_team(social_worker, manager, episode):
    elsewhere = UserFactory(role=Role.SOCIAL_WORKER)
    with pytest.raises(ValidationError, match="ask a service manager"):
        services.episode_allocate(actor=manager, episode=episode, worker=elsewhere)
    service_manager = UserFactory(role=Role.SERVICE_MANAGER, team=social_worker.team)
    services.episode_allocate(actor=service_manager, episode=episode, worker=elsewhere)
    episode.refresh_from_db()
    assert episode.team == elsewhere.team


def test_a_new_assessment_starts_from_the_last_authorised_factors(social_worker, manager, episode):
    first = services.assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    _complete(first, social_worker)
    services.assessment_submit(actor=social_worker, assessment=first, on=dt.date(2026, 11, 10))
    services.assessment_authorise(actor=manager, assessment=first, on=dt.date(2026, 11, 11))
    second = services.assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 20))
    assert second.factors == ["3B", "4B"]


# -- four eyes: nobody who worked on an assessment signs it off -------------------------


@pytest.fixture
def other_manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


def _started(worker, episode):
    return services.assessment_start(actor=worker, episode=episode, start_date=dt.date(2026, 11, 3))


def test_a_manager_who_wrote_it_all_and_submitted_it_cannot_authorise_it(
    social_worker, manager, other_manager, episode
):
    """The case found in testing: a worker pressed "start", the manager did everything else."""
    assessment = _started(social_worker, episode)
    _complete(assessment, manager)
    services.assessment_submit(actor=manager, assessment=assessment, on=dt.date(2026, 11, 20))
    assert assessment.submitted_by == manager
    with pytest.raises(ValidationError, match="You sent this assessment for authorisation"):
        services.assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.authorised_by is None
    services.assessment_authorise(actor=other_manager, assessment=assessment, on=dt.date(2026, 11, 23))
    assert assessment.authorised_by == other_manager


def test_a_manager_who_wrote_one_section_cannot_authorise_even_after_it_was_rewritten(
    social_worker, manager, other_manager, episode
):
    assessment = _started(social_worker, episode)
    services.assessment_section_save(
        actor=manager,
        assessment=assessment,
        key="analysis",
        text="The manager's analysis",
        based_on_version=0,
    )
    _complete_over(assessment, social_worker)  # the worker rewrites every section, analysis included
    section = assessment.sections.get(key="analysis")
    assert section.modified_by == social_worker and set(section.authors.all()) == {manager, social_worker}
    services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match=r"You wrote part of this assessment \(Analysis"):
        services.assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    assert services.assessment_authorise_refusal(actor=other_manager, assessment=assessment) is None


def test_a_manager_who_recorded_the_outcome_cannot_authorise(social_worker, manager, other_manager, episode):
    assessment = _started(social_worker, episode)
    _complete(assessment, social_worker)
    services.assessment_record_details(actor=manager, assessment=assessment, fields={"outcome": "nfa"})
    services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match="You recorded the dates seen, factors or outcome"):
        services.assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    services.assessment_authorise(actor=other_manager, assessment=assessment, on=dt.date(2026, 11, 23))


def test_what_was_submitted_is_what_is_authorised(social_worker, manager, episode):
    assessment = _started(social_worker, episode)
    _complete(assessment, social_worker)
    services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.assessment_record_details(
            actor=social_worker, assessment=assessment, fields={"outcome": "nfa"}
        )
    services.assessment_authorise(actor=manager, assessment=assessment, on=dt.date(2026, 11, 23))
    with pytest.raises(ValidationError, match="already been submitted"):
        services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 24))
    assessment.refresh_from_db()
    assert assessment.status == "authorised" and assessment.outcome == "services"


def _complete_over(assessment, worker):
    """Complete the assessment as ``worker``, rewriting any section someone else began."""
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        section = assessment.sections.filter(key=key).first()
        services.assessment_section_save(
            actor=worker,
            assessment=assessment,
            key=key,
            text=f"{key} in {worker.username}'s words",
            based_on_version=section.version if section else 0,
        )
    services.assessment_record_details(
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
    services.assessment_section_save(
        actor=manager, assessment=assessment, key="analysis", text="first", based_on_version=0
    )
    services.assessment_section_save(  # known only from the audit trail once others have saved
        actor=other_manager, assessment=assessment, key="analysis", text="second", based_on_version=1
    )
    _complete_over(assessment, social_worker)
    services.assessment_record_details(actor=manager, assessment=assessment, fields={"outcome": "nfa"})
    services.assessment_submit(actor=social_worker, assessment=assessment, on=dt.date(2026, 11, 20))
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


@pytest.fixture
def front_door():
    team = TeamFactory(name="Front Door (MASH)", kind=TeamKind.FRONT_DOOR)
    return UserFactory(role=Role.FRONT_DOOR_PRACTITIONER, team=team)


@pytest.fixture
def referral(front_door):
    return services.episode_open(
        actor=front_door,
        child=ChildFactory(),
        referral_date=dt.date(2026, 11, 2),
        referral_source="9",
        team=front_door.team,
    )


def test_the_front_door_sends_a_referral_to_a_team_and_its_clock_runs_on(front_door, referral, social_worker):
    services.assessment_start(actor=front_door, episode=referral, start_date=dt.date(2026, 11, 3))
    clock = StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT)
    services.episode_send_to_team(
        actor=front_door, episode=referral, team=social_worker.team, reason="Lives in the north"
    )
    referral.refresh_from_db()
    assert referral.team == social_worker.team and referral.worker is None
    assert referral.team_since == dt.date.today()
    event = AuditEvent.objects.get(action="episode_send_to_team")
    assert event.actor == front_door and event.child_id == referral.child_id
    assert event.changes["team_id"]["after"] == str(social_worker.team.pk)
    assert event.changes["reason"]["after"] == "Lives in the north"
    # The clock is the child's: the same one, still running, still due on the same day.
    assert list(StatutoryClock.objects.all()) == [clock]
    clock.refresh_from_db()
    assert clock.is_running and clock.due_date == dt.date(2027, 1, 7)


def test_once_sent_the_front_door_cannot_move_it_again(front_door, referral, social_worker):
    services.episode_send_to_team(actor=front_door, episode=referral, team=social_worker.team)
    with pytest.raises(ValidationError, match="ask a service manager"):
        services.episode_send_to_team(actor=front_door, episode=referral, team=TeamFactory())
    referral.refresh_from_db()
    assert referral.team == social_worker.team
    assert AuditEvent.objects.filter(action="episode_send_to_team").count() == 1


def test_only_the_front_door_sends_and_only_to_a_team_that_holds_cases(
    front_door, referral, social_worker, manager
):
    with pytest.raises(PermissionError):
        services.episode_send_to_team(actor=manager, episode=referral, team=social_worker.team)
    chairs = TeamFactory(kind=TeamKind.CONFERENCE_CHAIRS)
    with pytest.raises(ValidationError, match="holds their cases"):
        services.episode_send_to_team(actor=front_door, episode=referral, team=chairs)
    referral.refresh_from_db()
    assert referral.team == front_door.team
    assert not AuditEvent.objects.filter(action="episode_send_to_team").exists()


def test_the_receiving_teams_manager_allocates_and_nobody_else(front_door, referral, social_worker, manager):
    services.episode_send_to_team(actor=front_door, episode=referral, team=social_worker.team)
    other_manager = UserFactory(role=Role.TEAM_MANAGER)
    with pytest.raises(PermissionError):
        services.episode_allocate(actor=other_manager, episode=referral, worker=social_worker)
    with pytest.raises(PermissionError):
        services.episode_allocate(actor=front_door, episode=referral, worker=social_worker)
    services.episode_allocate(actor=manager, episode=referral, worker=social_worker)
    referral.refresh_from_db()
    assert referral.worker == social_worker and referral.team == social_worker.team
    event = AuditEvent.objects.get(action="episode_allocate")
    assert event.actor == manager and event.changes["worker_id"]["after"] == str(social_worker.pk)


def test_a_service_manager_transfers_with_a_reason_and_the_new_team_allocates(
    social_worker, manager, episode
):
    services.assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    service_manager = UserFactory(role=Role.SERVICE_MANAGER, team=social_worker.team)
    protection = TeamFactory(name="Child Protection 1", kind=TeamKind.CHILD_PROTECTION)
    with pytest.raises(PermissionError):
        services.episode_transfer(actor=manager, episode=episode, team=protection, reason="Plan")
    with pytest.raises(ValidationError, match="reason for the transfer"):
        services.episode_transfer(actor=service_manager, episode=episode, team=protection, reason=" ")
    services.episode_transfer(
        actor=service_manager, episode=episode, team=protection, reason="Child protection plan made"
    )
    episode.refresh_from_db()
    assert episode.team == protection and episode.worker is None
    event = AuditEvent.objects.get(action="episode_transfer")
    assert event.changes["worker_id"]["before"] == str(social_worker.pk)
    assert event.changes["reason"]["after"] == "Child protection plan made"
    assert StatutoryClock.objects.get(kind=ClockKind.ASSESSMENT).is_running
    protection_manager = UserFactory(role=Role.TEAM_MANAGER, team=protection)
    protection_worker = UserFactory(role=Role.SOCIAL_WORKER, team=protection)
    services.episode_allocate(actor=protection_manager, episode=episode, worker=protection_worker)
    episode.refresh_from_db()
    assert episode.worker == protection_worker


def test_a_failed_move_saves_nothing(front_door, referral, social_worker, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_event_record", broken)
    with pytest.raises(RuntimeError):
        services.episode_send_to_team(actor=front_door, episode=referral, team=social_worker.team)
    fresh = type(referral).objects.get(pk=referral.pk)
    assert fresh.team == front_door.team
