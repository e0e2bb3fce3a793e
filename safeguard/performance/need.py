"""The analysis of safeguarding need: demand across the area, by who and where.

Contacts, referrals, re-referrals, the factors found at assessment and the primary need,
by locality (the postcode district of where the child lived when referred, or the ward
where the council has loaded a postcode-to-ward lookup), age band, referral source,
ethnicity and disability, with rates per 10,000 children where a population is known
(``COUNCIL_CHILD_POPULATION`` for the council; ``ChildPopulation`` rows for areas and
age bands), and the counts by month for the trend and the forecast.

Everything is counted in the database with grouped aggregates: one grouped query over the
period's referrals and one over its contacts give the counts for every group at once.
Sealed children are left out, as on every page for users not named on the seal. A child
with an address that must not be disclosed is counted under "Not known" locality, so no
count can place them. A group of fewer than 5 is never shown as a figure (nor a rate or
percentage worked from it), and where a table shows its total, a second figure is hidden
beside a lone hidden one so that it cannot be worked out by subtraction.

Definitions follow ``kpis.md``: a referral is a CIN episode starting (its referral date);
a re-referral is one where the same child had a previous referral within the 12 months
before it; a contact is a contact received (merged duplicates not counted twice).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    NullIf,
    TruncMonth,
)
from django.db.models.lookups import LessThan

from safeguard.casework.models import Assessment, CINEpisode
from safeguard.core.calendar import add_calendar_months
from safeguard.core.codes import AssessmentFactor, Ethnicity, PrimaryNeed, ReferralSource
from safeguard.frontdoor.models import Contact
from safeguard.people.models import Address, Person, PersonDisability
from safeguard.performance.calendar import days_cover
from safeguard.performance.measure_models import Day
from safeguard.performance.need_models import ChildPopulation, PopulationKind, PostcodeWard

_M = TypeVar("_M", bound=Model)

SMALLEST_SHOWN = 5
NOT_KNOWN = "Not known"
FEWER_THAN_5 = "Fewer than 5"

#: Age at referral, as the DfE's children in need tables band it.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 1", 0, 0),
    ("1 to 4", 1, 4),
    ("5 to 9", 5, 9),
    ("10 to 15", 10, 15),
    ("16 and over", 16, 200),
)
UNBORN = "Unborn"

#: Ethnicity in the census's major groups (Chinese is among "any other" in DfE tables).
ETHNIC_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("White", (Ethnicity.WBRI, Ethnicity.WIRI, Ethnicity.WIRT, Ethnicity.WOTH, Ethnicity.WROM)),
    ("Mixed or multiple", (Ethnicity.MWBC, Ethnicity.MWBA, Ethnicity.MWAS, Ethnicity.MOTH)),
    ("Asian or Asian British", (Ethnicity.AIND, Ethnicity.APKN, Ethnicity.ABAN, Ethnicity.AOTH)),
    ("Black or Black British", (Ethnicity.BCRB, Ethnicity.BAFR, Ethnicity.BOTH)),
    ("Other ethnic group", (Ethnicity.CHNE, Ethnicity.OOTH)),
    ("Refused or not yet obtained", (Ethnicity.REFU, Ethnicity.NOBT)),
)

#: Referral sources grouped as the DfE publishes them.
SOURCE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Police", (ReferralSource.POLICE,)),
    ("Schools", (ReferralSource.SCHOOLS,)),
    ("Education services", (ReferralSource.EDUCATION_SERVICES,)),
    (
        "Health services",
        (
            ReferralSource.GP,
            ReferralSource.HEALTH_VISITOR,
            ReferralSource.SCHOOL_NURSE,
            ReferralSource.PRIMARY_HEALTH_OTHER,
            ReferralSource.A_AND_E,
            ReferralSource.HEALTH_OTHER,
        ),
    ),
    (
        "Local authority services",
        (
            ReferralSource.LA_SOCIAL_CARE,
            ReferralSource.LA_INTERNAL_OTHER,
            ReferralSource.LA_EXTERNAL,
            ReferralSource.LA_EARLY_HELP,
        ),
    ),
    (
        "Individuals",
        (
            ReferralSource.FAMILY,
            ReferralSource.ACQUAINTANCE,
            ReferralSource.SELF,
            ReferralSource.INDIVIDUAL_OTHER,
        ),
    ),
    ("Housing", (ReferralSource.HOUSING,)),
    ("Other legal agency", (ReferralSource.LEGAL_AGENCY,)),
    ("Anonymous", (ReferralSource.ANONYMOUS,)),
    ("Other or unknown", (ReferralSource.OTHER, ReferralSource.UNKNOWN)),
)
SCHOOL_SOURCES = (ReferralSource.SCHOOLS, ReferralSource.EDUCATION_SERVICES)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The period must end on or after the day it starts.")

    @property
    def label(self) -> str:
        return f"{self.start.day} {self.start:%B %Y} to {self.end.day} {self.end:%B %Y}"


def last_twelve_months(today: dt.date) -> Period:
    """The 12 whole calendar months before the month ``today`` is in."""
    first_of_month = today.replace(day=1)
    return Period(add_calendar_months(first_of_month, -12), first_of_month - dt.timedelta(days=1))


def shown(count: int | None) -> int | None:
    """The count to show: ``None`` (shown as "Fewer than 5") for 1 to 4."""
    if count is None or 0 < count < SMALLEST_SHOWN:
        return None
    return count


def suppress_column(counts: Sequence[int]) -> list[int | None]:
    """Counts for a column whose total is shown elsewhere: groups under 5 hidden and, where
    only one is hidden, the next smallest beside it, so that neither can be subtracted out."""
    out: list[int | None] = [shown(c) for c in counts]
    hidden = [i for i, c in enumerate(out) if c is None]
    if len(hidden) == 1:
        rest = [(c, i) for i, c in enumerate(counts) if out[i] is not None and c > 0]
        if rest:
            out[min(rest)[1]] = None
    return out


def rate_per_10k(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return round(count / population * 10_000, 1)


@dataclass(frozen=True)
class GroupRow:
    """A group's figures; ``None`` is a figure not shown (fewer than 5, or worked from one)."""

    label: str
    contacts: int | None
    referrals: int | None
    re_referrals: int | None
    re_referral_percent: float | None
    population: int | None
    referral_rate: float | None


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    label_header: str
    rows: list[GroupRow]
    has_contacts: bool
    has_rates: bool
    note: str = ""


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int | None
    percent: float | None


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    contacts: int
    referrals: int
    school_referrals: int


