"""The statutory clocks' rules, with due dates worked by hand.

Working days are Monday to Friday less the England and Wales bank holidays (the list the
calendar takes from the ``holidays`` package, subdivision ENG), and the start is day 0.
Bank holidays used below: 2025: Thu 25 Dec, Fri 26 Dec; 2026: Thu 1 Jan, Fri 3 Apr (Good
Friday), Mon 6 Apr (Easter Monday), Mon 25 May (spring), Mon 31 Aug (summer), Fri 25 Dec,
Mon 28 Dec (Boxing Day's substitute: the 26th is a Saturday); 2027: Fri 1 Jan, Mon 31 May.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguard.accounts.models import Role
from safeguard.accounts.tests.factories import UserFactory
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.clocks import LateReasonNeeded, clocks_recompute
from safeguard.casework.models import (
    ClockKind,
    Section47Enquiry,
    StatutoryClock,
    Visit,
    VisitKind,
)
from safeguard.casework.services.assessments import (
    assessment_authorise,
    assessment_record_details,
    assessment_section_save,
    assessment_start,
    assessment_submit,
)
from safeguard.casework.services.enquiries import (
    strategy_discussion_record,
    strategy_discussion_request,
    strategy_record_circulate,
)
from safeguard.casework.services.episodes import episode_open
from safeguard.casework.services.plans import (
    cin_plan_end,
    cin_plan_review_record,
    cin_plan_start,
    cp_plan_end,
    cp_plan_start,
    cp_review_record,
)
from safeguard.casework.services.recording import visit_record
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.casework.timescales import cin_review_timescale
from safeguard.core.codes import CategoryOfAbuse
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

AGENCIES = ["csc", "police", "health"]


@pytest.fixture
def manager(social_worker):
    return UserFactory(role=Role.TEAM_MANAGER, team=social_worker.team)


def _episode(worker, referral_date):
    return EpisodeFactory(worker=worker, team=worker.team, referral_date=referral_date)


def _clock(kind, **filters):
    return StatutoryClock.objects.get(kind=kind, **filters)


def _running(kind):
    return StatutoryClock.objects.get(kind=kind, met_date__isnull=True, stopped_reason="")


def _complete_and_submit(assessment, worker, on):
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        assessment_section_save(
            actor=worker, assessment=assessment, key=key, text=f"{key} words", based_on_version=0
        )
    assessment_record_details(
        actor=worker,
        assessment=assessment,
        fields={"child_seen_date": on, "child_seen_alone": True, "factors": ["3B"], "outcome": "services"},
    )
    assessment_submit(actor=worker, assessment=assessment, on=on)


# -- assessment -------------------------------------------------------------------------


def test_the_assessment_clock_starts_at_the_referral_while_it_waits_for_allocation(social_worker):
    # Referral Fri 19 Dec 2025; bank holidays 25, 26 Dec and 1 Jan; 45 working days:
    # 22-24 Dec (3), 29-31 Dec (6), 2 Jan (7), then whole weeks from 5 Jan to 20 Feb (7 x 5 = 35,
    # so 42), 23, 24, 25 Feb -> Wednesday 25 February 2026.
    episode = episode_open(
        actor=social_worker,
        child=ChildFactory(),
        referral_date=dt.date(2025, 12, 19),
        referral_source="1A",
    )
    waiting = _running(ClockKind.ASSESSMENT)
    assert waiting.start_date == dt.date(2025, 12, 19)
    assert waiting.due_date == dt.date(2026, 2, 25)
    assert waiting.source_id == episode.pk

    # Allocated and started a fortnight later: the same clock, now the assessment's.
    assessment = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 1, 5))
    clock = _running(ClockKind.ASSESSMENT)
    assert clock.pk == waiting.pk and clock.source_id == assessment.pk
    assert clock.due_date == dt.date(2026, 2, 25)
    assert StatutoryClock.objects.filter(kind=ClockKind.ASSESSMENT).count() == 1


def test_a_second_assessment_in_the_episode_has_its_own_clock(social_worker, manager):
    # Referral Mon 2 Nov 2026: the first assessment is authorised on Mon 23 Nov 2026.
    episode = _episode(social_worker, dt.date(2026, 11, 2))
    first = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    _complete_and_submit(first, social_worker, dt.date(2026, 11, 23))
    assessment_authorise(actor=manager, assessment=first, on=dt.date(2026, 11, 23))

    # A second assessment starts Mon 30 Nov 2026. From its own start, 45 working days:
    # 1-4 Dec (4), 7-24 Dec (14 more: 18), 25 and 28 Dec are bank holidays, 29-31 Dec (21),
    # 1 Jan is a bank holiday, 4-29 Jan (20 more: 41), 1-4 Feb (45) -> Thursday 4 February 2027.
    # (From the referral it would already be 19 working days gone.)
    second = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 30))
    clock = _running(ClockKind.ASSESSMENT)
    assert clock.source_id == second.pk
    assert clock.start_date == dt.date(2026, 11, 30)
    assert clock.due_date == dt.date(2027, 2, 4)
    assert _clock(ClockKind.ASSESSMENT, source_id=first.pk).met_date == dt.date(2026, 11, 23)


def test_a_same_day_second_assessment_is_authorised_without_a_late_reason(social_worker, manager):
    # Referral Mon 1 Jun 2026 (more than 45 working days ago). The second assessment starts
    # and is authorised on Tue 1 Dec 2026: day 0 of its own clock, so on time.
    episode = _episode(social_worker, dt.date(2026, 6, 1))
    first = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 6, 2))
    _complete_and_submit(first, social_worker, dt.date(2026, 7, 1))
    assessment_authorise(actor=manager, assessment=first, on=dt.date(2026, 7, 1))

    second = assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 12, 1))
    _complete_and_submit(second, social_worker, dt.date(2026, 12, 1))
    assessment_authorise(actor=manager, assessment=second, on=dt.date(2026, 12, 1))
    clock = _clock(ClockKind.ASSESSMENT, source_id=second.pk)
    assert clock.met_date == dt.date(2026, 12, 1) and clock.late_reason == ""


# -- strategy discussions and section 47 ------------------------------------------------


def _discuss(worker, episode, held_on, *, s47=True, late_reason=""):
    return strategy_discussion_record(
        actor=worker,
        episode=episode,
        held_on=held_on,
        agencies=AGENCIES,
        information_shared="Police report",
        safety_actions="Child staying with grandmother",
        start_section_47=s47,
        late_reason=late_reason,
    )


def test_a_second_strategy_discussion_continues_the_enquiry_rather_than_starting_another(social_worker):
    episode = _episode(social_worker, dt.date(2026, 11, 2))
    _discuss(social_worker, episode, dt.date(2026, 11, 25))
    second = _discuss(social_worker, episode, dt.date(2026, 12, 2))

    enquiry = Section47Enquiry.objects.get()  # one enquiry: the census counts one section 47
    assert enquiry.start_date == dt.date(2026, 11, 25)  # S47ActualStartDate stays the first
    assert enquiry.strategy_discussion == second
    # From the last discussion, Wed 2 Dec 2026, 15 working days: 3-4 Dec (2), 7-18 Dec (12),
    # 21, 22, 23 Dec (15) -> Wednesday 23 December 2026.
    assert enquiry.icpc_target_date == dt.date(2026, 12, 23)
    assert _running(ClockKind.ICPC).due_date == dt.date(2026, 12, 23)
    superseded = _clock(ClockKind.ICPC, start_date=dt.date(2026, 11, 25))
    assert superseded.stopped_reason == "Superseded by a later strategy discussion"


def test_the_strategy_record_clock_starts_and_asks_why_it_was_late(social_worker):
    # Discussion Thu 2 Apr 2026; 1 working day, but Fri 3 Apr (Good Friday) and Mon 6 Apr
    # (Easter Monday) are bank holidays -> Tuesday 7 April 2026.
    episode = _episode(social_worker, dt.date(2026, 3, 30))
    discussion = _discuss(social_worker, episode, dt.date(2026, 4, 2), s47=False)
    assert _running(ClockKind.STRATEGY_RECORD).due_date == dt.date(2026, 4, 7)

    with pytest.raises(LateReasonNeeded, match="7 April 2026"):
        strategy_record_circulate(actor=social_worker, discussion=discussion, on=dt.date(2026, 4, 8))
    discussion.refresh_from_db()
    assert discussion.record_circulated_on is None  # nothing half-saved

    strategy_record_circulate(
        actor=social_worker, discussion=discussion, on=dt.date(2026, 4, 8), late_reason="Police sign-off"
    )
    clock = _clock(ClockKind.STRATEGY_RECORD)
    assert clock.met_date == dt.date(2026, 4, 8) and clock.late_reason == "Police sign-off"


def test_the_time_from_a_strategy_decision_to_the_discussion_is_measured(social_worker):
    # Front door decision Fri 22 May 2026; 1 working day (local default), but Mon 25 May is
    # the spring bank holiday -> Tuesday 26 May 2026.
    episode = _episode(social_worker, dt.date(2026, 5, 22))
    strategy_discussion_request(actor=social_worker, episode=episode, decided_on=dt.date(2026, 5, 22))
    assert _running(ClockKind.STRATEGY_DISCUSSION).due_date == dt.date(2026, 5, 26)

    _discuss(social_worker, episode, dt.date(2026, 5, 26))
    clock = _clock(ClockKind.STRATEGY_DISCUSSION)
    assert clock.met_date == dt.date(2026, 5, 26) and clock.late_reason == ""


def test_a_late_strategy_discussion_needs_a_reason(social_worker):
    episode = _episode(social_worker, dt.date(2026, 5, 22))
    strategy_discussion_request(actor=social_worker, episode=episode, decided_on=dt.date(2026, 5, 22))
    with pytest.raises(LateReasonNeeded, match="26 May 2026"):
        _discuss(social_worker, episode, dt.date(2026, 5, 27))
    assert not episode.strategy_discussions.exists()
    _discuss(social_worker, episode, dt.date(2026, 5, 27), late_reason="Police not available")
    assert _clock(ClockKind.STRATEGY_DISCUSSION).late_reason == "Police not available"


# -- child protection plan: visits and reviews -------------------------------------------


def _cp_plan(worker, start):
    episode = _episode(worker, start - dt.timedelta(days=30))
    return cp_plan_start(actor=worker, episode=episode, start_date=start, category=CategoryOfAbuse.NEGLECT)


def _visit(worker, episode, on, *, kind=VisitKind.CP, seen=True, alone=True, late_reason=""):
    return visit_record(
        actor=worker,
        episode=episode,
        visit_date=on,
        kind=kind,
        child_seen=seen,
        child_seen_alone=alone,
        observations="Home warm, food in the cupboards",
        late_reason=late_reason,
    )


def test_cp_visit_and_review_clocks_start_with_the_plan(social_worker):
    # Plan starts Thu 20 Aug 2026. Visits, 10 working days: 21 Aug (1), 24-28 Aug (6), Mon 31
    # Aug is the summer bank holiday, 1-4 Sep (10) -> Friday 4 September 2026.
    # First review, 3 months: Friday 20 November 2026 (a working day, so unchanged).
    _cp_plan(social_worker, dt.date(2026, 8, 20))
    visit = _running(ClockKind.CP_VISIT)
    review = _running(ClockKind.CP_REVIEW)
    assert visit.start_date == dt.date(2026, 8, 20) and visit.due_date == dt.date(2026, 9, 4)
    assert review.months == 3 and review.due_date == dt.date(2026, 11, 20)


def test_a_late_cp_visit_needs_the_workers_reason(social_worker):
    plan = _cp_plan(social_worker, dt.date(2026, 8, 20))
    with pytest.raises(LateReasonNeeded, match="4 September 2026"):
        _visit(social_worker, plan.episode, dt.date(2026, 9, 7))
    assert not Visit.objects.exists()

    visit = _visit(social_worker, plan.episode, dt.date(2026, 9, 7), late_reason="Family away")
    assert visit.late_reason == "Family away"
    met = _clock(ClockKind.CP_VISIT, met_date=dt.date(2026, 9, 7))
    assert met.late_reason == "Family away"
    # The next visit, 10 working days from Mon 7 Sep 2026 (no bank holiday): 8-11 Sep (4),
    # 14-18 Sep (9), 21 Sep (10) -> Monday 21 September 2026.
    assert _running(ClockKind.CP_VISIT).due_date == dt.date(2026, 9, 21)


def test_seen_alone_is_recorded_for_every_visit_where_the_child_was_seen(social_worker):
    plan = _cp_plan(social_worker, dt.date(2026, 8, 20))
    with pytest.raises(ValidationError, match="seen alone"):
        _visit(social_worker, plan.episode, dt.date(2026, 8, 27), alone=None)
    _visit(social_worker, plan.episode, dt.date(2026, 8, 27), alone=False)
    assert Visit.objects.get().child_seen_alone is False
    # A visit where the child was not seen records no answer and meets no clock.
    _visit(social_worker, plan.episode, dt.date(2026, 8, 28), seen=False, alone=None)
    assert Visit.objects.get(visit_date=dt.date(2026, 8, 28)).child_seen_alone is None
    assert _running(ClockKind.CP_VISIT).start_date == dt.date(2026, 8, 27)


def test_ending_the_cp_plan_stops_its_clocks(social_worker):
    plan = _cp_plan(social_worker, dt.date(2026, 8, 20))
    cp_plan_end(actor=social_worker, plan=plan, end_date=dt.date(2026, 9, 1))
    for kind in (ClockKind.CP_VISIT, ClockKind.CP_REVIEW):
        assert _clock(kind).stopped_reason == "Plan ended"
    # No clock for visits after the plan: the visit is kept but times nothing.
    _visit(social_worker, plan.episode, dt.date(2026, 9, 2))
    assert StatutoryClock.objects.filter(kind=ClockKind.CP_VISIT).count() == 1


def test_cp_review_clock_has_its_timescale():
    # Today this raised KeyError: CP_REVIEW now has the 3-month first-review timescale.
    from safeguard.casework.timescales import TIMESCALES

    # 30 Nov 2026 + 3 months -> 28 Feb 2027 (the shorter month's last day), a Sunday -> Fri 26 Feb.
    assert TIMESCALES[ClockKind.CP_REVIEW]().due(dt.date(2026, 11, 30)) == dt.date(2027, 2, 26)


def test_a_review_conference_starts_the_next_six_months_later(social_worker):
    plan = _cp_plan(social_worker, dt.date(2026, 8, 20))
    # The first review was due Fri 20 Nov 2026; held Mon 30 Nov 2026 it is late.
    with pytest.raises(LateReasonNeeded, match="20 November 2026"):
        cp_review_record(actor=social_worker, plan=plan, held_on=dt.date(2026, 11, 30))
    cp_review_record(actor=social_worker, plan=plan, held_on=dt.date(2026, 11, 30), late_reason="Chair ill")
    assert _clock(ClockKind.CP_REVIEW, met_date=dt.date(2026, 11, 30)).late_reason == "Chair ill"
    # 30 Nov 2026 + 6 months -> Sun 30 May 2027; the working day before is Fri 28 May 2027
    # (Sat 29 May is a weekend; Mon 31 May, the spring bank holiday, is after it anyway).
    following = _running(ClockKind.CP_REVIEW)
    assert following.months == 6 and following.due_date == dt.date(2027, 5, 28)


# -- child in need plan: reviews and visits ----------------------------------------------


def test_a_month_due_date_on_a_bank_holiday_is_the_working_day_before():
    # Thu 25 Sep 2025 + 3 months -> Thu 25 Dec 2025, Christmas Day -> Wednesday 24 December 2025.
    assert cin_review_timescale().due(dt.date(2025, 9, 25)) == dt.date(2025, 12, 24)


def test_cin_plan_review_and_visit_clocks(social_worker):
    episode = _episode(social_worker, dt.date(2025, 11, 3))
    plan = cin_plan_start(actor=social_worker, episode=episode, start_date=dt.date(2025, 12, 1))
    # Review, 3 months from Mon 1 Dec 2025 -> Sun 1 Mar 2026 -> Friday 27 February 2026.
    assert _running(ClockKind.CIN_REVIEW).due_date == dt.date(2026, 2, 27)
    # Visits, 20 working days from Mon 1 Dec 2025: 2-5 Dec (4), 8-19 Dec (14), 22-24 Dec (17),
    # 25 and 26 Dec are bank holidays, 29-31 Dec (20) -> Wednesday 31 December 2025.
    assert _running(ClockKind.CIN_VISIT).due_date == dt.date(2025, 12, 31)

    # A CIN visit on Mon 5 Jan 2026 is late and says why; the next is due 20 working days on:
    # 6-9 Jan (4), 12-30 Jan (19), Mon 2 Feb (20) -> Monday 2 February 2026.
    _visit(social_worker, episode, dt.date(2026, 1, 5), kind=VisitKind.CIN, late_reason="Child unwell")
    assert _clock(ClockKind.CIN_VISIT, met_date=dt.date(2026, 1, 5)).late_reason == "Child unwell"
    assert _running(ClockKind.CIN_VISIT).due_date == dt.date(2026, 2, 2)

    # The review on its due date is on time; the next is 3 months on: Wed 27 May 2026.
    cin_plan_review_record(
        actor=social_worker, plan=plan, held_on=dt.date(2026, 2, 27), summary="Plan working"
    )
    assert _clock(ClockKind.CIN_REVIEW, met_date=dt.date(2026, 2, 27)).late_reason == ""
    assert _running(ClockKind.CIN_REVIEW).due_date == dt.date(2026, 5, 27)

    cin_plan_end(actor=social_worker, plan=plan, end_date=dt.date(2026, 3, 2))
    assert not StatutoryClock.objects.filter(
        kind__in=[ClockKind.CIN_REVIEW, ClockKind.CIN_VISIT], met_date__isnull=True, stopped_reason=""
    ).exists()


def test_a_late_cin_review_needs_a_reason(social_worker):
    episode = _episode(social_worker, dt.date(2025, 11, 3))
    plan = cin_plan_start(actor=social_worker, episode=episode, start_date=dt.date(2025, 12, 1))
    with pytest.raises(LateReasonNeeded, match="27 February 2026"):
        cin_plan_review_record(
            actor=social_worker, plan=plan, held_on=dt.date(2026, 3, 2), summary="Plan working"
        )
    assert not plan.reviews.exists()


def test_clocks_recompute_keeps_month_clocks_on_the_working_day(social_worker):
    episode = _episode(social_worker, dt.date(2025, 11, 3))
    cin_plan_start(actor=social_worker, episode=episode, start_date=dt.date(2025, 12, 1))
    assert clocks_recompute(actor=None) == 0
    assert _running(ClockKind.CIN_REVIEW).due_date == dt.date(2026, 2, 27)


def test_recompute_leaves_correct_clocks_alone(social_worker):
    episode = EpisodeFactory(
        worker=social_worker, team=social_worker.team, referral_date=dt.date(2026, 11, 2)
    )
    assessment_start(actor=social_worker, episode=episode, start_date=dt.date(2026, 11, 3))
    clock = StatutoryClock.objects.get()
    StatutoryClock.objects.filter(pk=clock.pk).update(due_date=dt.date(2027, 1, 1))
    assert clocks_recompute(actor=None) == 1
    clock.refresh_from_db()
    assert clock.due_date == dt.date(2027, 1, 7)
    assert clocks_recompute(actor=None) == 0
