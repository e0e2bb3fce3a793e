"""Every performance measure, defined once (``/work/shared/domain/kpis.md``).

Each measure is a named query over the stored records, computed in the database: the
records it counts (its *denominator*, or the whole count for a measure that is a count),
the condition that puts a record in its *numerator*, and how the two make its value. Every
page, export, snapshot and the ``kpis`` command read figures from ``compute`` here, so a
figure is the same wherever it appears.

Rules that hold for every measure:

- A period runs from ``start`` to ``end`` inclusive; a snapshot is at the end of its day.
- Working days come from the ``Day`` table (core.calendar's rule: the start is day 0), so a
  duration is the difference of two ordinals inside the query.
- Sealed children are left out: these are the figures on screen, and a figure must not
  reveal that a sealed child exists. The statutory returns count them (``returns``).
- A record belongs to the team (and service) holding its episode and to the episode's
  allocated worker at the time the figure is computed: a child who moved team counts once,
  in the team that now holds them. Month-end snapshots keep the team of that month.
- A proportion or a median over nothing is "no data" (``value`` is None), never a zero.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeguard.accounts.models import Team, User
from safeguard.casework.models import (
    Assessment,
    ChildProtectionPlan,
    ChildProtectionReview,
    CINEpisode,
    Section47Enquiry,
    Visit,
)
from safeguard.casework.timescales import ASSESSMENT_WORKING_DAYS, ICPC_WORKING_DAYS
from safeguard.core.calendar import add_calendar_months
from safeguard.frontdoor.models import Contact
from safeguard.people.models import Person
from safeguard.performance.calendar import days_cover
from safeguard.performance.measure_models import Day
from safeguard.workforce import figures


class Better(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


class Unit(enum.StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    PER_10K = "per 10,000 children"
    WORKING_DAYS = "working days"
    RATIO = "cases per FTE"


class Level(enum.StrEnum):
    COUNCIL = "council"
    SERVICE = "service"
    TEAM = "team"
    WORKER = "worker"


@dataclass(frozen=True)
class Scope:
    """Whose figures: the council, a service, a team or a worker (by the episode's holder)."""

    level: Level = Level.COUNCIL
    id: uuid.UUID | None = None
    label: str = "The council"

    @classmethod
    def council(cls) -> Scope:
        return cls()

    @classmethod
    def of_team(cls, team: Team) -> Scope:
        return cls(Level.TEAM, team.pk, team.name)

    @classmethod
    def of_service(cls, service_id: uuid.UUID, name: str) -> Scope:
        return cls(Level.SERVICE, service_id, name)

    @classmethod
    def of_worker(cls, worker: User) -> Scope:
        return cls(Level.WORKER, worker.pk, worker.display_name)

    def q(self, episode: str) -> Q:
        """Records whose episode (reached by the path ``episode``, "" for an episode) is in scope."""
        prefix = f"{episode}__" if episode else ""
        if self.level == Level.TEAM:
            return Q(**{f"{prefix}team_id": self.id})
        if self.level == Level.SERVICE:
            return Q(**{f"{prefix}team__service_id": self.id})
        if self.level == Level.WORKER:
            return Q(**{f"{prefix}worker_id": self.id})
        return Q()

    @property
    def key(self) -> str:
        return self.level if self.id is None else f"{self.level}:{self.id}"


@dataclass(frozen=True)
class Window:
    """The period (``start`` to ``end`` inclusive) and the snapshot date a figure is for."""

    start: dt.date
    end: dt.date
    snapshot: dt.date
    population: int

    @classmethod
    def of(
        cls, start: dt.date, end: dt.date, snapshot: dt.date | None = None, population: int | None = None
    ) -> Window:
        return cls(start, end, snapshot or end, population or settings.COUNCIL_CHILD_POPULATION)


@dataclass(frozen=True)
class Figure:
    """One measure's figure. ``value`` is None when there is nothing to measure."""

    measure: Measure
    scope: Scope
    window: Window
    numerator: float | None
    denominator: float | None
    value: float | None
    available: bool = True
    reason: str = ""

    @property
    def id(self) -> str:
        return self.measure.id

    @property
    def no_data(self) -> bool:
        return self.available and self.value is None

    @property
    def display(self) -> str:
        return format_value(self.value, self.measure.unit) if self.available else "Not available yet"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.measure.id,
            "name": self.measure.name,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if self.value is None else round(self.value, 4),
            "unit": str(self.measure.unit),
            "better": str(self.measure.better),
            "available": self.available,
            "note": self.reason or ("No data for this period" if self.no_data else ""),
        }