@dataclass(frozen=True)
class NeedAnalysis:
    period: Period
    contacts: int
    referrals: int
    re_referrals: int
    population: int
    breakdowns: list[Breakdown]
    factors: list[CountRow]
    assessments: int
    primary_need: list[CountRow]
    months: list[MonthRow]
    ward_lookup_loaded: bool
    computed_at: dt.datetime | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def referral_rate(self) -> float | None:
        return rate_per_10k(self.referrals, self.population)

    @property
    def re_referral_percent(self) -> float | None:
        if not self.referrals:
            return None
        return round(self.re_referrals / self.referrals * 100, 1)

    @property
    def contact_conversion_percent(self) -> float | None:
        if not self.contacts:
            return None
        return round(self.referrals / self.contacts * 100, 1)

    def breakdown(self, key: str) -> Breakdown | None:
        return next((b for b in self.breakdowns if b.key == key), None)


# -- the querysets everything starts from ------------------------------------------------


def referrals_in(period: Period) -> QuerySet[CINEpisode]:
    """Referrals (episodes starting) in the period, sealed children left out, each marked
    ``is_re_referral`` when the child had another referral in the 12 months before: on or
    after the same date a year earlier, as the re-referral measure counts it."""
    days_cover(period.start, period.end)
    earlier = CINEpisode.objects.filter(
        child=OuterRef("child"),
        referral_date__lt=OuterRef("referral_date"),
        referral_date__gte=OuterRef("year_before"),
    )
    year_before = Subquery(Day.objects.filter(date=OuterRef("referral_date")).values("year_before")[:1])
    return (
        CINEpisode.objects.filter(
            referral_date__gte=period.start, referral_date__lte=period.end, child__is_sealed=False
        )
        .annotate(year_before=year_before)
        .annotate(is_re_referral=Exists(earlier))
    )


