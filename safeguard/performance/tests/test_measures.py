"""Hand-worked figures for every measure, including the edge cases of the definitions.

Each test builds a few records, works the figure out by hand in its comments and checks
the registry gives exactly that.
"""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard.accounts.tests.factories import TeamFactory, UserFactory
from safeguard.casework.models import Assessment, ChildProtectionReview, Section47Enquiry, Visit
from safeguard.casework.tests.factories import CPPlanFactory, EpisodeFactory
from safeguard.core.calendar import add_working_days, working_days_between
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.tests.factories import ChildFactory
from safeguard.performance.measure_models import Day
from safeguard.performance.measures import (
    MEASURES,
    REGISTRY,
    Figure,
    Kind,
    Level,
    Scope,
    Window,
    children_behind,
    compute,
    compute_all,
)

pytestmark = pytest.mark.django_db

D = dt.date


def fig(
    measure_id: str, start: dt.date, end: dt.date, *, snapshot: dt.date | None = None, scope=None
) -> Figure:
    return compute(measure_id, window=Window.of(start, end, snapshot, population=10_000), scope=scope)


def test_every_measure_of_kpis_md_is_registered_once():
    ids = {
        "contacts", "contact_conversion", "referrals", "referral_rate", "re_referrals", "referral_nfa",
        "assessments_45", "assessment_median", "s47", "icpc_15", "icpc_median", "cp_rate", "cp_starts",
        "cp_repeat", "cp_two_years", "cp_reviews_on_time", "cp_visits_on_time", "cin_rate", "caseload",
        "vacancy_rate", "agency_rate", "turnover", "absence",
    }  # fmt: skip
    assert ids <= set(REGISTRY)
    assert len(REGISTRY) == len(MEASURES)
    for m in MEASURES:
        assert m.definition and m.name and m.better


def test_the_day_table_agrees_with_the_calendar():
    days = {d.date: d for d in Day.objects.filter(date__gte=D(2026, 5, 20), date__lte=D(2026, 6, 15))}
    # Spring bank holiday, Monday 25 May 2026: not a working day.
    assert not days[D(2026, 5, 25)].is_working_day
    assert days[D(2026, 6, 12)].working_day - days[D(2026, 5, 21)].working_day == 15
    for a in days:
        for b in (D(2026, 5, 21), D(2026, 6, 15)):
            assert days[b].working_day - days[a].working_day == working_days_between(a, b)


def test_contacts_and_how_many_became_referrals():
    for day in (3, 4, 5):
        make_contact(received_at=dt.datetime(2026, 3, day, 10, tzinfo=dt.UTC))
    make_contact(received_at=dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC))  # after the period
    first = Contact.objects.order_by("received_on").first()
    assert first is not None
    Contact.objects.filter(pk=first.pk).update(episode=EpisodeFactory(referral_date=D(2026, 3, 3)))
    contacts = fig("contacts", D(2026, 3, 1), D(2026, 3, 31))
    assert (contacts.numerator, contacts.value) == (3, 3.0)
    # 1 of 3 contacts became a referral: 33.3%.
    conversion = fig("contact_conversion", D(2026, 3, 1), D(2026, 3, 31))
    assert (conversion.numerator, conversion.denominator, conversion.display) == (1, 3, "33.3%")
    # Contacts arrive before any team holds the child: no team figure.
    team_figure = fig("contacts", D(2026, 3, 1), D(2026, 3, 31), scope=Scope.of_team(TeamFactory()))
    assert not team_figure.available and "council" in team_figure.reason