def format_value(value: float | None, unit: Unit) -> str:
    if value is None:
        return "No data"
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.COUNT:
        return f"{value:,.0f}"
    if unit == Unit.WORKING_DAYS:
        return f"{value:g} working days"
    if unit == Unit.PER_10K:
        return f"{value:,.1f}"
    return f"{value:.1f}"


# -- the pieces the definitions are made of ---------------------------------------------


def _ordinal(date_field: str | OuterRef) -> Subquery:
    """The running working-day ordinal of a date column of the outer query."""
    ref = date_field if isinstance(date_field, OuterRef) else OuterRef(date_field)
    return Subquery(Day.objects.filter(date=ref).values("working_day")[:1], output_field=IntegerField())


def working_days(start_field: str, end_field: str) -> Any:
    """Working days from ``start_field`` (day 0) to ``end_field``, in the query."""
    return _ordinal(end_field) - _ordinal(start_field)


def _day_column(date_field: str, column: str) -> Subquery:
    return Subquery(Day.objects.filter(date=OuterRef(date_field)).values(column)[:1])


def _visible(child: str) -> Q:
    """Sealed children are left out of every figure on screen."""
    return Q(**{f"{child}__is_sealed": False})


def _open_plans(on: dt.date) -> QuerySet[ChildProtectionPlan]:
    return ChildProtectionPlan.objects.filter(start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on)
    )


# -- the measures -----------------------------------------------------------------------

Records = Callable[[Window, Scope], QuerySet[Any]]


class Kind(enum.StrEnum):
    COUNT = "count"  # the number of records
    PROPORTION = "proportion"  # numerator records / denominator records, as a percentage
    RATE = "rate"  # records / child population x 10,000
    MEDIAN = "median"  # the median of ``duration`` over the records
    WORKFORCE = "workforce"  # from the workforce records (``workforce.figures``), at the snapshot
    NOT_YET = "not available"


@dataclass(frozen=True)
class Measure:
    """One measure of kpis.md: its id there, its name and its definition as a query."""

    id: str
    name: str
    definition: str
    group: str
    unit: Unit
    better: Better
    kind: Kind
    at_snapshot: bool = False
    records: Records | None = None
    hit: Q | None = None
    duration: str = ""
    child: str = "child"
    scopes: frozenset[Level] = frozenset(Level)
    reason: str = ""
    england_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def england_key(self) -> str:
        return self.england_id or self.id


def _contacts(w: Window, s: Scope) -> QuerySet[Contact]:
    """Contacts received in the period (a duplicate merged into another is not counted)."""
    return Contact.objects.filter(
        received_on__gte=w.start, received_on__lte=w.end, merged_into__isnull=True
    ).filter(Q(child__isnull=True) | _visible("child"))


def _referrals(w: Window, s: Scope) -> QuerySet[CINEpisode]:
    """Referrals: CIN episodes whose referral date is in the period."""
    return CINEpisode.objects.filter(referral_date__gte=w.start, referral_date__lte=w.end).filter(
        _visible("child"), s.q("")
    )