def _sealed_children() -> QuerySet[Person, Any]:
    """Sealed children, left out of every count: a short list the database keeps in a hash,
    where joining every record to its child would read the whole people table."""
    return Person.objects.filter(is_sealed=True).values("pk")


def contacts_in(period: Period) -> QuerySet[Contact]:
    """Contacts received in the period: not merged into another, not about a sealed child."""
    return Contact.objects.filter(
        Q(child__isnull=True) | ~Q(child__in=_sealed_children()),
        received_on__gte=period.start,
        received_on__lte=period.end,
        merged_into__isnull=True,
    )


# -- expressions for the groups -----------------------------------------------------------


def _address_at(child: str, day: str) -> QuerySet[Address]:
    return Address.objects.filter(person=OuterRef(child)).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=OuterRef(day)),
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef(day)),
    )


def _child_postcode(child: str, day: str) -> Coalesce:
    """The postcode the child lived at on ``day``; if the record holds no address for that
    day (it was recorded later), their current one."""
    then = Subquery(_address_at(child, day).order_by("-start_date", "-created_at").values("postcode")[:1])
    now = Subquery(
        Address.objects.filter(person=OuterRef(child), end_date__isnull=True)
        .order_by("-start_date", "-created_at")
        .values("postcode")[:1]
    )
    return Coalesce(then, now)


def _withheld(child: str) -> Exists:
    return Exists(Address.objects.filter(person=OuterRef(child), must_not_be_disclosed=True))


def _located(qs: QuerySet[_M], child: str, day: str, *, fallback_postcode: str | None = None) -> QuerySet[_M]:
    """``qs`` with ``need_postcode`` (where the child lived on ``day``) and ``need_withheld``
    (the child has an address that must not be disclosed), for the locality groups."""
    postcode: Combinable = _child_postcode(child, day)
    if fallback_postcode is not None:
        # A contact not yet linked to a child's record: the postcode the referrer gave.
        postcode = Case(
            When(**{f"{child}__isnull": True}, then=NullIf(F(fallback_postcode), Value(""))),
            default=postcode,
            output_field=CharField(),
        )
    located: QuerySet[_M] = qs.annotate(need_postcode=postcode, need_withheld=_withheld(child))
    return located


def _locality_sql(kind: str) -> tuple[str, list[Any]]:
    """The district or ward a row of the derived table ``facts`` is counted in, as SQL over
    its ``need_postcode`` and ``need_withheld``: "Not known" for a withheld address or none.
    Worked out in the database (as ``postcode_district`` and ``normalise_postcode`` do in
    Python) so that rows are grouped by area, not fetched one per postcode."""
    compact = "UPPER(REPLACE(facts.need_postcode, ' ', ''))"
    unknown = f"facts.need_withheld OR facts.need_postcode IS NULL OR LENGTH({compact}) <= 3"
    outward = f"SUBSTR({compact}, 1, LENGTH({compact}) - 3)"
    if kind == "district":
        return f"CASE WHEN {unknown} THEN %s ELSE {outward} END", [NOT_KNOWN]
    normalised = f"{outward} || ' ' || SUBSTR({compact}, LENGTH({compact}) - 2)"
    wards = connection.ops.quote_name(PostcodeWard._meta.db_table)
    ward = f"(SELECT w.ward_name FROM {wards} w WHERE w.postcode = {normalised} LIMIT 1)"  # noqa: S608 - no input
    return f"CASE WHEN {unknown} THEN %s ELSE COALESCE({ward}, %s) END", [NOT_KNOWN, NOT_KNOWN]