def test_re_referral_exactly_12_months_after_counts_and_a_day_more_does_not():
    exactly, day_more, first_time = ChildFactory(), ChildFactory(), ChildFactory()
    EpisodeFactory(
        child=exactly, referral_date=D(2025, 3, 10), closure_date=D(2025, 4, 1), reason_for_closure="RC7"
    )
    EpisodeFactory(child=exactly, referral_date=D(2026, 3, 10))
    EpisodeFactory(
        child=day_more, referral_date=D(2025, 3, 9), closure_date=D(2025, 4, 1), reason_for_closure="RC7"
    )
    EpisodeFactory(child=day_more, referral_date=D(2026, 3, 10))
    EpisodeFactory(child=first_time, referral_date=D(2026, 2, 1), referral_nfa=True)
    # Three referrals in the quarter; only the one 12 months to the day after the last is
    # a re-referral: 1 / 3 = 33.3%.
    figure = fig("re_referrals", D(2026, 1, 1), D(2026, 3, 31))
    assert (figure.numerator, figure.denominator) == (1, 3)
    assert figure.display == "33.3%"
    assert list(
        children_behind(REGISTRY["re_referrals"], window=figure.window, scope=figure.scope, part="numerator")
    ) == [exactly]
    assert fig("referrals", D(2026, 1, 1), D(2026, 3, 31)).value == 3
    # 3 referrals / 10,000 children x 10,000 = 3 per 10,000.
    assert fig("referral_rate", D(2026, 1, 1), D(2026, 3, 31)).value == 3.0
    nfa = fig("referral_nfa", D(2026, 1, 1), D(2026, 3, 31))
    assert (nfa.numerator, nfa.denominator) == (1, 3)


def test_re_referral_across_a_leap_day():
    child = ChildFactory()
    # 12 months before 28 February 2025 is 28 February 2024 (not 29 February).
    EpisodeFactory(
        child=child, referral_date=D(2024, 2, 28), closure_date=D(2024, 3, 1), reason_for_closure="RC7"
    )
    EpisodeFactory(child=child, referral_date=D(2025, 2, 28))
    assert fig("re_referrals", D(2025, 2, 1), D(2025, 2, 28)).numerator == 1


def test_assessments_within_45_working_days_and_the_median():
    episode = EpisodeFactory(referral_date=D(2026, 8, 20))
    # 1 September to 3 November 2026 is exactly 45 working days (on time); 4 November is 46.
    for authorised in (D(2026, 11, 3), D(2026, 11, 4), D(2026, 9, 2)):
        Assessment.objects.create(episode=episode, start_date=D(2026, 9, 1), authorised_date=authorised)
    Assessment.objects.create(episode=episode, start_date=D(2026, 9, 1))  # not authorised: not counted
    figure = fig("assessments_45", D(2026, 9, 1), D(2026, 11, 30))
    assert (figure.numerator, figure.denominator) == (2, 3)
    # From the referral on 20 August: 3 November is 52 working days, 4 November 53, 2
    # September 9: only one within 45.
    wt = fig("assessments_45_from_referral", D(2026, 9, 1), D(2026, 11, 30))
    assert (wt.numerator, wt.denominator) == (1, 3)
    # Durations 1, 45 and 46: the median is 45.
    median = fig("assessment_median", D(2026, 9, 1), D(2026, 11, 30))
    assert (median.value, median.denominator, median.display) == (45.0, 3, "45 working days")
    Assessment.objects.filter(authorised_date=D(2026, 9, 2)).delete()
    # Two durations, 45 and 46: the median is their mean.
    assert fig("assessment_median", D(2026, 9, 1), D(2026, 11, 30)).value == 45.5


def test_icpc_on_the_15th_working_day_across_a_bank_holiday_is_on_time():
    # Strategy discussion Thursday 21 May 2026; Monday 25 May is the spring bank holiday,
    # so the 15th working day is Friday 12 June (22 May is day 1, 26 May day 2, ...).
    assert add_working_days(D(2026, 5, 21), 15) == D(2026, 6, 12)
    on_time = EpisodeFactory()
    late = EpisodeFactory()
    Section47Enquiry.objects.create(episode=on_time, start_date=D(2026, 5, 21), icpc_date=D(2026, 6, 12))
    Section47Enquiry.objects.create(episode=late, start_date=D(2026, 5, 21), icpc_date=D(2026, 6, 15))
    Section47Enquiry.objects.create(episode=late, start_date=D(2026, 6, 1))  # no conference yet
    figure = fig("icpc_15", D(2026, 6, 1), D(2026, 6, 30))
    assert (figure.numerator, figure.denominator, figure.display) == (1, 2, "50.0%")
    # 15 and 16 working days: the median is 15.5.
    assert fig("icpc_median", D(2026, 6, 1), D(2026, 6, 30)).value == 15.5
    # Enquiries started in June: only the one begun on 1 June.
    assert fig("s47", D(2026, 6, 1), D(2026, 6, 30)).value == 1