def _re_referrals(w: Window, s: Scope) -> QuerySet[CINEpisode]:
    """Referrals, each marked when the same child had a referral within the 12 months
    before it: on or after the same date a year earlier, and before this one."""
    earlier = CINEpisode.objects.filter(
        child=OuterRef("child"),
        referral_date__lt=OuterRef("referral_date"),
        referral_date__gte=OuterRef("year_before"),
    )
    return _referrals(w, s).annotate(
        year_before=_day_column("referral_date", "year_before"), repeat=Exists(earlier)
    )


def _assessments(w: Window, s: Scope) -> QuerySet[Assessment]:
    """Assessments authorised in the period, with their duration in working days from
    their start (DfE) and from the referral (Working Together 2023)."""
    return (
        Assessment.objects.filter(authorised_date__gte=w.start, authorised_date__lte=w.end)
        .filter(_visible("episode__child"), s.q("episode"))
        .annotate(
            wd=working_days("start_date", "authorised_date"),
            wd_from_referral=working_days("episode__referral_date", "authorised_date"),
        )
    )


def _section_47s(w: Window, s: Scope) -> QuerySet[Section47Enquiry]:
    return Section47Enquiry.objects.filter(start_date__gte=w.start, start_date__lte=w.end).filter(
        _visible("episode__child"), s.q("episode")
    )


def _icpcs(w: Window, s: Scope) -> QuerySet[Section47Enquiry]:
    """Initial conferences held in the period, with the working days from the strategy
    discussion that started the enquiry (census S47ActualStartDate)."""
    return (
        Section47Enquiry.objects.filter(icpc_date__gte=w.start, icpc_date__lte=w.end)
        .filter(_visible("episode__child"), s.q("episode"))
        .annotate(wd=working_days("start_date", "icpc_date"))
    )


def _plans_at(w: Window, s: Scope) -> QuerySet[ChildProtectionPlan]:
    """Plans open at the end of the snapshot day (an end date after it, or none)."""
    return _open_plans(w.snapshot).filter(_visible("child"), s.q("episode"))


def _plan_starts(w: Window, s: Scope) -> QuerySet[ChildProtectionPlan]:
    return ChildProtectionPlan.objects.filter(start_date__gte=w.start, start_date__lte=w.end).filter(
        _visible("child"), s.q("episode")
    )


def _plan_ends(w: Window, s: Scope) -> QuerySet[ChildProtectionPlan]:
    """Plans ending in the period, marked when they lasted 2 years or more (ended on or
    after the second anniversary of their start)."""
    return (
        ChildProtectionPlan.objects.filter(end_date__gte=w.start, end_date__lte=w.end)
        .filter(_visible("child"), s.q("episode"))
        .annotate(two_years=_day_column("start_date", "two_years_after"))
    )