def _age_band(born: str, expected: str, day: str) -> Case:
    before_birthday = Case(
        When(
            LessThan(
                ExtractMonth(day) * 100 + ExtractDay(day),
                ExtractMonth(born) * 100 + ExtractDay(born),
            ),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    age = ExtractYear(day) - ExtractYear(born) - before_birthday
    whens = [
        When(Q(**{f"{born}__isnull": True, f"{expected}__isnull": False}), then=Value(UNBORN)),
        When(Q(**{f"{born}__isnull": True}), then=Value(NOT_KNOWN)),
    ]
    # an age below 0 is a birth recorded after the referral: an unborn child when referred
    whens.append(When(LessThan(age, 0), then=Value(UNBORN)))
    whens += [When(LessThan(age, high + 1), then=Value(label)) for label, _low, high in AGE_BANDS]
    return Case(*whens, default=Value(NOT_KNOWN), output_field=CharField())


def _grouped(field_name: str, groups: Sequence[tuple[str, Sequence[str]]], other: str = NOT_KNOWN) -> Case:
    return Case(
        *[When(**{f"{field_name}__in": list(codes)}, then=Value(label)) for label, codes in groups],
        default=Value(other),
        output_field=CharField(),
    )


def _disability(child: str) -> Case:
    disabled = PersonDisability.objects.filter(person=OuterRef(child)).exclude(code="NONE")
    return Case(
        When(Exists(disabled), then=Value("Disabled")),
        default=Value("No disability recorded"),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class _Dimension:
    """A way of grouping: a database expression over referrals (and contacts, if they have
    it), or, for a locality, a function of where the child lived and whether it is withheld."""

    key: str
    title: str
    label_header: str
    referral_group: Callable[[], Combinable] | None = None
    contact_group: Callable[[], Combinable] | None = None
    locality: str | None = None  # "district" or "ward": from where the child lived
    order: Sequence[str] | None = None  # fixed order; else largest first
    population_kind: str | None = None
    note: str = ""

    @property
    def has_contacts(self) -> bool:
        return self.locality is not None or self.contact_group is not None


def _dimensions(*, wards: bool) -> list[_Dimension]:
    """The groups: expressions over referrals and contacts, and the two localities."""
    dims = [
        _Dimension(
            "district",
            "By postcode district",
            "Postcode district",
            locality="district",
            population_kind=PopulationKind.DISTRICT,
            note="Where the child lived when referred (or lives now, if the record has no "
            "address for then). Children whose address must not be disclosed are counted under Not known.",
        ),
    ]
    if wards:
        dims.append(
            _Dimension(
                "ward",
                "By ward",
                "Ward",
                locality="ward",
                population_kind=PopulationKind.WARD,
                note="From the council's postcode to ward lookup; postcodes it does not hold, "
                "and addresses that must not be disclosed, are under Not known.",
            )
        )
    dims += [
        _Dimension(
            "age",
            "By age at referral",
            "Age band",
            referral_group=lambda: _age_band(
                "child__date_of_birth", "child__expected_date_of_birth", "referral_date"
            ),
            order=[UNBORN, *[label for label, _l, _h in AGE_BANDS], NOT_KNOWN],
            population_kind=PopulationKind.AGE_BAND,
        ),
        _Dimension(
            "source",
            "By referral source",
            "Source",
            referral_group=lambda: _grouped("referral_source", SOURCE_GROUPS, "Other or unknown"),
            contact_group=lambda: _grouped("referral_source", SOURCE_GROUPS, "Other or unknown"),
            order=[label for label, _codes in SOURCE_GROUPS],
        ),
        _Dimension(
            "ethnicity",
            "By ethnicity",
            "Ethnic group",
            referral_group=lambda: _grouped("child__ethnicity", ETHNIC_GROUPS, "Refused or not yet obtained"),
            order=[label for label, _codes in ETHNIC_GROUPS],
        ),
        _Dimension(
            "disability",
            "By disability",
            "Disability",
            referral_group=lambda: _disability("child"),
            order=["Disabled", "No disability recorded"],
        ),
    ]
    return dims


def _populations(kind: str | None) -> dict[str, int]:
    if kind is None:
        return {}
    return dict(ChildPopulation.objects.filter(kind=kind).values_list("group", "children"))


@dataclass(frozen=True)
class _Cubes:
    """Referrals and contacts counted by every group at once: one grouped query each."""

    referrals: list[dict[str, Any]]
    contacts: list[dict[str, Any]]


def _count_by(
    qs: QuerySet[Any],
    columns: Sequence[str],
    flag: str | None = None,
    *,
    derived: dict[str, tuple[str, list[Any]]] | None = None,
    facts: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """``qs``'s rows counted by ``columns`` and by the ``derived`` SQL expressions over the
    ``facts`` columns (and how many have ``flag`` true), grouped in the database over a
    derived table, so that each row's subqueries run once."""
    derived = derived or {}
    inner, inner_params = (
        qs.order_by().values(*columns, *facts, *([flag] if flag else [])).query.sql_with_params()
    )
    quote = connection.ops.quote_name
    keys = [f"facts.{quote(c)}" for c in columns] + [
        f"{sql} AS {quote(name)}" for name, (sql, _p) in derived.items()
    ]
    params: list[Any] = [p for _sql, ps in derived.values() for p in ps]
    flagged = f", SUM(CASE WHEN facts.{quote(flag)} THEN 1 ELSE 0 END)" if flag else ", 0"
    grouping = f" GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}" if keys else ""
    # The OFFSET keeps the database from folding the derived table into the grouping (and
    # so working out each subquery again for the group key).
    fence = " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1 OFFSET 0"
    selected = "".join(f"{key}, " for key in keys)
    sql = f"SELECT {selected}COUNT(*){flagged} FROM ({inner}{fence}) facts{grouping}"  # noqa: S608 - names are ours
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        fetched = cursor.fetchall()
    names = [*columns, *derived]
    return [
        {**dict(zip(names, row[:-2], strict=True)), "n": int(row[-2]), "re": int(row[-1] or 0)}
        for row in fetched
    ]


def _cubes(period: Period, dims: Sequence[_Dimension]) -> _Cubes:
    localities = {f"g_{d.key}": _locality_sql(d.locality) for d in dims if d.locality is not None}
    where = ["need_postcode", "need_withheld"]
    referral_groups = {f"g_{d.key}": group() for d in dims if (group := d.referral_group) is not None}
    referrals = _located(referrals_in(period), "child", "referral_date").annotate(
        **referral_groups, g_primary_need=F("primary_need")
    )
    contact_groups = {f"g_{d.key}": group() for d in dims if (group := d.contact_group) is not None}
    contacts = _located(
        contacts_in(period), "child", "received_on", fallback_postcode="child_postcode"
    ).annotate(**contact_groups)

    def count_referrals() -> list[dict[str, Any]]:
        return _count_by(
            referrals, [*referral_groups, "g_primary_need"], "is_re_referral", derived=localities, facts=where
        )

    def count_contacts() -> list[dict[str, Any]]:
        return _count_by(contacts, list(contact_groups), derived=localities, facts=where)

    if not _may_count_in_parallel():
        return _Cubes(count_referrals(), count_contacts())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="need-contacts") as pool:
        contact_rows = pool.submit(_on_own_connection, count_contacts)
        referral_rows = count_referrals()
        return _Cubes(referral_rows, contact_rows.result())


def _may_count_in_parallel() -> bool:
    """Whether the two counts may run at once, each on its own PostgreSQL connection (and
    so on its own server process and core). Not inside a transaction: a second connection
    would not see what the transaction has written (a test's records, for one)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _on_own_connection(count: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Run ``count`` in this worker thread, which Django gives its own connection, and
    close that connection afterwards so that no thread leaves one open."""
    try:
        return count()
    finally:
        connection.close()


def _breakdown(dim: _Dimension, cubes: _Cubes) -> Breakdown:
    key = f"g_{dim.key}"
    referral_counts: dict[str, list[int]] = {}
    for row in cubes.referrals:
        counts = referral_counts.setdefault(row[key], [0, 0])
        counts[0] += row["n"]
        counts[1] += row["re"]
    contact_counts: Counter[str] = Counter()
    if dim.has_contacts:
        for row in cubes.contacts:
            contact_counts[row[key]] += row["n"]
    labels = set(referral_counts) | set(contact_counts)
    if dim.order is not None:
        ordered = [label for label in dim.order if label in labels]
        ordered += sorted(labels - set(ordered))
    else:
        known = sorted(
            (label for label in labels if label != NOT_KNOWN),
            key=lambda label: (-referral_counts.get(label, [0, 0])[0], _natural(label)),
        )
        ordered = known + ([NOT_KNOWN] if NOT_KNOWN in labels else [])
    populations = _populations(dim.population_kind)
    referrals = suppress_column([referral_counts.get(label, [0, 0])[0] for label in ordered])
    re_referrals = suppress_column([referral_counts.get(label, [0, 0])[1] for label in ordered])
    contacts = suppress_column([contact_counts.get(label, 0) for label in ordered])
    rows = []
    for i, label in enumerate(ordered):
        population = populations.get(label)
        refs, res = referrals[i], re_referrals[i]
        rows.append(
            GroupRow(
                label=label,
                contacts=contacts[i] if dim.has_contacts else None,
                referrals=refs,
                re_referrals=res,
                re_referral_percent=round(res / refs * 100, 1) if refs and res is not None else None,
                population=population,
                referral_rate=rate_per_10k(refs, population),
            )
        )
    return Breakdown(
        key=dim.key,
        title=dim.title,
        label_header=dim.label_header,
        rows=rows,
        has_contacts=dim.has_contacts,
        has_rates=any(row.population for row in rows),
        note=dim.note,
    )


def _natural(label: str) -> tuple[str, int, str]:
    """ "HM2" before "HM10"."""
    head = label.rstrip("0123456789")
    tail = label[len(head) :]
    return (head, int(tail) if tail else -1, label)


def factors_identified(period: Period) -> tuple[int, list[CountRow]]:
    """Factors identified at assessments authorised in the period (a child may have several):
    the number of assessments and, for each factor, how many had it, most common first."""
    assessed = Assessment.objects.filter(
        authorised_date__gte=period.start, authorised_date__lte=period.end
    ).exclude(episode__child__in=_sealed_children())
    assessments = assessed.count()
    counter = _factor_counts(assessed)
    labels = dict(AssessmentFactor.choices)
    ordered = sorted(counter, key=lambda code: (-counter[code], code))
    counts = suppress_column([counter[code] for code in ordered])
    rows = [
        CountRow(
            labels.get(code, code),
            count,
            round(count / assessments * 100, 1) if count is not None and assessments else None,
        )
        for code, count in zip(ordered, counts, strict=True)
    ]
    return assessments, rows


def _factor_counts(assessed: QuerySet[Assessment]) -> Counter[str]:
    """How many of ``assessed`` have each factor code: the JSON lists are unnested and
    counted in the database (PostgreSQL's ``jsonb_array_elements_text``, SQLite's
    ``json_each``), each assessment once per code however often it lists it."""
    inner, params = assessed.order_by().values(assessment=F("pk"), codes=F("factors")).query.sql_with_params()
    if connection.vendor == "postgresql":
        codes = (
            "jsonb_array_elements_text(CASE WHEN jsonb_typeof(a.codes) = 'array' "
            "THEN a.codes ELSE '[]'::jsonb END) AS f(code)"
        )
        code = "f.code"
    else:
        codes = "json_each(CASE WHEN json_type(a.codes) = 'array' THEN a.codes ELSE '[]' END) AS f"
        code = "f.value"
    sql = f"SELECT {code}, COUNT(DISTINCT a.assessment) FROM ({inner}) a, {codes} GROUP BY {code}"  # noqa: S608 - no input
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return Counter({str(value): int(n) for value, n in cursor.fetchall() if value})


def _primary_need(cubes: _Cubes) -> list[CountRow]:
    """Referrals in the period by the primary need recorded on the episode."""
    counts: Counter[str] = Counter()
    for row in cubes.referrals:
        counts[row["g_primary_need"]] += row["n"]
    total = sum(counts.values())
    order = [code for code in PrimaryNeed.values if code in counts]
    shown_counts = suppress_column([counts[code] for code in order])
    labels = dict(PrimaryNeed.choices)
    return [
        CountRow(labels[code], n, round(n / total * 100, 1) if n is not None and total else None)
        for code, n in zip(order, shown_counts, strict=True)
    ]


def monthly_counts(*, end: dt.date, months: int = 60) -> list[MonthRow]:
    """Contacts, referrals and referrals from schools and education services in each
    calendar month up to the month ``end`` is in, for up to ``months`` months, from the
    first month with any record (so a new system does not show years of zeros)."""
    last = end.replace(day=1)
    first = add_calendar_months(last, -(months - 1))
    window = Period(first, add_calendar_months(last, 1) - dt.timedelta(days=1))
    referral_rows = (
        CINEpisode.objects.filter(referral_date__gte=window.start, referral_date__lte=window.end)
        .exclude(child__in=_sealed_children())
        .annotate(month=TruncMonth("referral_date"))
        .values("month")
        .annotate(n=Count("pk"), schools=Count("pk", filter=Q(referral_source__in=SCHOOL_SOURCES)))
        .order_by()
    )
    referrals = {_as_date(r["month"]): (r["n"], r["schools"]) for r in referral_rows}
    contacts = {
        _as_date(r["month"]): r["n"]
        for r in contacts_in(window)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    seen = sorted(set(referrals) | set(contacts))
    if not seen:
        return []
    rows = []
    month = seen[0]
    while month <= last:
        refs, schools = referrals.get(month, (0, 0))
        rows.append(MonthRow(month, contacts.get(month, 0), refs, schools))
        month = add_calendar_months(month, 1)
    return rows


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def ward_lookup_loaded() -> bool:
    return PostcodeWard.objects.exists()


def need_analysis(*, period: Period, today: dt.date, months: list[MonthRow] | None = None) -> NeedAnalysis:
    """The whole analysis for ``period``, with the monthly counts up to ``today``'s month.

    Not authorised here: call it through :func:`need_analysis_for_user` (or, for the
    command line and the partnership's PDF job, where there is no viewer, directly)."""
    wards = ward_lookup_loaded()
    dims = _dimensions(wards=wards)
    cubes = _cubes(period, dims)
    assessments, factors = factors_identified(period)
    notes = []
    if not wards:
        notes.append("No postcode to ward lookup has been loaded, so localities are postcode districts only.")
    return NeedAnalysis(
        period=period,
        contacts=sum(row["n"] for row in cubes.contacts),
        referrals=sum(row["n"] for row in cubes.referrals),
        re_referrals=sum(row["re"] for row in cubes.referrals),
        population=int(settings.COUNCIL_CHILD_POPULATION),
        breakdowns=[_breakdown(dim, cubes) for dim in dims],
        factors=factors,
        assessments=assessments,
        primary_need=_primary_need(cubes),
        months=months if months is not None else monthly_counts(end=today),
        ward_lookup_loaded=wards,
        notes=notes,
    )
