"""The measures pages: thin views over ``selectors`` (figures, the children behind one,
trends), the exports and the benchmark upload."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from markupsafe import Markup

from safeguard.accounts.middleware import AuthenticatedRequest
from safeguard.accounts.policy import BENCHMARK_UPLOAD_ROLES
from safeguard.audit.models import AccessKind
from safeguard.audit.services import access_log_record_export
from safeguard.design_system.pages import add_service_errors, form_page
from safeguard.performance import charts, exports, selectors, snapshots
from safeguard.performance.benchmarks import benchmarks_upload
from safeguard.performance.forms import BenchmarkUploadForm, MeasuresForm, default_period
from safeguard.performance.measures import MEASURES, REGISTRY, Kind, Scope, Unit, Window, format_value
from safeguard.performance.periods import window_check
from safeguard.performance.targets import may_set_targets


@dataclass(frozen=True)
class Choice:
    """What the viewer asked for, or the errors that stopped it."""

    form: MeasuresForm
    scope: Scope | None
    window: Window | None
    scopes: list[Scope]

    @property
    def query(self) -> str:
        """The query string that asks for the same figures (for links from the page)."""
        if self.scope is None or self.window is None:
            return ""
        return query_for(self.scope, self.window)


def _date_params(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def query_for(scope: Scope, window: Window) -> str:
    params = {
        "scope": scope.key,
        **_date_params("period_start", window.start),
        **_date_params("period_end", window.end),
        **_date_params("snapshot", window.snapshot),
    }
    return urlencode(params)


def _choose(request: AuthenticatedRequest) -> Choice:
    """Read the scope, period and snapshot from the query string (this month by default)."""
    user = request.user
    scopes = selectors.scopes_for(user)
    today = timezone.localdate()
    form = MeasuresForm(request.GET or None, scopes=scopes)
    if not form.is_bound:
        start, end = default_period(today)
        scope = selectors.scope_choose(user, None)
        form = MeasuresForm(
            initial={"scope": scope.key, "period_start": start, "period_end": end}, scopes=scopes
        )
        return Choice(form, scope, Window.of(start, end), scopes)
    if not form.is_valid():
        selectors.scope_choose(user, None)  # a viewer with no measures is refused here
        return Choice(form, None, None, scopes)
    data = form.cleaned_data
    default_start, default_end = default_period(today)
    try:
        scope = selectors.scope_choose(user, data.get("scope") or None)
        window = window_check(
            start=data.get("period_start") or default_start,
            end=data.get("period_end") or default_end,
            snapshot=data.get("snapshot"),
            today=today,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return Choice(form, None, None, scopes)
    return Choice(form, scope, window, scopes)


def _link(href: str, text: str, hidden: str) -> Markup:
    return Markup(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>'
    ).format(href, text, hidden)


def _cell(row: selectors.Row, query: str) -> list[dict[str, Any]]:
    """One measure's row of the page's table, as GOV.UK table cells."""
    f, m = row.figure, row.measure

    def children(part: str) -> str:
        return (
            reverse("performance:measure_children")
            + "?"
            + urlencode({"measure": m.id, "part": part})
            + "&"
            + query
        )

    if not f.available:
        figure: Any = Markup('<span class="govuk-hint govuk-!-margin-0">Not available yet</span>')
        out_of: Any = f.reason
    elif f.value is None:
        figure, out_of = "No data", "None in the period"
    elif m.kind == Kind.WORKFORCE:
        figure = f.display
        out_of = f"{f.numerator or 0:g} of {f.denominator or 0:g} (full-time equivalents)"
    else:
        figure = _link(children("numerator"), f.display, f"({m.name}: the children counted)")
        if m.kind == Kind.RATE:
            out_of = f"{f.numerator:,} of {f.denominator:,} children"
        elif m.kind == Kind.PROPORTION:
            out_of = _link(
                children("denominator"), f"{f.numerator:,} of {f.denominator:,}", f"({m.name}: every child)"
            )
        elif m.kind == Kind.MEDIAN:
            out_of = _link(children("denominator"), f"{f.denominator:,} records", f"({m.name}: every child)")
        else:
            out_of = ""
    better = "neither higher nor lower: it describes demand" if m.better == "neither" else str(m.better)
    about = Markup(
        '<span class="govuk-!-font-weight-bold">{}</span><br>'
        '<span class="govuk-hint govuk-!-font-size-16">{} Better when {}.</span>'
    ).format(m.name, m.definition, better)
    england = row.england
    target = row.target
    return [
        {"html": about},
        {"html": figure, "format": "numeric"}
        if isinstance(figure, Markup)
        else {"text": figure, "format": "numeric"},
        {"html": out_of} if isinstance(out_of, Markup) else {"text": out_of},
        {
            "text": f"{england.display} ({england.period})" if england else "Not published",
            "format": "numeric",
        },
        {"text": ", ".join(f"{c.area}: {c.display}" for c in row.others) or "None uploaded"},
        {"text": format_value(target.target, m.unit) if target.target is not None else "No target"},
        {"html": Markup('<strong class="govuk-tag {}">{}</strong>').format(target.tag_colour, target.words)},
    ]


@require_GET
def measures(request: AuthenticatedRequest) -> HttpResponse:
    choice = _choose(request)
    page = None
    if choice.scope is not None and choice.window is not None:
        page = selectors.measures_page(user=request.user, window=choice.window, scope=choice.scope)
    return render(
        request,
        "performance/measures.html",
        {
            "form": choice.form,
            "page": page,
            "query": choice.query,
            "tables": [(group, [_cell(r, choice.query) for r in rows]) for group, rows in page.groups]
            if page
            else [],
            "may_upload": request.user.role in BENCHMARK_UPLOAD_ROLES,
            "may_set_targets": may_set_targets(request.user),
            "export_params": parse_qsl(choice.query),
        },
    )


@require_GET
def measure_children(request: AuthenticatedRequest) -> HttpResponse:
    measure_id, part = request.GET.get("measure", ""), request.GET.get("part", "numerator")
    choice = _choose(request)
    if not measure_id:
        return HttpResponseRedirect(
            reverse("performance:measures") + ("?" + choice.query if choice.query else "")
        )
    m = REGISTRY.get(measure_id)
    if m is None or m.records is None or part not in ("numerator", "denominator"):
        raise Http404("No such measure")
    if choice.scope is None or choice.window is None:
        return render(request, "performance/measures.html", {"form": choice.form, "page": None, "query": ""})
    try:
        behind = selectors.children_behind_figure(
            user=request.user,
            measure_id=measure_id,
            part=part,
            window=choice.window,
            scope=choice.scope,
            request=request,
        )
    except LookupError:
        raise Http404("No such measure") from None
    return render(
        request,
        "performance/children.html",
        {"behind": behind, "scope": choice.scope, "window": choice.window, "query": choice.query},
    )


@require_GET
def measures_export(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    if kind not in ("csv", "xlsx"):
        raise Http404("No such export")
    choice = _choose(request)
    if choice.scope is None or choice.window is None:
        return render(request, "performance/measures.html", {"form": choice.form, "page": None, "query": ""})
    page = selectors.measures_page(user=request.user, window=choice.window, scope=choice.scope)
    w = choice.window
    name = f"measures-{choice.scope.level}-{w.start.isoformat()}-to-{w.end.isoformat()}"
    access_log_record_export(
        user=request.user,
        what=AccessKind.CHILD_LIST,
        description=f"Measures {kind} {choice.scope.key} {w.start}..{w.end}",
        request=request,
    )
    if kind == "csv":
        response = HttpResponse(exports.measures_csv(page), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.measures_xlsx(page),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


UNIT_WORDS = {
    Unit.PERCENT: "percentages",
    Unit.COUNT: "counts",
    Unit.PER_10K: "rates per 10,000 children",
    Unit.WORKING_DAYS: "working days",
    Unit.RATIO: "ratios",
}


def _trend_charts(scope: Scope, today: dt.date, group: str) -> tuple[list[charts.Chart], dt.datetime | None]:
    """The group's measures over 24 months: one chart for each unit, a line per measure."""
    ends, series = snapshots.trend(scope=scope, today=today)
    labels = [charts.month_label(end) for end in ends]
    by_unit: dict[Unit, list[charts.Series]] = {}
    computed: list[dt.datetime] = []
    for m in MEASURES:
        if m.group != group or m.kind == Kind.NOT_YET or m.id not in series:
            continue
        rows = series[m.id]
        at = snapshots.last_computed(rows)
        if at is not None:
            computed.append(at)
        by_unit.setdefault(m.unit, []).append(
            charts.Series(m.name, [None if r is None else r.value for r in rows])
        )
    drawn = [
        charts.line_chart(
            title=f"{group}: {UNIT_WORDS[unit]}",
            labels=labels,
            series=lines,
            caption=f"{group} ({UNIT_WORDS[unit]}), each month, {labels[0]} to {labels[-1]}: {scope.label}",
            unit="%" if unit == Unit.PERCENT else "",
            y_label=str(unit),
            decimals=1 if unit in (Unit.PERCENT, Unit.PER_10K) else 0,
        )
        for unit, lines in by_unit.items()
    ]
    return drawn, max(computed, default=None)


