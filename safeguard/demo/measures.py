"""Measure the generated data against the shapes it should follow (kpis.md).

Used by the tests and by ``bench/bench_seed.py --measure``; a few bulk reads, counted in
Python, so it stays quick on 100,000 children. Definitions follow kpis.md; re-referrals
and assessment timeliness are measured over the 12 months to today, so that the start
of the generated history (which has no earlier referrals) does not bias them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from safeguard.accounts.models import CASE_HOLDING_ROLES, TeamKind, User
from safeguard.casework.models import (
    Assessment,
    ChildProtectionPlan,
    ChildProtectionReview,
    CINEpisode,
    Section47Enquiry,
)
from safeguard.core.calendar import add_calendar_months, working_days_between
from safeguard.performance.headlines import headline_figures, reporting_year_start

SOURCE_GROUPS = {
    "police": ("6",),
    "schools": ("2A",),
    "health": ("3A", "3B", "3C", "3D", "3E", "3F"),
    "la_services": ("5A", "5B", "5C", "5D"),
    "individuals": ("1A", "1B", "1C", "1D"),
}


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _quartiles(values: list[int]) -> tuple[float, float, float]:
    if len(values) < 4:
        median = statistics.median(values) if values else 0.0
        return (median, median, median)
    q1, q2, q3 = statistics.quantiles(values, n=4)
    return (q1, q2, q3)


def measure(today: dt.date) -> dict[str, object]:
    """Headline shapes of the data in the database, as a flat dict of numbers."""
    year_ago = today - dt.timedelta(days=365)
    result: dict[str, object] = {}
    result.update(_referrals(today, year_ago))
    result.update(_assessments(year_ago))
    result.update(_protection(today))
    result.update(_caseloads())
    return result


def _referrals(today: dt.date, year_ago: dt.date) -> dict[str, object]:
    episodes = list(
        CINEpisode.objects.values_list(
            "child_id", "referral_date", "referral_source", "referral_nfa", "primary_need"
        )
    )
    by_child: dict[object, list[dt.date]] = defaultdict(list)
    for child_id, referral, *_ in episodes:
        by_child[child_id].append(referral)
    for dates in by_child.values():
        dates.sort()
    recent = [e for e in episodes if year_ago < e[1] <= today]
    repeat = 0
    for child_id, referral, *_ in recent:
        earlier = [d for d in by_child[child_id] if d < referral]
        if earlier and (referral - earlier[-1]).days <= 365:
            repeat += 1
    sources = Counter(e[2] for e in episodes)
    total = len(episodes)
    result: dict[str, object] = {
        "referrals": total,
        "referrals_last_12_months": len(recent),
        "re_referral_pct": _pct(repeat, len(recent)),
        "referral_nfa_pct": _pct(sum(1 for e in episodes if e[3]), total),
        "primary_need_n1_pct": _pct(sum(1 for e in episodes if e[4] == "N1"), total),
        "open_episodes": CINEpisode.objects.filter(closure_date__isnull=True).count(),
        "unallocated_open_episodes": CINEpisode.objects.filter(
            closure_date__isnull=True, worker__isnull=True
        ).count(),
        "section_47_per_100_referrals": _pct(Section47Enquiry.objects.count(), total),
    }
    for group, codes in SOURCE_GROUPS.items():
        result[f"source_{group}_pct"] = _pct(sum(sources[c] for c in codes), total)
    return result


def _assessments(year_ago: dt.date) -> dict[str, object]:
    rows = [
        (start, authorised, outcome)
        for start, authorised, outcome in Assessment.objects.values_list(
            "start_date", "authorised_date", "outcome"
        )
        if authorised is not None
    ]
    recent = [working_days_between(s, a) for s, a, _ in rows if a > year_ago]
    q1, median, q3 = _quartiles(recent)
    return {
        "assessments_authorised": len(rows),
        "assessment_median_wd": median,
        "assessment_q1_wd": q1,
        "assessment_q3_wd": q3,
        "assessment_within_45_pct": _pct(sum(1 for d in recent if d <= 45), len(recent)),
        "assessed_not_in_need_pct": _pct(sum(1 for r in rows if r[2] == "nfa"), len(rows)),
    }


def _protection(today: dt.date) -> dict[str, object]:
    s47_total = Section47Enquiry.objects.count()
    icpcs = [
        (start, icpc)
        for start, icpc in Section47Enquiry.objects.values_list("start_date", "icpc_date")
        if icpc is not None
    ]
    icpc_days = [working_days_between(s, c) for s, c in icpcs]
    plans = list(
        ChildProtectionPlan.objects.values_list(
            "id",
            "start_date",
            "end_date",
            "initial_category",
            "latest_category",
            "number_of_previous_plans",
        )
    )
    categories = Counter(p[3] for p in plans)
    ended = [(p[1], p[2]) for p in plans if p[2] is not None]
    lengths = Counter(_length_band(start, end) for start, end in ended)
    result: dict[str, object] = {
        "section_47s": s47_total,
        "icpcs": len(icpcs),
        "icpc_per_100_s47": _pct(len(icpcs), s47_total),
        "icpc_median_wd": statistics.median(icpc_days) if icpc_days else 0,
        "icpc_within_15_pct": _pct(sum(1 for d in icpc_days if d <= 15), len(icpc_days)),
        "plans_per_100_icpc": _pct(len(plans), len(icpcs)),
        "cp_plans": len(plans),
        "open_cp_plans": sum(1 for p in plans if p[2] is None),
        "repeat_plan_pct": _pct(sum(1 for p in plans if p[5] > 0), len(plans)),
        "latest_category_same_pct": _pct(sum(1 for p in plans if p[3] == p[4]), len(plans)),
        "plans_ended": len(ended),
        "reviews_first_on_time_pct": _first_reviews_on_time(today),
    }
    for code in ("NEG", "EMO", "PHY", "SAB", "MUL"):
        result[f"category_{code}_pct"] = _pct(categories[code], len(plans))
    for band in ("up_to_3_months", "3_to_12_months", "1_to_2_years", "2_years_plus"):
        result[f"ended_{band}_pct"] = _pct(lengths[band], len(ended))
    return result


def _length_band(start: dt.date, end: dt.date) -> str:
    if end <= add_calendar_months(start, 3):
        return "up_to_3_months"
    if end < add_calendar_months(start, 12):
        return "3_to_12_months"
    if end < add_calendar_months(start, 24):
        return "1_to_2_years"
    return "2_years_plus"


def _first_reviews_on_time(today: dt.date) -> float:
    """Plans that reached 3 months whose first review was within 3 months of the start."""
    first: dict[object, dt.date] = {}
    reviews = ChildProtectionReview.objects.order_by("held_on")
    for plan_id, held in reviews.values_list("plan_id", "held_on"):
        first.setdefault(plan_id, held)
    due_plans = [
        (plan_id, start)
        for plan_id, start, end in ChildProtectionPlan.objects.values_list(
            "id",
            "start_date",
            "end_date",
        )
        if add_calendar_months(start, 3) <= (end or today)
    ]
    on_time = sum(
        1
        for plan_id, start in due_plans
        if plan_id in first and first[plan_id] <= add_calendar_months(start, 3)
    )
    return _pct(on_time, len(due_plans))


def _caseloads() -> dict[str, object]:
    holders = User.objects.filter(
        role__in=CASE_HOLDING_ROLES,
        is_active=True,
        team__kind__in=(TeamKind.ASSESSMENT, TeamKind.CHILD_PROTECTION, TeamKind.CHILDREN_IN_NEED),
    )
    fte = holders.aggregate(total=Sum("fte"))["total"] or Decimal(0)
    cases = CINEpisode.objects.filter(closure_date__isnull=True, worker__in=holders).count()
    counts = holders.annotate(
        open_cases=Count(
            "allocated_episodes",
            filter=Q(allocated_episodes__closure_date__isnull=True),
        )
    ).values_list("open_cases", flat=True)
    return {
        "case_holders": holders.count(),
        "case_holder_fte": float(fte),
        "average_caseload_per_fte": round(cases / float(fte), 1) if fte else 0.0,
        "most_open_cases_held": max(counts, default=0),
        "agency_social_worker_pct": _pct(holders.filter(is_agency=True).count(), holders.count()),
        "asye_pct": _pct(holders.filter(grade="asye").count(), holders.count()),
    }


# --- Against England's published figures (benchmarks.csv) ------------------------------

# The figures the product shows on the home page, by the benchmark each one stands for.
_HEADLINE_BENCHMARKS = {
    "Referrals": "referrals",
    "Re-referrals within 12 months": "re_referrals",
    "Assessments within 45 working days": "assessments_45",
    "Median assessment duration": "assessment_median",
    "Initial conferences within 15 working days": "icpc_15",
    "Children in need per 10,000": "cin_rate",
    "Child protection plans per 10,000": "cp_rate",
}


def _headline_number(value: str) -> float:
    """The number in a headline's text: "4,212", "22.6%", "33 working days"."""
    return float(value.split()[0].rstrip("%").replace(",", ""))