def _review_due(plan: str) -> Any:
    """The date a review (the outer row) was due: 3 months from the plan's start for the
    first, 6 months from the one before for each later one (timescales.md rows 6-7)."""
    before = (
        ChildProtectionReview.objects.filter(
            plan=OuterRef(OuterRef(plan)), held_on__lt=OuterRef(OuterRef("held_on"))
        )
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    return Coalesce(
        Subquery(Day.objects.filter(date=Subquery(before)).values("later_review_due")[:1]),
        Subquery(Day.objects.filter(date=OuterRef(f"{plan}__start_date")).values("first_review_due")[:1]),
    )


def _plans_for_reviews(w: Window, s: Scope) -> QuerySet[ChildProtectionPlan]:
    """Children on a plan for at least 3 months at the snapshot, marked when every review
    was held within its timescale and none is overdue at the snapshot. A review held on
    its due date is on time."""
    three_months_ago = add_calendar_months(w.snapshot, -3)
    reviews = ChildProtectionReview.objects.filter(plan=OuterRef("pk"), held_on__lte=w.snapshot)
    late = reviews.annotate(due=_review_due("plan")).filter(held_on__gt=F("due"))
    latest = (
        ChildProtectionReview.objects.filter(plan=OuterRef(OuterRef("pk")), held_on__lte=w.snapshot)
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    next_due = Coalesce(
        Subquery(Day.objects.filter(date=Subquery(latest)).values("later_review_due")[:1]),
        _day_column("start_date", "first_review_due"),
    )
    return (
        _plans_at(w, s)
        .filter(start_date__lte=three_months_ago)
        .annotate(next_due=next_due, any_late=Exists(late))
        .annotate(
            on_time=ExpressionWrapper(
                Q(any_late=False) & Q(next_due__gte=w.snapshot), output_field=BooleanField()
            )
        )
    )


def _plans_for_visits(w: Window, s: Scope) -> QuerySet[ChildProtectionPlan]:
    """Children on a plan at the snapshot, marked when they were seen within the local
    timescale (10 working days by default) before it: counted from their latest visit at
    which they were seen, or from the plan's start when there has been none since."""
    seen = Visit.objects.filter(
        child=OuterRef("child"),
        child_seen=True,
        visit_date__lte=w.snapshot,
        visit_date__gte=OuterRef("start_date"),
    )
    latest = Coalesce(Subquery(seen.order_by("-visit_date").values("visit_date")[:1]), F("start_date"))
    snapshot_ordinal = Subquery(Day.objects.filter(date=w.snapshot).values("working_day")[:1])
    return (
        _plans_at(w, s)
        .annotate(last_seen=latest)
        .annotate(since=snapshot_ordinal - _ordinal(OuterRef("last_seen")))
    )


def _open_cin(w: Window, s: Scope) -> QuerySet[CINEpisode]:
    """Episodes open at the end of the snapshot day."""
    return (
        CINEpisode.objects.filter(referral_date__lte=w.snapshot)
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gt=w.snapshot))
        .filter(_visible("child"), s.q(""))
    )


COUNCIL_ONLY = frozenset({Level.COUNCIL})
TEAM_OR_COUNCIL = frozenset({Level.COUNCIL, Level.TEAM})
_CP_VISIT_WD: int = settings.LOCAL_TIMESCALES["cp_visit_working_days"]