TREND_GROUPS = tuple(dict.fromkeys(m.group for m in MEASURES if m.kind != Kind.NOT_YET))


@require_GET
def trends(request: AuthenticatedRequest) -> HttpResponse:
    choice = _choose(request)
    level = choice.scope.level if choice.scope is not None else None
    here = [g for g in TREND_GROUPS if any(m.group == g and level in m.scopes for m in MEASURES)] or list(
        TREND_GROUPS
    )
    group = request.GET.get("group", "")
    if group not in here:
        group = here[0]
    drawn: list[charts.Chart] = []
    computed = None
    if choice.scope is not None:
        drawn, computed = _trend_charts(choice.scope, timezone.localdate(), group)
    return render(
        request,
        "performance/trends.html",
        {
            "form": choice.form,
            "scope": choice.scope,
            "charts": drawn,
            "computed": computed,
            "query": choice.query,
            "group": group,
            "groups": [
                (g, urlencode({"group": g}) + ("&" + choice.query if choice.query else ""))
                for g in TREND_GROUPS
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def benchmark_upload(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role not in BENCHMARK_UPLOAD_ROLES:
        raise PermissionDenied("Only performance analysts upload benchmarks")
    form = BenchmarkUploadForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> int:
        return benchmarks_upload(actor=request.user, text=data["file"])

    return form_page(
        request,
        form,
        template="performance/benchmark_upload.html",
        save=save,
        then=reverse("performance:measures"),
        success=lambda n: f"{n:,} benchmark figures uploaded",
    )