def test_plans_at_a_snapshot_starts_repeats_and_the_rate():
    CPPlanFactory(start_date=D(2026, 1, 5), number_of_previous_plans=1)
    CPPlanFactory(start_date=D(2026, 2, 2))
    CPPlanFactory(start_date=D(2025, 6, 1), end_date=D(2026, 3, 31))  # ends on the snapshot day
    CPPlanFactory(start_date=D(2025, 6, 1), end_date=D(2026, 4, 1))  # open at the snapshot
    # Open at the end of 31 March 2026: the two new plans and the one ending on 1 April.
    rate = fig("cp_rate", D(2026, 1, 1), D(2026, 3, 31), snapshot=D(2026, 3, 31))
    assert (rate.numerator, rate.denominator, rate.value) == (3, 10_000, 3.0)
    starts = fig("cp_starts", D(2026, 1, 1), D(2026, 3, 31))
    assert starts.value == 2
    repeat = fig("cp_repeat", D(2026, 1, 1), D(2026, 3, 31))
    assert (repeat.numerator, repeat.denominator, repeat.display) == (1, 2, "50.0%")


def test_a_plan_ending_on_its_two_year_anniversary_lasted_two_years():
    CPPlanFactory(start_date=D(2024, 6, 1), end_date=D(2026, 6, 1))  # exactly 2 years
    CPPlanFactory(start_date=D(2024, 6, 2), end_date=D(2026, 6, 1))  # a day short
    CPPlanFactory(start_date=D(2024, 2, 29), end_date=D(2026, 2, 28))  # leap day: 28 Feb is its anniversary
    figure = fig("cp_two_years", D(2026, 1, 1), D(2026, 6, 30))
    assert (figure.numerator, figure.denominator) == (2, 3)


def test_a_review_held_on_its_due_date_is_on_time():
    # Start Monday 2 March 2026: the first review is due 3 months later, Tuesday 2 June.
    on_due_date = CPPlanFactory(start_date=D(2026, 3, 2))
    ChildProtectionReview.objects.create(plan=on_due_date, held_on=D(2026, 6, 2))
    a_day_late = CPPlanFactory(start_date=D(2026, 3, 2))
    ChildProtectionReview.objects.create(plan=a_day_late, held_on=D(2026, 6, 3))
    CPPlanFactory(start_date=D(2026, 3, 2))  # no review at all: overdue since 2 June
    CPPlanFactory(start_date=D(2026, 10, 1))  # under 3 months at the snapshot: not counted
    # A later review is due 6 months after the one before: 2 June + 6 months = 2 December.
    second_late = CPPlanFactory(start_date=D(2025, 9, 1))
    ChildProtectionReview.objects.create(plan=second_late, held_on=D(2025, 12, 1))
    ChildProtectionReview.objects.create(plan=second_late, held_on=D(2026, 6, 2))  # due 1 June
    ChildProtectionReview.objects.create(plan=second_late, held_on=D(2026, 11, 30))
    figure = fig("cp_reviews_on_time", D(2026, 11, 1), D(2026, 11, 30), snapshot=D(2026, 11, 30))
    assert (figure.numerator, figure.denominator) == (1, 4)
    behind = children_behind(
        REGISTRY["cp_reviews_on_time"], window=figure.window, scope=figure.scope, part="numerator"
    )
    assert list(behind) == [on_due_date.child]


def test_visits_within_ten_working_days_of_the_snapshot():
    snapshot = D(2026, 11, 30)  # a Monday
    seen = CPPlanFactory(start_date=D(2026, 6, 1))
    Visit.objects.create(
        episode=seen.episode, child=seen.child, visit_date=D(2026, 11, 16), kind="cp", child_seen=True
    )
    stale = CPPlanFactory(start_date=D(2026, 6, 1))
    Visit.objects.create(
        episode=stale.episode, child=stale.child, visit_date=D(2026, 11, 13), kind="cp", child_seen=True
    )
    not_seen = CPPlanFactory(start_date=D(2026, 6, 1))
    Visit.objects.create(
        episode=not_seen.episode,
        child=not_seen.child,
        visit_date=D(2026, 11, 27),
        kind="cp",
        child_seen=False,
    )
    CPPlanFactory(start_date=D(2026, 11, 20))  # new plan, no visit yet: within its first 10 days
    # 16 Nov to 30 Nov is 10 working days (on time); 13 Nov is 11 (late); a visit where the
    # child was not seen does not count. 2 of 4.
    figure = fig("cp_visits_on_time", D(2026, 11, 1), snapshot, snapshot=snapshot)
    assert (figure.numerator, figure.denominator) == (2, 4)