MEASURES: tuple[Measure, ...] = (
    Measure(
        "contacts",
        "Contacts",
        "Contacts received in the period.",
        "Front door",
        Unit.COUNT,
        Better.NEITHER,
        Kind.COUNT,
        records=_contacts,
        child="child",
        scopes=COUNCIL_ONLY,
    ),
    Measure(
        "contact_conversion",
        "Contacts that became referrals",
        "Referrals from contacts received in the period / contacts received in the period.",
        "Front door",
        Unit.PERCENT,
        Better.NEITHER,
        Kind.PROPORTION,
        records=_contacts,
        hit=Q(episode__isnull=False),
        scopes=COUNCIL_ONLY,
    ),
    Measure(
        "referrals",
        "Referrals",
        "Referrals (CIN episodes starting) in the period.",
        "Referrals",
        Unit.COUNT,
        Better.NEITHER,
        Kind.COUNT,
        records=_referrals,
    ),
    Measure(
        "referral_rate",
        "Referral rate per 10,000",
        "Referrals in the period / child population aged 0-17 x 10,000.",
        "Referrals",
        Unit.PER_10K,
        Better.NEITHER,
        Kind.RATE,
        records=_referrals,
    ),
    Measure(
        "re_referrals",
        "Re-referrals within 12 months",
        "Referrals in the period where the same child had a previous referral within the 12 "
        "months before this one / referrals in the period.",
        "Referrals",
        Unit.PERCENT,
        Better.LOWER,
        Kind.PROPORTION,
        records=_re_referrals,
        hit=Q(repeat=True),
    ),
    Measure(
        "referral_nfa",
        "Referrals with no further action",
        "Referrals in the period with ReferralNFA = 1 / referrals in the period.",
        "Referrals",
        Unit.PERCENT,
        Better.NEITHER,
        Kind.PROPORTION,
        records=_referrals,
        hit=Q(referral_nfa=True),
    ),
    Measure(
        "assessments_45",
        "Assessments completed within 45 working days",
        "Assessments authorised in the period whose duration from assessment start to "
        "authorisation is at most 45 working days / assessments authorised in the period.",
        "Assessments",
        Unit.PERCENT,
        Better.HIGHER,
        Kind.PROPORTION,
        records=_assessments,
        hit=Q(wd__lte=ASSESSMENT_WORKING_DAYS),
        child="episode__child",
    ),
    Measure(
        "assessments_45_from_referral",
        "Assessments within 45 working days of the referral",
        "The Working Together 2023 clock: assessments authorised in the period at most 45 "
        "working days after the referral / assessments authorised in the period.",
        "Assessments",
        Unit.PERCENT,
        Better.HIGHER,
        Kind.PROPORTION,
        records=_assessments,
        hit=Q(wd_from_referral__lte=ASSESSMENT_WORKING_DAYS),
        child="episode__child",
        england_id="-",
    ),
    Measure(
        "assessment_median",
        "Median assessment duration",
        "Median working days from assessment start to authorisation, over the assessments "
        "authorised in the period.",
        "Assessments",
        Unit.WORKING_DAYS,
        Better.LOWER,
        Kind.MEDIAN,
        records=_assessments,
        duration="wd",
        child="episode__child",
    ),
    Measure(
        "s47",
        "Section 47 enquiries",
        "Section 47 enquiries started in the period.",
        "Child protection",
        Unit.COUNT,
        Better.NEITHER,
        Kind.COUNT,
        records=_section_47s,
        child="episode__child",
    ),
    Measure(
        "icpc_15",
        "Initial conferences within 15 working days",
        "ICPCs in the period held at most 15 working days after the strategy discussion "
        "(S47ActualStartDate) / ICPCs in the period.",
        "Child protection",
        Unit.PERCENT,
        Better.HIGHER,
        Kind.PROPORTION,
        records=_icpcs,
        hit=Q(wd__lte=ICPC_WORKING_DAYS),
        child="episode__child",
    ),
    Measure(
        "icpc_median",
        "Median working days from strategy discussion to ICPC",
        "Median working days from the strategy discussion (S47ActualStartDate) to the ICPC, "
        "over the ICPCs in the period.",
        "Child protection",
        Unit.WORKING_DAYS,
        Better.LOWER,
        Kind.MEDIAN,
        records=_icpcs,
        duration="wd",
        child="episode__child",
    ),
    Measure(
        "cp_rate",
        "Children on child protection plans per 10,000",
        "Plans open at the snapshot / child population aged 0-17 x 10,000.",
        "Child protection",
        Unit.PER_10K,
        Better.NEITHER,
        Kind.RATE,
        at_snapshot=True,
        records=_plans_at,
    ),
    Measure(
        "cp_starts",
        "Child protection plans starting",
        "Child protection plans starting in the period.",
        "Child protection",
        Unit.COUNT,
        Better.NEITHER,
        Kind.COUNT,
        records=_plan_starts,
    ),
    Measure(
        "cp_repeat",
        "Second or subsequent child protection plans",
        "Plans starting in the period where the child had any previous plan "
        "(NumberOfPreviousCPP > 0) / plans starting in the period.",
        "Child protection",
        Unit.PERCENT,
        Better.LOWER,
        Kind.PROPORTION,
        records=_plan_starts,
        hit=Q(number_of_previous_plans__gt=0),
    ),
    Measure(
        "cp_two_years",
        "Child protection plans lasting 2 years or more",
        "Plans ending in the period that lasted 2 years or more / plans ending in the period.",
        "Child protection",
        Unit.PERCENT,
        Better.LOWER,
        Kind.PROPORTION,
        records=_plan_ends,
        hit=Q(end_date__gte=F("two_years")),
    ),
    Measure(
        "cp_reviews_on_time",
        "Child protection reviews on time",
        "Children on a plan for at least 3 months at the snapshot whose every review was held "
        "within timescale (the first within 3 months, then each within 6) and none is overdue "
        "/ those children.",
        "Child protection",
        Unit.PERCENT,
        Better.HIGHER,
        Kind.PROPORTION,
        at_snapshot=True,
        records=_plans_for_reviews,
        hit=Q(on_time=True),
    ),
    Measure(
        "cp_visits_on_time",
        f"Child protection visits within {_CP_VISIT_WD} working days",
        f"Children on a plan at the snapshot who were seen at a visit within {_CP_VISIT_WD} "
        "working days before it (or whose plan started within that time) / children on a plan.",
        "Child protection",
        Unit.PERCENT,
        Better.HIGHER,
        Kind.PROPORTION,
        at_snapshot=True,
        records=_plans_for_visits,
        hit=Q(since__lte=_CP_VISIT_WD),
    ),
    Measure(
        "cin_rate",
        "Children in need per 10,000",
        "CIN episodes open at the snapshot / child population aged 0-17 x 10,000.",
        "Children in need",
        Unit.PER_10K,
        Better.NEITHER,
        Kind.RATE,
        at_snapshot=True,
        records=_open_cin,
    ),
    *(
        Measure(
            mid,
            name,
            definition,
            "Workforce",
            unit,
            better,
            Kind.WORKFORCE,
            at_snapshot=True,
            scopes=TEAM_OR_COUNCIL,
        )
        for mid, name, definition, unit, better in (
            (
                "caseload",
                "Average caseload",
                "Cases (children allocated) / case-holding social worker FTE, at the snapshot.",
                Unit.RATIO,
                Better.LOWER,
            ),
            (
                "vacancy_rate",
                "Social worker vacancy rate",
                "Vacancies FTE / (vacancies FTE + social workers in post FTE), at the snapshot "
                "(the DfE's is at 30 September).",
                Unit.PERCENT,
                Better.LOWER,
            ),
            (
                "agency_rate",
                "Agency worker rate",
                "Agency social worker FTE / (agency FTE + employed social worker FTE), at the snapshot.",
                Unit.PERCENT,
                Better.LOWER,
            ),
            (
                "turnover",
                "Turnover",
                "Leavers FTE in the year to the snapshot / social workers in post FTE at the snapshot.",
                Unit.PERCENT,
                Better.LOWER,
            ),
            (
                "absence",
                "Sickness absence",
                "Days lost in the year to the snapshot / working days available.",
                Unit.PERCENT,
                Better.LOWER,
            ),
        )
    ),
)

