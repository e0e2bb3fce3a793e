"""A child's episodes of work, from referral to closure, following the England shapes.

Each episode is first simulated as a plain sketch of dates, as if time ran on past today,
and then cut at today: anything after today has not happened yet, so a long assessment
becomes one in progress, a plan that would end next year is open, and so on. Simulating
first and cutting second keeps every rule in one place (the census validation rules in
codes.md: closure after referral and after all activity, RC8/RC9 only after an
assessment, no activity after a referral NFA, one open plan per child, no overlapping
plans) and makes "open today" fall out naturally instead of being decided separately.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass, field

from django.db import models

from safeguard.accounts.models import TeamKind
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.models import (
    Assessment,
    AssessmentSection,
    AssessmentStatus,
    ChildProtectionPlan,
    ChildProtectionReview,
    CINEpisode,
    CINPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.casework.services.enquiries import REQUIRED_STRATEGY_AGENCIES
from safeguard.core.calendar import (
    add_calendar_months,
    add_working_days,
    is_working_day,
)
from safeguard.demo import shapes
from safeguard.demo.households import Child
from safeguard.demo.organisation import new_uuid


@dataclass(slots=True)
class Section47Sketch:
    start: dt.date
    target: dt.date
    concluded: dt.date
    icpc: dt.date | None
    outcome: str
    not_required: bool


@dataclass(slots=True)
class PlanSketch:
    start: dt.date
    end: dt.date | None
    initial: str
    latest: str
    previous: int
    reviews: list[dt.date]


@dataclass(slots=True)
class EpisodeSketch:
    referral: dt.date
    source: str
    need: str
    nfa: bool = False
    closure: dt.date | None = None
    reason: str = ""
    assessment_start: dt.date | None = None
    child_seen: dt.date | None = None
    seen_alone: bool | None = None
    authorised: dt.date | None = None
    # Sent to the manager: a few working days before the manager authorises it.
    submitted: dt.date | None = None
    factors: list[str] = field(default_factory=list)
    outcome: str = ""
    strategy_held: dt.date | None = None
    section_47: Section47Sketch | None = None
    cin_plans: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    plan: PlanSketch | None = None
    cin_plan_held_by_cp_team: bool = False

    @property
    def is_open(self) -> bool:
        return self.closure is None

    def team_kind(self) -> str:
        """Which kind of team holds (or last held) the episode."""
        if self.nfa:
            return TeamKind.FRONT_DOOR
        cin_open = any(end is None for _, end in self.cin_plans)
        if self.plan is not None:
            if cin_open and not self.cin_plan_held_by_cp_team:
                return TeamKind.CHILDREN_IN_NEED  # stepped down from a plan to a CIN team
            return TeamKind.CHILD_PROTECTION
        if self.cin_plans:
            if self.cin_plan_held_by_cp_team:
                return TeamKind.CHILD_PROTECTION
            return TeamKind.CHILDREN_IN_NEED
        if self.assessment_start is not None or self.strategy_held is not None:
            return TeamKind.ASSESSMENT
        return TeamKind.FRONT_DOOR


# --- Dates ----------------------------------------------------------------------------


def _working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _working_day_on_or_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _referral_day(rng: random.Random, day: dt.date, today: dt.date) -> dt.date:
    """Most referrals arrive on working days; a few (police, out of hours) at weekends."""
    if is_working_day(day) or rng.random() < shapes.WEEKEND_REFERRAL_KEPT:
        return day
    moved = _working_day_on_or_after(day)
    return moved if moved <= today else day


# --- One episode ----------------------------------------------------------------------


def _simulate(
    rng: random.Random, child: Child, referral: dt.date, previous_plans: int, today: dt.date
) -> EpisodeSketch:
    age = child.age_on(referral)
    young = age < shapes.SCHOOL_AGE
    sources = shapes.REFERRAL_SOURCE_UNDER_FIVE if young else shapes.REFERRAL_SOURCE_SCHOOL_AGE
    need = (
        "N2"
        if child.disabled and rng.random() < shapes.PRIMARY_NEED_DISABLED_CHILD_N2
        else shapes.PRIMARY_NEED.draw(rng)
    )
    episode = EpisodeSketch(referral, sources.draw(rng), need)
    if rng.random() < shapes.REFERRAL_NFA_SHARE:
        # Decided at the front door the same or the next working day; nothing else happens.
        episode.nfa = True
        closure = referral if rng.random() < 0.6 else add_working_days(referral, 1)
        episode.closure = closure if closure <= today else referral
        episode.reason = "RC7"
        return episode

    had_plan = previous_plans > 0
    start = add_working_days(referral, int(shapes.ASSESSMENT_START_DELAY.draw(rng)))
    duration = shapes.ASSESSMENT_WORKING_DAYS.draw(rng)
    authorised = add_working_days(start, duration)
    waiting = min(duration, rng.randint(*shapes.SUBMITTED_BEFORE_AUTHORISED_WORKING_DAYS))
    episode.assessment_start, episode.authorised = start, authorised
    episode.submitted = add_working_days(start, duration - waiting)
    episode.child_seen = min(authorised, add_working_days(start, rng.randint(0, 7)))
    episode.seen_alone = _seen_alone(rng, child.age_on(episode.child_seen))

    escalated_after_assessment = False
    s47_share = shapes.SECTION_47_SHARE_AFTER_PLAN if had_plan else shapes.SECTION_47_SHARE
    if rng.random() < s47_share:
        # Usually the strategy discussion follows the referral within days; sometimes the
        # concerns emerge in the assessment, whose outcome is then "strategy".
        escalated_after_assessment = rng.random() < 0.15
        base = authorised if escalated_after_assessment else referral
        held = add_working_days(base, int(shapes.STRATEGY_DELAY.draw(rng)))
        episode.strategy_held = held
        episode.section_47 = _simulate_section_47(rng, held, had_plan)
    elif rng.random() < shapes.STRATEGY_WITHOUT_S47_SHARE:
        episode.strategy_held = add_working_days(referral, int(shapes.STRATEGY_DELAY.draw(rng)))

    s47 = episode.section_47
    if s47 is not None and s47.icpc is not None and rng.random() < shapes.PLAN_AFTER_ICPC_SHARE:
        episode.plan = _simulate_plan(rng, s47.icpc, previous_plans)
    episode.outcome = _assessment_outcome(rng, episode, escalated_after_assessment)
    episode.factors = _factors(rng, child, authorised, episode.outcome, episode.plan, s47 is not None)
    episode.cin_plan_held_by_cp_team = rng.random() < shapes.CIN_PLAN_HELD_BY_CP_TEAM
    _plans_and_closure(rng, child, episode, escalated_after_assessment)
    return episode


def _seen_alone(rng: random.Random, age: int) -> bool | None:
    if rng.random() < 0.05:
        return None  # not recorded
    return rng.random() < (0.8 if age >= 8 else 0.15)


def _simulate_section_47(rng: random.Random, held: dt.date, had_plan: bool) -> Section47Sketch:
    target = add_working_days(held, 15)  # ICPC within 15 working days (WT2023 ch.3)
    concluded = add_working_days(held, rng.randint(*shapes.S47_CONCLUDED_WORKING_DAYS))
    icpc_share = shapes.ICPC_SHARE_AFTER_PLAN if had_plan else shapes.ICPC_SHARE
    draw = rng.random()
    if draw < icpc_share:
        icpc = add_working_days(held, shapes.ICPC_WORKING_DAYS.draw(rng))
        return Section47Sketch(held, target, min(concluded, icpc), icpc, "icpc", False)
    if draw < icpc_share + shapes.ICPC_NOT_REQUIRED_SHARE:
        return Section47Sketch(held, target, concluded, None, "icpc_not_required", True)
    return Section47Sketch(held, target, concluded, None, "not_substantiated", False)


def _simulate_plan(rng: random.Random, start: dt.date, previous: int) -> PlanSketch:
    initial = shapes.CATEGORY.draw(rng)
    latest = initial
    if rng.random() < shapes.LATEST_CATEGORY_CHANGED:
        latest = "MUL" if initial != "MUL" else shapes.CATEGORY.draw(rng)
    end = _working_day_on_or_after(start + dt.timedelta(days=_plan_length_days(rng)))
    return PlanSketch(start, end, initial, latest, previous, _reviews(rng, start, end))


def _plan_length_days(rng: random.Random) -> int:
    pick = rng.random() * sum(weight for *_, weight in shapes.PLAN_LENGTH_DAYS)
    for low, high, weight in shapes.PLAN_LENGTH_DAYS:
        if pick < weight:
            return rng.randint(low, high)
        pick -= weight
    return shapes.PLAN_LENGTH_DAYS[-1][1]


def _reviews(rng: random.Random, start: dt.date, end: dt.date) -> list[dt.date]:
    """Review conferences: first within 3 months of the ICPC, then within 6 months of the
    last one (WT2023 ch.3), a few late; the plan usually ends at a review."""
    reviews: list[dt.date] = []
    due = add_calendar_months(start, 3)
    late_share = shapes.FIRST_REVIEW_LATE
    while True:
        if rng.random() < late_share:
            held = _working_day_on_or_after(due + dt.timedelta(days=rng.randint(1, 20)))
        else:
            held = _working_day_on_or_before(due - dt.timedelta(days=rng.randint(0, 21)))
        if held >= end:
            break
        reviews.append(held)
        due = add_calendar_months(held, 6)
        late_share = shapes.LATER_REVIEW_LATE
    if rng.random() < shapes.PLAN_ENDS_AT_REVIEW:
        reviews.append(end)
    return reviews


def _assessment_outcome(rng: random.Random, episode: EpisodeSketch, escalated: bool) -> str:
    s47 = episode.section_47
    if escalated:
        return "strategy"
    if episode.plan is not None or (s47 is not None and s47.icpc is not None):
        return "services"
    if s47 is not None and s47.not_required:
        return "services" if rng.random() < 0.85 else "early_help"
    return shapes.ASSESSMENT_OUTCOME.draw(rng)


# Factors (codes.md) behind a section 47 enquiry whose assessment then found no further
# action: concerns looked into and not borne out.
ENQUIRY_CONCERN_FACTORS = ("18C", "16A", "17A", "3B")


@functools.cache
def _factor_table(age: int, girl: bool) -> shapes.WeightedChoice:
    return shapes.WeightedChoice([(f.code, f.weight) for f in shapes.FACTORS if f.suits(age, girl)])


def _factors(
    rng: random.Random,
    child: Child,
    when: dt.date,
    outcome: str,
    plan: PlanSketch | None,
    enquiry: bool,
) -> list[str]:
    """Factors identified at assessment; "21" (none) only when the outcome is NFA and there
    was no section 47 enquiry (whose concerns are factors; and an episode with one closes
    RC7, which rule 8873Q queries beside "21")."""
    if outcome == "nfa" and rng.random() < shapes.NO_FACTORS_SHARE_OF_NFA:
        if not enquiry:
            return ["21"]
        # The enquiry's concern, picked without another draw: the casework stream, and so
        # every figure the benchmark band checks, stays as it was.
        return [ENQUIRY_CONCERN_FACTORS[child.person.id.int % len(ENQUIRY_CONCERN_FACTORS)]]
    count = int(shapes.FACTOR_COUNT.draw(rng))
    if outcome in ("nfa", "early_help"):
        count = min(count, 2)
    table = _factor_table(min(max(child.age_on(when), 0), 14), child.sex == "F")
    chosen: list[str] = []
    if plan is not None:
        chosen.append(shapes.FACTOR_FOR_CATEGORY[plan.initial])
        if plan.initial == "MUL":
            chosen.append(rng.choice(("17A", "18C", "3B")))
    attempts = 0
    while len(chosen) < count and attempts < 20:
        code = table.draw(rng)
        if code not in chosen:
            chosen.append(code)
        attempts += 1
    return chosen


def _services_closure_reason(rng: random.Random, child: Child, closure: dt.date) -> str:
    reason = shapes.CLOSURE_REASON_AFTER_SERVICES.draw(rng)
    age = child.age_on(closure)
    if (reason == "RC6" and age < 16) or (reason == "RC1" and age > 10):
        return "RC7"  # adult social care only near 18; adoption of young children
    return reason


def _plans_and_closure(
    rng: random.Random,
    child: Child,
    episode: EpisodeSketch,
    escalated: bool,
) -> None:
    """CIN plans, and when and why the episode closes (after everything else in it)."""
    assert episode.authorised is not None and episode.child_seen is not None
    s47 = episode.section_47
    activity = [episode.authorised, episode.child_seen]
    if episode.strategy_held is not None:
        activity.append(episode.strategy_held)
    if s47 is not None:
        activity += [s47.concluded] + ([s47.icpc] if s47.icpc else [])
    last = max(activity)
    plan = episode.plan
    if plan is not None:
        assert plan.end is not None
        last = max([last, plan.end, *plan.reviews])
        if rng.random() < shapes.STEP_DOWN_TO_CIN_PLAN:
            step_end = plan.end + dt.timedelta(days=rng.randint(*shapes.STEP_DOWN_PLAN_DAYS))
            episode.cin_plans.append((plan.end, step_end))
            last = max(last, step_end)
        _close(rng, child, episode, last, shapes.CLOSURE_DELAY_WORKING_DAYS, None)
        return
    outcome = episode.outcome
    # RC8 and RC9 mean closed after assessment alone: an episode that also had a section 47
    # enquiry closes as services ceased (RC7), whatever the assessment said (CIN rule 2990).
    after_assessment_only = s47 is None
    if outcome == "nfa":
        _close(rng, child, episode, last, (0, 2), "RC8" if after_assessment_only else "RC7")
    elif outcome == "early_help":
        _close(rng, child, episode, last, (0, 3), "RC9" if after_assessment_only else "RC7")
    elif (
        outcome == "strategy"
        and s47 is not None
        and s47.outcome == "not_substantiated"
        and rng.random() < 0.5
    ):
        _close(rng, child, episode, last, (0, 5), "RC7")
    else:
        cin_start = add_working_days(last, rng.randint(*shapes.CIN_PLAN_START_DELAY_WORKING_DAYS))
        cin_end = cin_start + dt.timedelta(days=rng.randint(*shapes.CIN_PLAN_DAYS))
        episode.cin_plans.append((cin_start, cin_end))
        _close(rng, child, episode, cin_end, shapes.CLOSURE_DELAY_WORKING_DAYS, None)


def _close(
    rng: random.Random,
    child: Child,
    episode: EpisodeSketch,
    last: dt.date,
    delay: tuple[int, int],
    reason: str | None,
) -> None:
    closure = _working_day_on_or_after(add_working_days(last, rng.randint(*delay)))
    episode.closure = closure
    episode.reason = reason or _services_closure_reason(rng, child, closure)


# --- Cutting at today -----------------------------------------------------------------


def _cut_at_today(episode: EpisodeSketch, today: dt.date) -> None:
    """Forget whatever would happen after today; what remains is in progress."""
    if episode.closure is not None and episode.closure > today:
        episode.closure, episode.reason = None, ""
    if episode.strategy_held is not None and episode.strategy_held > today:
        episode.strategy_held, episode.section_47 = None, None
    s47 = episode.section_47
    if s47 is not None:
        if s47.icpc is not None and s47.icpc > today:
            s47.icpc = None
        if s47.concluded > today:
            s47.outcome, s47.not_required = "", False
    if episode.assessment_start is not None and episode.assessment_start > today:
        episode.assessment_start = episode.child_seen = episode.authorised = None
        episode.seen_alone, episode.factors, episode.outcome = None, [], ""
        episode.submitted = None
    elif episode.authorised is not None and episode.authorised > today:
        episode.authorised = None
        if episode.submitted is not None and episode.submitted > today:
            # Still being written: the factors and outcome are not decided yet.
            episode.submitted, episode.factors, episode.outcome = None, [], ""
        if episode.child_seen is not None and episode.child_seen > today:
            episode.child_seen, episode.seen_alone = None, None
    else:
        episode.submitted = None  # authorised: its submission is history, not work
    plan = episode.plan
    if plan is not None:
        if plan.start > today:
            episode.plan = None
        else:
            if plan.end is not None and plan.end > today:
                plan.end = None
            plan.reviews = [day for day in plan.reviews if day <= today]
    episode.cin_plans = [
        (start, end if end is not None and end <= today else None)
        for start, end in episode.cin_plans
        if start <= today
    ]


# --- A child's history ----------------------------------------------------------------


def child_episodes(
    rng: random.Random, child: Child, window_start: dt.date, today: dt.date
) -> list[EpisodeSketch]:
    """The child's episodes in order; each starts after the previous one closed."""
    if child.date_of_birth is None:
        assert child.expected_date_of_birth is not None
        # Pre-birth referral: usually from about 20 weeks of pregnancy.
        earliest = max(
            window_start,
            child.expected_date_of_birth - dt.timedelta(days=200),
            today - dt.timedelta(days=120),
        )
    else:
        earliest = max(window_start, child.date_of_birth - dt.timedelta(days=140))
    earliest = min(earliest, today)
    referral = _referral_day(
        rng, earliest + dt.timedelta(days=rng.randint(0, (today - earliest).days)), today
    )
    wanted = int(shapes.EPISODES_PER_CHILD.draw(rng))
    episodes: list[EpisodeSketch] = []
    previous_plans = 0
    while True:
        episode = _simulate(rng, child, referral, previous_plans, today)
        _cut_at_today(episode, today)
        episodes.append(episode)
        if episode.plan is not None:
            previous_plans += 1
        if episode.closure is None:
            break
        # A child whose plan ended is often referred again (repeat plans, kpis.md 22-24%).
        extra = episode.plan is not None and rng.random() < 0.65 and len(episodes) < 5
        if len(episodes) >= wanted and not extra:
            break
        short = rng.random() < shapes.SHORT_GAP_SHARE
        gap = rng.randint(*(shapes.SHORT_GAP_DAYS if short else shapes.LONG_GAP_DAYS))
        referral = _referral_day(rng, episode.closure + dt.timedelta(days=gap), today)
        if referral > today:
            break
    return episodes