def test_children_in_need_at_a_snapshot():
    EpisodeFactory(referral_date=D(2026, 1, 5))
    EpisodeFactory(referral_date=D(2026, 1, 5), closure_date=D(2026, 2, 27), reason_for_closure="RC7")
    EpisodeFactory(referral_date=D(2026, 1, 5), closure_date=D(2026, 3, 2), reason_for_closure="RC7")
    EpisodeFactory(referral_date=D(2026, 3, 2))  # referred after the snapshot
    figure = fig("cin_rate", D(2026, 2, 1), D(2026, 2, 28), snapshot=D(2026, 2, 28))
    assert (figure.numerator, figure.value) == (2, 2.0)


def test_a_child_who_moved_team_counts_once_in_the_team_holding_them():
    first, second = TeamFactory(), TeamFactory()
    episode = EpisodeFactory(referral_date=D(2026, 5, 4), team=first)
    Assessment.objects.create(episode=episode, start_date=D(2026, 5, 5), authorised_date=D(2026, 6, 1))
    episode.team = second  # transferred during the period
    episode.save()
    window = (D(2026, 5, 1), D(2026, 6, 30))
    assert fig("referrals", *window, scope=Scope.of_team(first)).value == 0
    assert fig("referrals", *window, scope=Scope.of_team(second)).value == 1
    assert fig("referrals", *window).value == 1
    assert fig("assessments_45", *window, scope=Scope.of_team(second)).denominator == 1
    service = Scope.of_service(second.service_id, second.service.name)
    assert fig("referrals", *window, scope=service).value == 1


def test_a_worker_scope_counts_the_episodes_allocated_to_them():
    worker = UserFactory()
    EpisodeFactory(referral_date=D(2026, 5, 4), team=worker.team, worker=worker)
    EpisodeFactory(referral_date=D(2026, 5, 4), team=worker.team)
    assert fig("referrals", D(2026, 5, 1), D(2026, 5, 31), scope=Scope.of_worker(worker)).value == 1
    assert fig("referrals", D(2026, 5, 1), D(2026, 5, 31), scope=Scope.of_team(worker.team)).value == 2


def test_an_empty_period_is_no_data_not_zero():
    EpisodeFactory(referral_date=D(2026, 5, 4))
    figures = compute_all(window=Window.of(D(2010, 1, 1), D(2010, 1, 31), population=10_000))
    by_id = {f.id: f for f in figures}
    for f in figures:
        if f.measure.kind in (Kind.PROPORTION, Kind.MEDIAN):
            assert f.value is None and f.no_data and f.display == "No data", f.id
            assert f.as_dict()["note"] == "No data for this period"
    assert by_id["referrals"].value == 0
    assert not by_id["caseload"].available and by_id["caseload"].display == "Not available yet"


def test_sealed_children_are_left_out():
    EpisodeFactory(referral_date=D(2026, 5, 4), child=ChildFactory(is_sealed=True))
    CPPlanFactory(start_date=D(2026, 5, 4), episode=EpisodeFactory(child=ChildFactory(is_sealed=True)))
    assert fig("referrals", D(2026, 5, 1), D(2026, 5, 31)).value == 0
    assert fig("cp_rate", D(2026, 5, 1), D(2026, 5, 31)).numerator == 0
    assert fig("cin_rate", D(2026, 5, 1), D(2026, 5, 31)).numerator == 0


def test_days_outside_the_filled_years_are_added_when_needed():
    EpisodeFactory(referral_date=D(1998, 3, 2), closure_date=D(1998, 4, 1), reason_for_closure="RC7")
    assert not Day.objects.filter(date=D(1998, 3, 2)).exists()
    assert fig("referrals", D(1998, 3, 1), D(1998, 3, 31)).value == 1
    assert Day.objects.filter(date=D(1998, 3, 2)).exists()


def test_scope_levels_name_their_figures():
    team = TeamFactory()
    assert Scope.of_team(team).level == Level.TEAM and Scope.of_team(team).label == team.name
    assert Scope.council().key == "council"