REGISTRY: dict[str, Measure] = {m.id: m for m in MEASURES}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(m.group for m in MEASURES))


def measure(measure_id: str) -> Measure:
    try:
        return REGISTRY[measure_id]
    except KeyError:
        raise KeyError(f"There is no measure {measure_id!r}") from None


def _prepare(window: Window) -> None:
    """The ``Day`` table must hold every date the records and the window can reach."""
    first = CINEpisode.objects.aggregate(first=Min("referral_date"))["first"] or window.start
    contacts = Contact.objects.aggregate(first=Min("received_on"))["first"] or window.start
    latest = max(window.end, window.snapshot, timezone.localdate())
    days_cover(min(first, contacts, window.start) - dt.timedelta(days=800), latest + dt.timedelta(days=800))


def records_for(m: Measure, window: Window, scope: Scope) -> QuerySet[Any]:
    """The records a figure counts (its denominator); ``m.hit`` picks the numerator's."""
    if m.records is None:
        raise ValueError(f"{m.name} is not available yet")
    return m.records(window, scope)


def _median(records: QuerySet[Any], column: str) -> tuple[int, float | None]:
    """How many records have ``column``, and its median, from one grouped query: durations
    are whole working days, so the database returns a short histogram (a row per distinct
    value) rather than every record, and the middle is found by walking it."""
    histogram = list(
        records.filter(**{f"{column}__isnull": False})
        .order_by()
        .values_list(column)
        .annotate(n=Count("pk"))
        .order_by(column)
    )
    n = sum(count for _, count in histogram)
    if n == 0:
        return 0, None
    low_at, high_at = (n - 1) // 2, n // 2
    low = high = None
    seen = 0
    for value, count in histogram:
        if low is None and low_at < seen + count:
            low = float(value)
        if high_at < seen + count:
            high = float(value)
            break
        seen += count
    assert low is not None and high is not None
    return n, (low + high) / 2


