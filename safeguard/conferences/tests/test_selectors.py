from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.audit.models import AccessAction, AccessKind, AccessLogEntry
from safeguard.casework.models import Assessment, AssessmentStatus
from safeguard.conferences.models import Conference
from safeguard.conferences.selectors import (
    ConferenceUse,
    chair_choices,
    chairs_diary,
    conference_get_for_user,
)
from safeguard.conferences.services import conference_propose_initial, conference_schedule
from safeguard.conferences.tests.scenario import at, build_case, scheduled
from safeguard.people.models import SealedRecordAccess

pytestmark = pytest.mark.django_db

# What each role, working in the allocated worker's own team but not holding the case, may
# do with the child's conference (the conference's own chair aside). Worked out from the
# policy table by hand: VIEW from the policy's view scope (chairs see every conference);
# SCHEDULE from its DECIDE scope (and every chair); RECORD by the conference's chair alone.
# 200: allowed, 403: may see it but not do this, 404: may not see it.
EXPECTED = {
    Role.FRONT_DOOR_PRACTITIONER: (200, 200, 403),
    Role.FRONT_DOOR_MANAGER: (200, 200, 403),
    Role.SOCIAL_WORKER: (200, 403, 403),
    Role.SENIOR_PRACTITIONER: (200, 403, 403),
    Role.TEAM_MANAGER: (200, 200, 403),
    Role.SERVICE_MANAGER: (200, 200, 403),
    Role.CONFERENCE_CHAIR: (200, 200, 403),
    Role.PERFORMANCE_ANALYST: (200, 403, 403),
    Role.WORKFORCE_LEAD: (404, 404, 404),
    Role.HR_OFFICER: (404, 404, 404),
    Role.DIRECTOR: (200, 403, 403),
    Role.SYSTEM_ADMINISTRATOR: (404, 404, 404),
    Role.PARTNER_AGENCY: (404, 404, 404),
}


def _status(user, conference, use) -> int:
    try:
        conference_get_for_user(user=user, conference_id=conference.pk, use=use)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_reaches_a_conference_as_the_policy_says(role):
    case = build_case()
    conference = scheduled(case)
    user = UserFactory(role=role, team=case.episode.team)
    got = tuple(_status(user, conference, use) for use in ConferenceUse)
    assert got == EXPECTED[role]


def test_the_conferences_own_chair_may_record_it_and_every_read_is_logged():
    case = build_case()
    conference = scheduled(case)
    assert _status(case.chair, conference, ConferenceUse.RECORD) == 200
    assert _status(case.other_chair, conference, ConferenceUse.RECORD) == 403
    logged = AccessLogEntry.objects.filter(what=AccessKind.CONFERENCE, child_id=case.child.pk)
    assert logged.filter(user=case.chair, action=AccessAction.VIEW).exists()
    assert logged.filter(user=case.other_chair, action=AccessAction.REFUSED).exists()


def test_a_sealed_childs_conference_is_hidden_from_chairs_not_named_on_the_seal():
    case = build_case()
    conference = scheduled(case)
    case.child.is_sealed = True
    case.child.save()
    assert _status(case.other_chair, conference, ConferenceUse.VIEW) == 404
    SealedRecordAccess.objects.create(person=case.child, user=case.other_chair)
    assert _status(case.other_chair, conference, ConferenceUse.VIEW) == 200


def test_a_held_conference_can_no_longer_be_scheduled():
    case = build_case()
    conference = scheduled(case)
    Conference.objects.filter(pk=conference.pk).update(status="held")
    assert _status(case.chair, conference, ConferenceUse.SCHEDULE) == 403


def test_chair_choices_put_independent_chairs_first_and_say_why_others_cannot():
    case = build_case()
    conference = conference_propose_initial(actor=case.worker, enquiry=case.enquiry)
    choices = {user.pk: why for user, why in chair_choices(conference)}
    assert choices[case.chair.pk] is None
    assert "manages the allocated worker's team" in (choices[case.team_manager.pk] or "")
    assert "manages the allocated worker's service" in (choices[case.service_manager.pk] or "")
    first, *_ = chair_choices(conference)
    assert first[0].role == Role.CONFERENCE_CHAIR


# -- the diary ------------------------------------------------------------------------------


def test_the_diary_shows_the_next_six_weeks_soonest_first_with_readiness():
    soon, later, beyond, unscheduled = build_case(), build_case(), build_case(), build_case()
    a = scheduled(soon, day=dt.date(2026, 11, 19))
    b = scheduled(later, day=dt.date(2026, 11, 20))
    # Online only: a video link and no room.
    Conference.objects.filter(pk=b.pk).update(room="", video_link="https://meet.example/x")
    far = conference_propose_initial(actor=beyond.worker, enquiry=beyond.enquiry)
    conference_schedule(
        actor=beyond.chair,
        conference=far,
        chair=beyond.chair,
        # Six weeks from Monday 16 November 2026 is Monday 28 December 2026: this is after.
        starts_at=at(dt.date(2026, 12, 29)),
        room="Room 9",
        late_reason="Test of the window",
    )
    proposed = conference_propose_initial(actor=unscheduled.worker, enquiry=unscheduled.enquiry)
    Assessment.objects.create(
        episode=soon.episode, start_date=dt.date(2026, 9, 2), status=AssessmentStatus.AUTHORISED
    )
    rows = chairs_diary(user=soon.chair, today=dt.date(2026, 11, 16))
    # The unscheduled one is shown by its target, Monday 23 November 2026.
    assert [r.conference.pk for r in rows] == [a.pk, b.pk, proposed.pk]
    first, second, third = rows
    assert first.mine and first.assessment_authorised and first.ready
    assert second.place_booked and not second.assessment_authorised
    assert third.within_target is None and not third.place_booked and third.conference.chair is None
    assert AccessLogEntry.objects.filter(what=AccessKind.CONFERENCE_DIARY, user=soon.chair).exists()


def test_the_diary_leaves_out_sealed_children_and_is_for_chairs():
    case = build_case()
    scheduled(case)
    case.child.is_sealed = True
    case.child.save()
    assert chairs_diary(user=case.other_chair, today=dt.date(2026, 11, 16)) == []
    with pytest.raises(PermissionDenied):
        chairs_diary(user=case.team_manager, today=dt.date(2026, 11, 16))


def test_the_diary_reads_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    cases = [build_case() for _ in range(3)]
    for i, case in enumerate(cases):
        scheduled(case, day=dt.date(2026, 11, 17 + i))
    chair = cases[0].chair
    # One query for the conferences (child, chair and worker joined; readiness and the
    # sealed-record check as subqueries) and one for the access log row: none per row.
    with django_assert_max_num_queries(2):
        rows = chairs_diary(user=chair, today=dt.date(2026, 11, 16))
    assert len(rows) == 3