# --- Rows -----------------------------------------------------------------------------

# The worker's words in an assessment still with the team (fictional, one per section).
SECTION_TEXT: dict[str, str] = {
    "development": (
        "Attends school most days; the school reports good progress in reading and some "
        "difficulty settling after weekends. Registered with the GP; immunisations up to date."
    ),
    "parenting": (
        "Mother meets the children's basic care needs and is warm with them. Routines slip "
        "when she is unwell, and the older child then gets the younger ones ready for school."
    ),
    "family": (
        "Lives with mother and two siblings in a two-bedroom flat. Maternal grandmother lives "
        "nearby and helps with school runs. Rent arrears; a housing officer is involved."
    ),
    "child_views": (
        "Said: 'I like it when it's quiet at home and we watch films.' Worried about mum "
        "being sad. Spoken to alone at school, with the teaching assistant nearby."
    ),
    "analysis": (
        "Needs are met day to day, but the children take on too much when mother is unwell. "
        "A child in need plan would give mother support and the children a safe adult to tell."
    ),
}


def _assessment_sections(
    ids: random.Random, assessment: Assessment, sketch: EpisodeSketch
) -> list[AssessmentSection]:
    """The sections written so far: all of them once submitted; before that, a draft of
    the first, and of the second once the child has been seen."""
    if sketch.submitted is not None:
        written = len(ASSESSMENT_SECTIONS)
    else:
        written = 2 if sketch.child_seen is not None else 1
    return [
        AssessmentSection(
            id=new_uuid(ids), assessment_id=assessment.id, key=key, text=SECTION_TEXT[key], version=1
        )
        for key, _title, _hint in ASSESSMENT_SECTIONS[:written]
    ]