def compute(measure_id: str, *, window: Window, scope: Scope | None = None, prepared: bool = False) -> Figure:
    """One measure's figure for ``window`` and ``scope`` (the council when None)."""
    m = measure(measure_id)
    scope = scope or Scope.council()
    if m.kind == Kind.NOT_YET:
        return Figure(m, scope, window, None, None, None, available=False, reason=m.reason)
    if scope.level not in m.scopes:
        reason = (
            "Counted for a team or the council, from the workforce records."
            if m.kind == Kind.WORKFORCE
            else "Counted for the council as a whole: the front door receives contacts "
            "before any team holds the child."
        )
        return Figure(m, scope, window, None, None, None, available=False, reason=reason)
    if m.kind == Kind.WORKFORCE:
        return _workforce(m, window, scope)
    if not prepared:
        _prepare(window)
    records = records_for(m, window, scope)
    if m.kind == Kind.MEDIAN:
        n, middle = _median(records, m.duration)
        return Figure(m, scope, window, None, n, middle)
    if m.kind == Kind.PROPORTION:
        assert m.hit is not None
        counts = records.aggregate(whole=Count("pk"), part=Count("pk", filter=m.hit))
        whole, part = counts["whole"], counts["part"]
        return Figure(m, scope, window, part, whole, 100 * part / whole if whole else None)
    total = records.count()
    if m.kind == Kind.RATE:
        return Figure(m, scope, window, total, window.population, total * 10_000 / window.population)
    return Figure(m, scope, window, total, None, float(total))


def _workforce(m: Measure, window: Window, scope: Scope) -> Figure:
    """A workforce measure, from ``workforce.figures`` (FTE, so numerator and denominator
    may be fractions)."""
    team = Team.objects.filter(pk=scope.id).first() if scope.level == Level.TEAM and scope.id else None
    got = figures.FIGURES[m.id](on=window.snapshot, team=team)
    value = None if got.value is None else float(got.value)
    return Figure(m, scope, window, float(got.numerator), float(got.denominator), value)


def compute_all(*, window: Window, scope: Scope | None = None) -> list[Figure]:
    """Every measure, in the registry's order."""
    _prepare(window)
    return [compute(m.id, window=window, scope=scope, prepared=True) for m in MEASURES]


def children_behind(m: Measure, *, window: Window, scope: Scope, part: str) -> QuerySet[Person]:
    """The children behind a figure: ``part`` "numerator" or "denominator". Not yet
    filtered by a viewer's permissions: ``selectors.children_behind_figure`` does that."""
    if part not in ("numerator", "denominator"):
        raise ValueError("part must be numerator or denominator")
    _prepare(window)
    records = records_for(m, window, scope)
    if part == "numerator" and m.hit is not None:
        records = records.filter(m.hit)
    # The subquery needs only the child column; the annotations stay for the filter.
    ids = records.values(m.child)
    return Person.objects.filter(pk__in=Subquery(ids)).order_by("family_name", "given_name")


__all__ = [
    "GROUPS",
    "MEASURES",
    "REGISTRY",
    "Better",
    "Figure",
    "Kind",
    "Level",
    "Measure",
    "Scope",
    "Unit",
    "Window",
    "children_behind",
    "compute",
    "compute_all",
    "format_value",
    "measure",
    "records_for",
    "working_days",
]