def england_comparison(today: dt.date, child_population: int) -> dict[str, float]:
    """Every benchmarks.csv measure the data can give, for the DfE year to ``today``.

    Keys are the measure ids of benchmarks.csv (kpis.md definitions); counts are turned
    into rates per 10,000 children (``<id>_per_10k``) so that a council of any size can
    be set beside England. The figures on the home page come from the product's own
    ``headline_figures``, read back from what it shows; the rest are counted here.
    Vacancies, turnover and sickness absence are not recorded by the product, so they
    are absent.
    """
    per_10k = 10_000 / child_population
    shown = {
        _HEADLINE_BENCHMARKS[h.label]: _headline_number(h.value)
        for h in headline_figures(today=today, child_population=child_population)
        if h.label in _HEADLINE_BENCHMARKS and h.value != "No data yet"
    }
    start = reporting_year_start(today)
    result: dict[str, float] = {
        "referral_rate": shown.pop("referrals") * per_10k,
        **shown,
    }
    referrals = CINEpisode.objects.filter(referral_date__gte=start, referral_date__lte=today)
    total = referrals.count()
    result["referral_nfa"] = 100 * referrals.filter(referral_nfa=True).count() / total if total else 0.0
    authorised = Assessment.objects.filter(authorised_date__gte=start, authorised_date__lte=today)
    completed = authorised.count()
    result["assessments_completed_per_10k"] = completed * per_10k
    not_in_need = authorised.filter(outcome="nfa").count()
    result["assessed_not_in_need"] = 100 * not_in_need / completed if completed else 0.0
    result["s47_per_10k"] = (
        Section47Enquiry.objects.filter(start_date__gte=start, start_date__lte=today).count() * per_10k
    )
    icpcs = Section47Enquiry.objects.filter(icpc_date__gte=start, icpc_date__lte=today)
    result["icpc_per_10k"] = icpcs.count() * per_10k
    icpc_days = [
        working_days_between(s, c) for s, c in icpcs.values_list("start_date", "icpc_date") if c is not None
    ]
    result["icpc_median"] = float(statistics.median(icpc_days)) if icpc_days else 0.0
    starts = ChildProtectionPlan.objects.filter(start_date__gte=start, start_date__lte=today)
    started = starts.count()
    result["cp_starts_per_10k"] = started * per_10k
    repeat = starts.filter(number_of_previous_plans__gt=0).count()
    result["cp_repeat"] = 100 * repeat / started if started else 0.0
    ends = list(
        ChildProtectionPlan.objects.filter(end_date__gte=start, end_date__lte=today).values_list(
            "start_date", "end_date"
        )
    )
    result["cp_ends_per_10k"] = len(ends) * per_10k
    two_years = sum(1 for s, e in ends if e is not None and e >= add_calendar_months(s, 24))
    result["cp_two_years"] = 100 * two_years / len(ends) if ends else 0.0
    result.update(_workforce_rates())
    return result


def _workforce_rates() -> dict[str, float]:
    """Caseload and agency rate over case-holding social workers, by FTE (kpis.md)."""
    holders = User.objects.filter(
        role__in=CASE_HOLDING_ROLES,
        is_active=True,
        team__kind__in=(TeamKind.ASSESSMENT, TeamKind.CHILD_PROTECTION, TeamKind.CHILDREN_IN_NEED),
    )
    fte = float(holders.aggregate(total=Sum("fte"))["total"] or 0)
    agency_fte = float(holders.filter(is_agency=True).aggregate(total=Sum("fte"))["total"] or 0)
    cases = CINEpisode.objects.filter(closure_date__isnull=True, worker__in=holders).count()
    return {
        "caseload": cases / fte if fte else 0.0,
        "agency_rate": 100 * agency_fte / fte if fte else 0.0,
    }