def _record_circulated(discussion: StrategyDiscussion, today: dt.date) -> dt.date | None:
    """When the record went to the agencies: mostly the same or next working day (the local
    policy's 1 working day), a few later; None while it is still to go out today. Drawn from
    the discussion's own key, so no random stream the figures depend on moves."""
    draw = discussion.id.int % 20
    delay = 0 if draw < 11 else 1 if draw < 18 else 2 + draw % 2
    circulated = add_working_days(discussion.held_on, delay)
    return circulated if circulated < today or (circulated == today and delay == 0) else None


# The local policy's midway check: a manager reviews an assessment still running on its
# 20th working day.
INTERNAL_REVIEW_WORKING_DAY = 20


def _internal_review(assessment: Assessment, today: dt.date) -> dt.date | None:
    """The midway review, recorded for about two in three of the assessments still running on
    that day; drawn from the assessment's own key, so no random stream the figures depend on
    moves."""
    reviewed = add_working_days(assessment.start_date, INTERNAL_REVIEW_WORKING_DAY)
    finished = assessment.authorised_date or today
    if reviewed >= finished or assessment.id.int % 3 == 0:
        return None
    return reviewed


def episode_rows(
    ids: random.Random, child: Child, sketch: EpisodeSketch, today: dt.date
) -> tuple[CINEpisode, list[models.Model]]:
    """The episode row (team and worker set later, by allocation) and its activity rows."""
    episode = CINEpisode(
        id=new_uuid(ids),
        child_id=child.person.id,
        referral_date=sketch.referral,
        referral_source=sketch.source,
        primary_need=sketch.need,
        referral_nfa=sketch.nfa,
        closure_date=sketch.closure,
        reason_for_closure=sketch.reason,
    )
    rows: list[models.Model] = []
    if sketch.assessment_start is not None:
        assessment = Assessment(
            id=new_uuid(ids),
            episode_id=episode.id,
            start_date=sketch.assessment_start,
            child_seen_date=sketch.child_seen,
            child_seen_alone=sketch.seen_alone,
            authorised_date=sketch.authorised,
            factors=sketch.factors,
            outcome=sketch.outcome,
        )
        assessment.internal_review_date = _internal_review(assessment, today)
        if sketch.submitted is not None:
            # submitted_by is the allocated worker, set when the episode is allocated.
            assessment.status = AssessmentStatus.SUBMITTED
            assessment.submitted_date = sketch.submitted
        rows.append(assessment)
        if sketch.authorised is None:
            rows += _assessment_sections(ids, assessment, sketch)
    if sketch.strategy_held is not None:
        discussion = StrategyDiscussion(
            id=new_uuid(ids),
            episode_id=episode.id,
            held_on=sketch.strategy_held,
            section_47_started=sketch.section_47 is not None,
            agencies=sorted(REQUIRED_STRATEGY_AGENCIES),
        )
        discussion.record_circulated_on = _record_circulated(discussion, today)
        rows.append(discussion)
        s47 = sketch.section_47
        if s47 is not None:
            rows.append(
                Section47Enquiry(
                    id=new_uuid(ids),
                    episode_id=episode.id,
                    strategy_discussion_id=discussion.id,
                    start_date=s47.start,
                    icpc_target_date=s47.target,
                    icpc_date=s47.icpc,
                    icpc_not_required=s47.not_required,
                    outcome=s47.outcome,
                )
            )
    for start, end in sketch.cin_plans:
        rows.append(
            CINPlan(
                id=new_uuid(ids),
                episode_id=episode.id,
                start_date=start,
                end_date=end,
            )
        )
    plan = sketch.plan
    if plan is not None:
        plan_row = ChildProtectionPlan(
            id=new_uuid(ids),
            episode_id=episode.id,
            child_id=child.person.id,
            start_date=plan.start,
            end_date=plan.end,
            initial_category=plan.initial,
            latest_category=plan.latest,
            number_of_previous_plans=plan.previous,
        )
        rows.append(plan_row)
        for day in plan.reviews:
            rows.append(ChildProtectionReview(id=new_uuid(ids), plan_id=plan_row.id, held_on=day))
    return episode, rows
