"""The generated council obeys the data rules (codes.md) and follows the England shapes.

One council of 2,500 children is built once for the module (about 5 seconds on SQLite)
and every test reads it; tests that change data live in test_seed_demo_command.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Count, Q
from django.test import RequestFactory

from safeguard.accounts.models import CASE_HOLDING_ROLES, Role, Team, TeamKind, User
from safeguard.casework.models import (
    Assessment,
    ChildProtectionPlan,
    ChildProtectionReview,
    CINEpisode,
    CINPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.core.calendar import add_calendar_months, add_working_days
from safeguard.demo.generator import DEMO_PASSWORD, SeedOptions, SeedSummary, generate
from safeguard.demo.measures import measure
from safeguard.demo.tests.support import wipe_demo_data
from safeguard.people.models import Address, Person, Relationship, RelationshipKind
from safeguard.people.validators import (
    validate_la_child_id,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)

TODAY = dt.date(2025, 3, 31)
CHILDREN = 2500
YEARS = 5


@pytest.fixture(scope="module")
def council(django_db_setup: Any, django_db_blocker: Any) -> Iterator[SeedSummary]:
    with django_db_blocker.unblock():
        summary = generate(SeedOptions(children=CHILDREN, years=YEARS, seed=11, today=TODAY))
    yield summary
    with django_db_blocker.unblock():
        wipe_demo_data()


@pytest.fixture(scope="module")
def shapes(council: SeedSummary, django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return measure(TODAY)


pytestmark = pytest.mark.django_db


# --- Size and summary -----------------------------------------------------------------


def test_summary_counts_match_the_database(council: SeedSummary) -> None:
    assert council.rows["people.Person"] == Person.objects.count()
    assert council.rows["casework.CINEpisode"] == CINEpisode.objects.count()
    assert council.total_rows > CHILDREN * 8
    assert council.rows_per_second > 0


def test_makes_exactly_n_children(council: SeedSummary) -> None:
    assert Person.objects.filter(la_child_id__isnull=False).count() == CHILDREN


# --- Identifiers ----------------------------------------------------------------------


def test_identifiers_are_valid_and_unique(council: SeedSummary) -> None:
    rows = list(
        Person.objects.filter(la_child_id__isnull=False).values_list(
            "la_child_id", "nhs_number", "upn", "upn_unknown_reason"
        )
    )
    nhs = [r[1] for r in rows if r[1]]
    upns = [r[2] for r in rows if r[2]]
    for la_child_id, nhs_number, upn, reason in rows:
        validate_la_child_id(la_child_id)
        if nhs_number:
            validate_nhs_number(nhs_number)
            assert nhs_number.startswith("999")  # the NHS test range: never a real patient
        if upn:
            validate_upn(upn)
            assert upn[1:4] == settings.COUNCIL_LA_CODE
            assert reason == ""
        else:
            assert reason in {"UN1", "UN2", "UN3", "UN4", "UN5", "UN6"}
    assert len(set(nhs)) == len(nhs)
    assert len(set(upns)) == len(upns)
    assert 0.86 <= len(nhs) / len(rows) <= 0.94


def test_addresses_have_valid_fictional_postcodes(council: SeedSummary) -> None:
    postcodes = set(Address.objects.values_list("postcode", flat=True))
    for postcode in postcodes:
        validate_postcode(postcode)
        assert postcode.startswith("HM")
    hidden = Address.objects.filter(
        must_not_be_disclosed=True, end_date__isnull=True, person__la_child_id__isnull=True
    ).count()
    adults = Address.objects.filter(end_date__isnull=True, person__la_child_id__isnull=True).count()
    assert 0.01 <= hidden / adults <= 0.06


# --- Children -------------------------------------------------------------------------


def test_children_ages_sex_and_unborn(council: SeedSummary) -> None:
    children = Person.objects.filter(la_child_id__isnull=False)
    unborn = children.filter(date_of_birth__isnull=True)
    assert unborn.exists()
    for person in unborn:
        assert person.sex == "U"
        assert person.expected_date_of_birth is not None
        assert TODAY < person.expected_date_of_birth <= TODAY + dt.timedelta(days=152)
    ages = [p.age_on(TODAY) or 0 for p in children.filter(date_of_birth__isnull=False)]
    assert min(ages) == 0 and max(ages) == 17
    sexes = Counter(children.filter(date_of_birth__isnull=False).values_list("sex", flat=True))
    assert 0.45 <= sexes["M"] / (sexes["M"] + sexes["F"]) <= 0.55
    assert set(sexes) <= {"M", "F"}


def test_school_age_children_mostly_have_upns(council: SeedSummary) -> None:
    born = Person.objects.filter(la_child_id__isnull=False, date_of_birth__isnull=False)
    school_age = [p for p in born if (p.age_on(TODAY) or 0) >= 5]
    share = sum(1 for p in school_age if p.upn) / len(school_age)
    assert 0.8 <= share <= 0.9
    assert all(p.upn_unknown_reason == "UN1" for p in born if (p.age_on(TODAY) or 0) < 5)


def test_ethnicity_and_disability_shares(council: SeedSummary) -> None:
    children = Person.objects.filter(la_child_id__isnull=False)
    codes = Counter(children.values_list("ethnicity", flat=True))
    assert 0.58 <= codes["WBRI"] / CHILDREN <= 0.72
    assert codes["APKN"] > codes["CHNE"]
    disabled = Person.objects.filter(disabilities__isnull=False).distinct().count()
    assert 0.05 <= disabled / CHILDREN <= 0.11


def test_households_have_adults_and_siblings_both_ways(council: SeedSummary) -> None:
    siblings = set(
        Relationship.objects.filter(
            kind__in=(RelationshipKind.SIBLING, RelationshipKind.HALF_SIBLING)
        ).values_list("child_id", "other_id")
    )
    assert siblings and all((b, a) in siblings for a, b in siblings)
    with_adult = (
        Relationship.objects.filter(other__la_child_id__isnull=True).values("child_id").distinct().count()
    )
    assert with_adult / CHILDREN > 0.95
    assert not Relationship.objects.filter(
        other__la_child_id__isnull=False, kind=RelationshipKind.MOTHER
    ).exists()


def test_alleged_perpetrators_only_around_children_on_plans(council: SeedSummary) -> None:
    flagged = Relationship.objects.filter(is_alleged_perpetrator=True)
    assert flagged.exists()
    on_plans = set(ChildProtectionPlan.objects.values_list("child_id", flat=True))
    assert set(flagged.values_list("child_id", flat=True)) <= on_plans


# --- Casework rules (codes.md validation rules) ----------------------------------------


def test_no_dates_in_the_future(council: SeedSummary) -> None:
    def after(*fields: str) -> Q:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__gt": TODAY})
        return condition

    assert not CINEpisode.objects.filter(after("referral_date", "closure_date")).exists()
    assessed = after("start_date", "authorised_date", "child_seen_date")
    assert not Assessment.objects.filter(assessed).exists()
    assert not StrategyDiscussion.objects.filter(after("held_on")).exists()
    assert not Section47Enquiry.objects.filter(after("start_date", "icpc_date")).exists()
    assert not CINPlan.objects.filter(after("start_date", "end_date")).exists()
    assert not ChildProtectionPlan.objects.filter(after("start_date", "end_date")).exists()
    assert not ChildProtectionReview.objects.filter(after("held_on")).exists()
    assert not Person.objects.filter(date_of_birth__gt=TODAY).exists()


def _episode_activity() -> dict[Any, list[dt.date]]:
    """Every dated event of each episode."""
    dates: dict[Any, list[dt.date]] = defaultdict(list)
    for episode_id, *days in Assessment.objects.values_list(
        "episode_id", "start_date", "authorised_date", "child_seen_date"
    ):
        dates[episode_id] += [d for d in days if d]
    for episode_id, held in StrategyDiscussion.objects.values_list("episode_id", "held_on"):
        dates[episode_id].append(held)
    for model, fields in (
        (Section47Enquiry, ("start_date", "icpc_date")),
        (CINPlan, ("start_date", "end_date")),
        (ChildProtectionPlan, ("start_date", "end_date")),
    ):
        for episode_id, *days in model.objects.values_list("episode_id", *fields):
            dates[episode_id] += [d for d in days if d]
    reviews = ChildProtectionReview.objects.values_list("plan__episode_id", "held_on")
    for episode_id, held in reviews:
        dates[episode_id].append(held)
    return dates


def test_activity_lies_inside_its_episode(council: SeedSummary) -> None:
    activity = _episode_activity()
    for episode in CINEpisode.objects.all():
        for day in activity.get(episode.pk, []):
            assert day >= episode.referral_date, episode.pk
            if episode.closure_date is not None:
                assert day <= episode.closure_date, episode.pk


def test_episodes_of_a_child_do_not_overlap(council: SeedSummary) -> None:
    by_child: dict[Any, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for child_id, referral, closure in CINEpisode.objects.values_list(
        "child_id", "referral_date", "closure_date"
    ):
        by_child[child_id].append((referral, closure))
    for episodes in by_child.values():
        episodes.sort()
        for (_, closure), (next_referral, _) in itertools.pairwise(episodes):
            assert closure is not None and closure < next_referral


def test_closed_episodes_have_a_reason_and_open_ones_none(council: SeedSummary) -> None:
    closed = CINEpisode.objects.filter(closure_date__isnull=False)
    assert not closed.filter(reason_for_closure="").exists()
    still_open = CINEpisode.objects.filter(closure_date__isnull=True)
    assert not still_open.exclude(reason_for_closure="").exists()


def test_rc8_and_rc9_only_after_an_assessment(council: SeedSummary) -> None:
    closed_after_assessment = CINEpisode.objects.filter(reason_for_closure__in=("RC8", "RC9"))
    assert closed_after_assessment.exists()
    assert not closed_after_assessment.filter(assessments__isnull=True).exists()
    assert not closed_after_assessment.filter(assessments__authorised_date__isnull=True).exists()


def test_referral_nfa_has_no_other_activity(council: SeedSummary) -> None:
    nfa = CINEpisode.objects.filter(referral_nfa=True)
    assert nfa.exists()
    assert not nfa.filter(
        Q(assessments__isnull=False)
        | Q(strategy_discussions__isnull=False)
        | Q(section_47s__isnull=False)
        | Q(cin_plans__isnull=False)
        | Q(cp_plans__isnull=False)
    ).exists()
    assert not nfa.filter(closure_date__isnull=True).exists()
    for episode in nfa:
        assert episode.closure_date is not None
        assert episode.closure_date <= add_working_days(episode.referral_date, 1)


def test_assessment_factors(council: SeedSummary) -> None:
    for factors, outcome, authorised, status in Assessment.objects.values_list(
        "factors", "outcome", "authorised_date", "status"
    ):
        if authorised is None and status == "in_progress":
            assert outcome == "" and factors == []
            continue
        # Authorised, or sent for authorisation: the worker has recorded both.
        assert status in ("authorised", "submitted") and outcome
        assert 1 <= len(factors) <= 4 and len(set(factors)) == len(factors)
        if "21" in factors:
            assert factors == ["21"] and outcome == "nfa"


def test_assessments_waiting_for_sign_off(council: SeedSummary) -> None:
    submitted = Assessment.objects.filter(status="submitted").select_related("episode")
    assert submitted.exists()
    for assessment in submitted:
        assert assessment.authorised_date is None and assessment.episode.closure_date is None
        assert assessment.submitted_date is not None
        assert assessment.start_date <= assessment.submitted_date <= TODAY
        assert assessment.submitted_by_id == assessment.episode.worker_id is not None
        assert assessment.sections.count() == 5


def test_section_47_clock(council: SeedSummary) -> None:
    for s47 in Section47Enquiry.objects.select_related("strategy_discussion"):
        assert s47.strategy_discussion is not None
        assert s47.start_date == s47.strategy_discussion.held_on
        assert s47.icpc_target_date == add_working_days(s47.start_date, 15)
        if s47.icpc_date is not None:
            assert s47.icpc_date > s47.start_date
            assert s47.outcome == "icpc"
        assert not (s47.icpc_not_required and s47.icpc_date)


def test_child_protection_plans(council: SeedSummary) -> None:
    by_child: dict[Any, list[ChildProtectionPlan]] = defaultdict(list)
    for plan in ChildProtectionPlan.objects.select_related("episode"):
        by_child[plan.child_id].append(plan)
        assert plan.episode.child_id == plan.child_id
        assert plan.end_date is None or plan.end_date > plan.start_date
        icpc = Section47Enquiry.objects.filter(episode=plan.episode, icpc_date=plan.start_date)
        assert icpc.exists()  # a plan starts at its initial conference
    for plans in by_child.values():
        plans.sort(key=lambda p: p.start_date)
        assert sum(1 for p in plans if p.end_date is None) <= 1
        for i, plan in enumerate(plans):
            assert plan.number_of_previous_plans == i
            if i:
                previous_end = plans[i - 1].end_date
                assert previous_end is not None and previous_end <= plan.start_date


def test_reviews_follow_the_timescales(council: SeedSummary) -> None:
    first_on_time = due = 0
    for plan in ChildProtectionPlan.objects.prefetch_related("reviews"):
        reviews = [r.held_on for r in plan.reviews.all()]
        assert reviews == sorted(reviews)
        assert all(plan.start_date < day <= (plan.end_date or TODAY) for day in reviews)
        if add_calendar_months(plan.start_date, 3) <= (plan.end_date or TODAY):
            due += 1
            first_on_time += bool(reviews) and reviews[0] <= add_calendar_months(plan.start_date, 3)
    assert first_on_time / due >= 0.9


def test_cin_plans_only_without_an_open_cp_plan(council: SeedSummary) -> None:
    for plan in CINPlan.objects.select_related("episode"):
        assert plan.end_date is None or plan.end_date >= plan.start_date
        overlapping = ChildProtectionPlan.objects.filter(
            episode=plan.episode,
            start_date__lt=plan.end_date or TODAY,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gt=plan.start_date))
        assert not overlapping.exists()


# --- Allocation -----------------------------------------------------------------------


def test_open_episodes_are_with_a_team_of_the_right_kind(council: SeedSummary) -> None:
    open_episodes = CINEpisode.objects.filter(closure_date__isnull=True)
    open_episodes = open_episodes.select_related("team", "worker")
    assert open_episodes.exists()
    for episode in open_episodes:
        assert episode.team is not None
        if episode.worker is not None:
            assert episode.worker.team_id == episode.team_id
            assert episode.worker.role in CASE_HOLDING_ROLES
        else:
            # Waiting for allocation: recent work only.
            assert (TODAY - episode.referral_date).days <= 60 or episode.cp_plans.filter(
                start_date__gte=TODAY - dt.timedelta(days=10)
            ).exists()
        if episode.cp_plans.filter(end_date__isnull=True).exists():
            assert episode.team.kind in (TeamKind.CHILD_PROTECTION, TeamKind.CHILDREN_IN_NEED)
    unallocated = open_episodes.filter(worker__isnull=True).count()
    assert 0 < unallocated < open_episodes.count() * 0.1


def test_caseloads_are_realistic(shapes: dict[str, Any]) -> None:
    assert 14.0 <= shapes["average_caseload_per_fte"] <= 18.5
    assert shapes["most_open_cases_held"] <= 25


def test_workforce_shape(council: SeedSummary) -> None:
    holders = User.objects.filter(role__in=CASE_HOLDING_ROLES, is_demo_account=False)
    assert holders.filter(grade="asye").exists()
    assert holders.filter(is_agency=True).exists()
    assert all(
        u.social_work_england_number.startswith("SW") and len(u.social_work_england_number) == 8
        for u in holders
    )
    assert (
        User.objects.filter(role=Role.TEAM_MANAGER).count()
        >= Team.objects.filter(
            kind__in=(TeamKind.ASSESSMENT, TeamKind.CHILD_PROTECTION, TeamKind.CHILDREN_IN_NEED)
        ).count()
    )
    assert Team.objects.filter(kind=TeamKind.ASSESSMENT).count() >= 2
    assert Team.objects.filter(kind=TeamKind.PARTNER).count() >= 2
    staff = User.objects.filter(is_demo_account=False)
    assert not any(u.has_usable_password() for u in staff)


# --- Demo accounts --------------------------------------------------------------------


def test_a_demo_account_per_role_and_a_second_where_access_differs(council: SeedSummary) -> None:
    demo = User.objects.filter(is_demo_account=True)
    roles = sorted(demo.values_list("role", flat=True))
    assert roles == sorted([*(r.value for r in Role), Role.SOCIAL_WORKER, Role.PARTNER_AGENCY])
    for user in demo:
        assert user.username == user.email
        assert user.email.endswith(f"@demo.{settings.COUNCIL_SHORT_NAME.lower()}.example")
        assert user.team is not None


def test_no_generated_account_may_use_the_admin(council: SeedSummary) -> None:
    assert User.objects.filter(role=Role.SYSTEM_ADMINISTRATOR, is_demo_account=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_demo_accounts_sign_in_with_the_demo_password(council: SeedSummary) -> None:
    # The login throttle (django-axes) needs a request to authenticate against.
    request = RequestFactory().post("/accounts/login/")
    demo = list(User.objects.filter(is_demo_account=True))
    for user in demo:
        assert authenticate(request, username=user.username, password=DEMO_PASSWORD) == user
    assert authenticate(request, username=demo[0].username, password="not-the-password") is None


def test_demo_case_holders_have_interesting_pages(council: SeedSummary) -> None:
    social_worker = User.objects.get(username__startswith="social.worker@", is_demo_account=True)
    manager = User.objects.get(is_demo_account=True, role=Role.TEAM_MANAGER)
    open_cases = CINEpisode.objects.filter(worker=social_worker, closure_date__isnull=True)
    assert 12 <= open_cases.count() <= 18
    assert open_cases.filter(cp_plans__end_date__isnull=True, cp_plans__isnull=False).exists()
    assert manager.team_id == social_worker.team_id
    senior = User.objects.get(is_demo_account=True, role=Role.SENIOR_PRACTITIONER)
    assert CINEpisode.objects.filter(worker=senior, closure_date__isnull=True).exists()
    counts = User.objects.filter(team=social_worker.team, role__in=CASE_HOLDING_ROLES).annotate(
        n=Count("allocated_episodes", filter=Q(allocated_episodes__closure_date__isnull=True))
    )
    assert all(u.n > 0 for u in counts)


# --- England shapes (kpis.md), with tolerances for a sample of this size ---------------


def test_referral_shapes(shapes: dict[str, Any]) -> None:
    assert 20 <= shapes["source_police_pct"] <= 36
    assert 14 <= shapes["source_schools_pct"] <= 28
    assert 9 <= shapes["source_health_pct"] <= 21
    assert 3 <= shapes["referral_nfa_pct"] <= 11
    assert 13 <= shapes["re_referral_pct"] <= 32
    assert 45 <= shapes["primary_need_n1_pct"] <= 65
    assert 28 <= shapes["section_47_per_100_referrals"] <= 44


def test_assessment_shapes(shapes: dict[str, Any]) -> None:
    assert 25 <= shapes["assessment_median_wd"] <= 40
    assert 10 <= shapes["assessment_q1_wd"] <= 24
    assert 38 <= shapes["assessment_q3_wd"] <= 48
    assert 78 <= shapes["assessment_within_45_pct"] <= 93
    assert 24 <= shapes["assessed_not_in_need_pct"] <= 38


def test_conference_and_plan_shapes(shapes: dict[str, Any]) -> None:
    assert 22 <= shapes["icpc_per_100_s47"] <= 40
    assert 11 <= shapes["icpc_median_wd"] <= 16
    assert 70 <= shapes["icpc_within_15_pct"] <= 90
    assert 78 <= shapes["plans_per_100_icpc"] <= 95
    assert 38 <= shapes["category_NEG_pct"] <= 62
    assert 22 <= shapes["category_EMO_pct"] <= 44
    assert 10 <= shapes["repeat_plan_pct"] <= 35
    assert shapes["open_cp_plans"] > 0
    assert 7 <= shapes["ended_up_to_3_months_pct"] <= 27
    assert 14 <= shapes["ended_1_to_2_years_pct"] <= 34


# --- Front door contacts ----------------------------------------------------------------


def test_three_to_five_contacts_per_referral(council: SeedSummary) -> None:
    from safeguard.frontdoor.models import Contact, ContactStatus

    referrals = CINEpisode.objects.count()
    decided = Contact.objects.filter(status=ContactStatus.DECIDED).count()
    assert 2.5 * referrals <= decided <= 5 * referrals
    assert Contact.objects.filter(decision="referral").count() == referrals
    for contact in Contact.objects.filter(decision="referral").select_related("episode")[:50]:
        assert contact.episode is not None and contact.episode.referral_date == contact.received_on
    assert council.rows["frontdoor.Contact"] == Contact.objects.count()


def test_an_open_queue_for_the_front_door(council: SeedSummary) -> None:
    from safeguard.frontdoor.models import OPEN_STATUSES, Contact

    open_contacts = Contact.objects.filter(status__in=OPEN_STATUSES)
    assert open_contacts.count() >= 8
    assert all(c.child_id is None and c.received_on <= TODAY for c in open_contacts)


def test_contact_sources_follow_the_national_shape(council: SeedSummary) -> None:
    from safeguard.frontdoor.models import Contact

    total = Contact.objects.count()
    police = Contact.objects.filter(referral_source="6").count() / total
    assert 0.15 < police < 0.4
    assert all(hasattr(c, "referrer") for c in Contact.objects.select_related("referrer")[:100])


def test_late_front_door_decisions_give_their_reason(council: SeedSummary) -> None:
    from django.utils import timezone

    from safeguard.frontdoor.models import Contact, ContactStatus

    decided = list(Contact.objects.filter(status=ContactStatus.DECIDED))
    late = 0
    for contact in decided:
        assert contact.decided_at is not None and contact.authorised_at is not None
        assert contact.authorised_at >= contact.decided_at
        took_effect = timezone.localdate(contact.authorised_at)
        # As contact_decide and contact_authorise require: a reason exactly when it was late.
        assert bool(contact.decision_late_reason) == (took_effect > contact.decision_due), contact.reference
        late += took_effect > contact.decision_due
    assert 0 < late < len(decided) * 0.1
    # A manager's authorisation is its own moment, sometimes the next day.
    by_manager = [c for c in decided if c.authorised_by_id != c.decided_by_id]
    assert by_manager and all(c.authorised_at != c.decided_at for c in by_manager)
    assert any(c.decision_late_reason.startswith("Manager:") for c in by_manager)


def test_strategy_discussions_have_their_agencies_a_circulated_record_and_one_enquiry(
    council: SeedSummary,
) -> None:
    from safeguard.casework.services.enquiries import REQUIRED_STRATEGY_AGENCIES

    discussions = list(StrategyDiscussion.objects.all())
    assert discussions
    assert all(set(d.agencies) >= REQUIRED_STRATEGY_AGENCIES for d in discussions)
    past = [d for d in discussions if add_working_days(d.held_on, 3) < TODAY]
    assert all(d.record_circulated_on is not None and d.record_circulated_on >= d.held_on for d in past)
    assert all(d.record_circulated_on is None or d.record_circulated_on <= TODAY for d in discussions)
    # Never two enquiries for one episode's discussions (the census would count two).
    per_episode = Counter(Section47Enquiry.objects.values_list("episode_id", flat=True))
    assert per_episode and max(per_episode.values()) == 1
