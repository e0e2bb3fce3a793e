"""Charts drawn on the server as inline SVG, for every performance page.

Each function returns a :class:`Chart`: the SVG markup (``role="img"`` with a ``<title>``
and ``<desc>``), a caption, a sentence summarising the trend worked out from the figures,
and the same figures as rows for a GOV.UK table (the macro in
``performance/_chart.html`` shows all four). Nothing needs script and nothing uses a
``style`` attribute or element (the content security policy allows neither): every
colour, dash and pattern is an SVG presentation attribute. Series are told apart by
colour (the Okabe-Ito palette, safe for the common colour blindnesses) *and* by a dash
style and marker shape (lines) or a fill pattern (bars), so a chart printed in greyscale
still reads. Every piece of text is escaped.
"""

from __future__ import annotations

import datetime
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

#: (colour, dash array, marker) for each series in turn; colours from Okabe and Ito's
#: palette, in an order whose greys also differ (dark blue, orange, green, purple-pink).
LINE_STYLES: tuple[tuple[str, str, str], ...] = (
    ("#0b4f8a", "", "circle"),
    ("#c75000", "8 4", "square"),
    ("#007a5a", "2 3", "triangle"),
    ("#a3447f", "10 3 2 3", "diamond"),
    ("#0b0c0c", "4 2", "cross"),
)
#: (colour, pattern) for each series of a bar chart in turn.
BAR_STYLES: tuple[tuple[str, str], ...] = (
    ("#0b4f8a", "solid"),
    ("#c75000", "hatch"),
    ("#007a5a", "dots"),
    ("#a3447f", "crosshatch"),
    ("#505a5f", "vertical"),
)
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"
GRID_COLOUR = "#d6d9dc"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Number = float | int


@dataclass(frozen=True)
class Series:
    """One line (or one set of bars): a value per label, ``None`` where there is none.

    ``missing`` optionally gives a line chart's table the words for each ``None`` (a
    figure held back as too small is not the same as a month still to come)."""

    name: str
    values: Sequence[Number | None]
    missing: Sequence[str] | None = None

    def missing_at(self, index: int, default: str) -> str:
        return self.missing[index] if self.missing is not None else default


@dataclass(frozen=True)
class Band:
    """A shaded interval (a forecast's 80% or 95% range) drawn behind the lines."""

    name: str
    lower: Sequence[Number | None]
    upper: Sequence[Number | None]


@dataclass(frozen=True)
class Chart:
    """A chart ready for a page: its SVG, words and the figures as a table."""

    svg: Markup
    title: str
    caption: str
    summary: str
    head: list[str]
    rows: list[list[str]]
    numeric_columns: frozenset[int] = field(default_factory=frozenset)

    def table_params(self) -> dict[str, Any]:
        """The parameters of ``govukTable`` for the table alternative."""

        def cell(index: int, text: str) -> dict[str, str]:
            return {"text": text, "format": "numeric"} if index in self.numeric_columns else {"text": text}

        return {
            "caption": self.caption or self.title,
            "captionClasses": "govuk-table__caption--s",
            "firstCellIsHeader": True,
            "head": [cell(i, h) for i, h in enumerate(self.head)],
            "rows": [[cell(i, text) for i, text in enumerate(row)] for row in self.rows],
        }


def month_label(day: datetime.date) -> str:
    """``Jan 2025``: the short label of a month on an axis, a table and a summary."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def format_number(value: Number | None, *, missing: str = "No data", decimals: int | None = None) -> str:
    """A figure as people write it: ``1,234``, ``12.5``; ``missing`` for no figure."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return missing
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return f"{value:,.{decimals}f}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis values covering ``low``..``high`` (1, 2, 2.5 or 5 times a power of 10)."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    decimals = max(0, 2 - math.floor(math.log10(step)))
    first = math.floor(low / step)
    last = max(math.ceil(high / step), first + 1)
    # Rounding a tick to its decimals can leave it a hair inside the range (124.27 against
    # 124.27000000000001), so widen by a step until the ends really cover it.
    while round(first * step, decimals) > low:
        first -= 1
    while round(last * step, decimals) < high:
        last += 1
    return [round(k * step, decimals) for k in range(first, last + 1)]


def _chart_id(kind: str, title: str, labels: Sequence[str]) -> str:
    digest = hashlib.sha256("\x1f".join([kind, title, *labels]).encode()).hexdigest()[:10]
    return f"chart-{digest}"


def _num(value: float) -> str:
    """A coordinate, short and exact enough for the drawing."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 14, weight: str = "") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" font-size="{size}"{bold} '
        f'fill="{TEXT_COLOUR}">{escape(text)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1, dash: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
        f'stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
    )


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    r = 3.5
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{r}" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{_num(x - r)}" y="{_num(y - r)}" width="{r * 2}" height="{r * 2}" fill="{colour}"/>'
    if shape == "triangle":
        points = (
            f"{_num(x)},{_num(y - r - 1)} {_num(x - r - 1)},{_num(y + r)} {_num(x + r + 1)},{_num(y + r)}"
        )
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "diamond":
        points = (
            f"{_num(x)},{_num(y - r - 1)} {_num(x + r + 1)},{_num(y)} "
            f"{_num(x)},{_num(y + r + 1)} {_num(x - r - 1)},{_num(y)}"
        )
        return f'<polygon points="{points}" fill="{colour}"/>'
    return (
        f'<path d="M{_num(x - r)} {_num(y - r)}L{_num(x + r)} {_num(y + r)}M{_num(x - r)} {_num(y + r)}'
        f'L{_num(x + r)} {_num(y - r)}" stroke="{colour}" stroke-width="2"/>'
    )


def _pattern(pattern_id: str, pattern: str, colour: str) -> str:
    if pattern == "solid":
        return ""
    body = {
        "hatch": f'<path d="M0 8L8 0M-2 2L2 -2M6 10L10 6" stroke="{colour}" stroke-width="2"/>',
        "dots": f'<circle cx="4" cy="4" r="1.8" fill="{colour}"/>',
        "crosshatch": f'<path d="M0 0L8 8M8 0L0 8" stroke="{colour}" stroke-width="1.5"/>',
        "vertical": f'<path d="M2 0V8M6 0V8" stroke="{colour}" stroke-width="1.5"/>',
    }[pattern]
    return (
        f'<pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="#ffffff"/>{body}</pattern>'
    )


def _finite(values: Sequence[Number | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def _check_lengths(labels: Sequence[str], series: Sequence[Series], bands: Sequence[Band] = ()) -> None:
    if not labels:
        raise ValueError("A chart needs at least one label.")
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(f"Series {s.name!r} has {len(s.values)} values for {len(labels)} labels.")
        if s.missing is not None and len(s.missing) != len(labels):
            raise ValueError(f"Series {s.name!r} does not say what each missing value means.")
    for b in bands:
        if len(b.lower) != len(labels) or len(b.upper) != len(labels):
            raise ValueError(f"Band {b.name!r} does not have a value for each label.")


def _svg_open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{escape(FONT)}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def trend_summary(
    name: str,
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    unit: str = "",
    decimals: int | None = None,
) -> str:
    """A sentence saying how a series moved, from its figures.

    ``Contacts rose from 310 in Jan 2025 to 352 in Dec 2026 (up 14%); highest in Mar 2026
    (401), lowest in Aug 2025 (250).``
    """
    points = [(label, float(v)) for label, v in zip(labels, values, strict=True) if v is not None]
    if not points:
        return f"{name}: no figures yet."
    suffix = f" {unit}" if unit else ""

    def fmt(value: float) -> str:
        return format_number(value, decimals=decimals) + suffix

    if len(points) == 1:
        label, value = points[0]
        return f"{name}: {fmt(value)} in {label}."
    (first_label, first), (last_label, last) = points[0], points[-1]
    if last > first:
        verb = "rose"
    elif last < first:
        verb = "fell"
    else:
        verb = "was unchanged at"
    change = ""
    if first and verb != "was unchanged at":
        percent = round((last - first) / abs(first) * 100)
        change = f" ({'up' if percent >= 0 else 'down'} {abs(percent)}%)"
    if verb == "was unchanged at":
        sentence = f"{name} {verb} {fmt(first)} from {first_label} to {last_label}"
    else:
        sentence = f"{name} {verb} from {fmt(first)} in {first_label} to {fmt(last)} in {last_label}{change}"
    high_label, high = max(points, key=lambda p: p[1])
    low_label, low = min(points, key=lambda p: p[1])
    if high != low:
        sentence += f"; highest in {high_label} ({fmt(high)}), lowest in {low_label} ({fmt(low)})"
    return sentence + "."


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    bands: Sequence[Band] = (),
    caption: str = "",
    summary: str | None = None,
    unit: str = "",
    y_label: str = "",
    divider_at: int | None = None,
    divider_label: str = "",
    missing: str = "No data",
    decimals: int | None = None,
    zero_based: bool = True,
    label_header: str = "Month",
) -> Chart:
    """A line chart of one or more series over ``labels`` (usually months).

    ``bands`` are shaded behind the lines, widest first (a 95% interval under an 80%
    one). ``divider_at`` draws a dashed upright line before that label with
    ``divider_label`` beside it (where a forecast begins). ``summary`` defaults to
    :func:`trend_summary` of each series; the table has a column per series and two per
    band (lower, upper).
    """
    _check_lengths(labels, series, bands)
    width, height = 720, 360
    left, right, top = 64, 24, 24 + 22 * ((len(series) + len(bands) + 1) // 2)
    bottom = 56
    plot_w, plot_h = width - left - right, height - top - bottom
    chart_id = _chart_id("line", title, labels)

    every = [v for s in series for v in _finite(s.values)] + [
        v for b in bands for v in _finite([*b.lower, *b.upper])
    ]
    low = min(every, default=0.0)
    high = max(every, default=1.0)
    if zero_based:
        low = min(low, 0.0)
    ticks = nice_ticks(low, high)
    y_min, y_max = ticks[0], ticks[-1]
    n = len(labels)

    def x_at(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y_at(value: float) -> float:
        return top + plot_h - (value - y_min) / (y_max - y_min) * plot_h

    if summary is None:
        summary = " ".join(
            trend_summary(s.name, labels, s.values, unit=unit, decimals=decimals) for s in series
        )
    desc = f"{caption} {summary}".strip()
    parts = _svg_open(chart_id, width, height, title, desc)
    parts.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    # grid and y axis labels
    for tick in ticks:
        y = y_at(tick)
        parts.append(_line(left, y, width - right, y, GRID_COLOUR))
        parts.append(_text(left - 8, y + 5, format_number(tick), anchor="end", size=13))
    if y_label:
        parts.append(
            f'<text transform="translate(16 {_num(top + plot_h / 2)}) rotate(-90)" text-anchor="middle" '
            f'font-size="13" fill="{TEXT_COLOUR}">{escape(y_label)}</text>'
        )
    # x axis labels: as many as fit side by side (about 7 pixels a character)
    fit = max(1, int(plot_w // (7 * max(len(label) for label in labels) + 12)))
    step = max(1, math.ceil(n / fit))
    for i in range(0, n, step):
        parts.append(_text(x_at(i), top + plot_h + 20, labels[i], anchor="middle", size=12))
    parts.append(_line(left, top + plot_h, width - right, top + plot_h, AXIS_COLOUR, 1.5))
    # bands, widest (first given) lightest
    for index, band in enumerate(bands):
        colour = LINE_STYLES[0][0]
        opacity = 0.14 + 0.14 * index
        for run in _runs(band.lower, band.upper):
            upper = " ".join(f"{_num(x_at(i))},{_num(y_at(float(hi)))}" for i, _lo, hi in run)
            lower = " ".join(f"{_num(x_at(i))},{_num(y_at(float(lo)))}" for i, lo, _hi in reversed(run))
            parts.append(f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="{opacity:.2f}"/>')
    if divider_at is not None and 0 < divider_at < n:
        x = (x_at(divider_at - 1) + x_at(divider_at)) / 2
        parts.append(_line(x, top, x, top + plot_h, AXIS_COLOUR, 1.5, "4 4"))
        if divider_label:
            parts.append(_text(x + 6, top + 14, divider_label, size=12))
    # lines
    for index, s in enumerate(series):
        colour, dash, marker = LINE_STYLES[index % len(LINE_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _runs(s.values, s.values):
            points = " ".join(f"{_num(x_at(i))},{_num(y_at(float(v)))}" for i, v, _v in run)
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr} stroke-linejoin="round"/>'
                )
            marker_step = max(1, math.ceil(n / 24))
            parts.extend(
                _marker(marker, x_at(i), y_at(float(v)), colour)
                for i, v, _v in run
                if i % marker_step == 0 or len(run) == 1
            )
    # legend
    legend: list[tuple[str, str]] = []
    for index, s in enumerate(series):
        colour, dash, marker = LINE_STYLES[index % len(LINE_STYLES)]
        legend.append(
            (
                _line(0, 0, 28, 0, colour, 2.5, dash) + _marker(marker, 14, 0, colour),
                s.name,
            )
        )
    for index, band in enumerate(bands):
        opacity = 0.14 + 0.14 * index
        legend.append(
            (
                f'<rect x="0" y="-7" width="28" height="14" fill="{LINE_STYLES[0][0]}" '
                f'fill-opacity="{opacity:.2f}"/>',
                band.name,
            )
        )
    parts.extend(_legend(legend, left, width - right))
    parts.append("</svg>")

    head = [label_header, *[s.name for s in series]]
    for band in bands:
        head += [f"{band.name}: lower", f"{band.name}: upper"]
    rows: list[list[str]] = []
    for i, label in enumerate(labels):
        row = [
            label,
            *[
                format_number(s.values[i], missing=s.missing_at(i, missing), decimals=decimals)
                for s in series
            ],
        ]
        for band in bands:
            row += [
                format_number(band.lower[i], missing=missing, decimals=decimals),
                format_number(band.upper[i], missing=missing, decimals=decimals),
            ]
        rows.append(row)
    return Chart(
        svg=Markup("".join(parts)),  # noqa: S704 - every piece of text above is escaped
        title=title,
        caption=caption,
        summary=summary,
        head=head,
        rows=rows,
        numeric_columns=frozenset(range(1, len(head))),
    )


def _runs(
    lower: Sequence[Number | None], upper: Sequence[Number | None]
) -> list[list[tuple[int, Number, Number]]]:
    """Unbroken stretches where both values are present (a gap breaks a line)."""
    runs: list[list[tuple[int, Number, Number]]] = []
    current: list[tuple[int, Number, Number]] = []
    for i, (lo, hi) in enumerate(zip(lower, upper, strict=True)):
        if lo is None or hi is None or not (math.isfinite(float(lo)) and math.isfinite(float(hi))):
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, lo, hi))
    if current:
        runs.append(current)
    return runs


def _legend(entries: list[tuple[str, str]], x0: int, x1: int) -> list[str]:
    """Legend entries (swatch markup, name) in two columns above the plot."""
    parts: list[str] = []
    column_w = (x1 - x0) / 2
    for index, (swatch, name) in enumerate(entries):
        x = x0 + (index % 2) * column_w
        y = 18 + 22 * (index // 2)
        parts.append(f'<g transform="translate({_num(x)} {y})">{swatch}</g>')
        parts.append(_text(x + 36, y + 5, name, size=13))
    return parts


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    caption: str = "",
    summary: str | None = None,
    unit: str = "",
    missing: str = "No data",
    decimals: int | None = None,
    label_header: str = "Group",
    value_format: Callable[[Number | None], str] | None = None,
) -> Chart:
    """A horizontal bar chart: a row per label, a bar per series (grouped).

    Bars run from zero; a label without a figure (``None``) shows ``missing`` in place of
    a bar, so a suppressed small group is never drawn to scale.
    """
    _check_lengths(labels, series)

    def fmt(value: Number | None) -> str:
        if value_format is not None:
            return value_format(value)
        return format_number(value, missing=missing, decimals=decimals) + (
            f" {unit}" if unit and value is not None else ""
        )

    chart_id = _chart_id("bar", title, labels)
    label_w = min(240, 16 + 7 * max(len(label) for label in labels))
    left, right = label_w, 96
    legend_rows = (len(series) + 1) // 2 if len(series) > 1 else 0
    top = 16 + 22 * legend_rows
    bar_h = 18
    group_h = bar_h * len(series) + 10
    width = 720
    height = top + group_h * len(labels) + 40
    plot_w = width - left - right
    values = [v for s in series for v in _finite(s.values)]
    high = max(values, default=1.0)
    low = min(0.0, min(values, default=0.0))
    ticks = nice_ticks(low, high if high > low else low + 1)
    x_min, x_max = ticks[0], ticks[-1]

    def x_at(value: float) -> float:
        return left + (value - x_min) / (x_max - x_min) * plot_w

    if summary is None:
        summary = " ".join(_bar_summary(s, labels, fmt) for s in series)
    desc = f"{caption} {summary}".strip()
    parts = _svg_open(chart_id, width, height, title, desc)
    parts.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    defs = [_pattern(f"{chart_id}-p{i}", p, c) for i, (c, p) in enumerate(BAR_STYLES)]
    parts.append("<defs>" + "".join(defs) + "</defs>")
    plot_bottom = top + group_h * len(labels)
    for tick in ticks:
        x = x_at(tick)
        parts.append(_line(x, top, x, plot_bottom, GRID_COLOUR))
        parts.append(_text(x, plot_bottom + 20, format_number(tick), anchor="middle", size=12))
    for row, label in enumerate(labels):
        y0 = top + row * group_h + 5
        parts.append(
            _text(left - 8, y0 + group_h / 2, _truncate(label, (label_w - 16) // 7), anchor="end", size=13)
        )
        for index, s in enumerate(series):
            colour, pattern = BAR_STYLES[index % len(BAR_STYLES)]
            fill = colour if pattern == "solid" else f"url(#{chart_id}-p{index % len(BAR_STYLES)})"
            y = y0 + index * bar_h
            value = s.values[row]
            if value is None:
                parts.append(_text(x_at(0) + 4, y + bar_h - 5, fmt(None), size=12))
                continue
            x_start, x_end = sorted((x_at(0), x_at(float(value))))
            parts.append(
                f'<rect x="{_num(x_start)}" y="{_num(y + 1)}" width="{_num(max(x_end - x_start, 1))}" '
                f'height="{bar_h - 2}" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>'
            )
            parts.append(_text(x_end + 4, y + bar_h - 5, fmt(value), size=12))
    parts.append(_line(x_at(0), top, x_at(0), plot_bottom, AXIS_COLOUR, 1.5))
    if len(series) > 1:
        legend: list[tuple[str, str]] = []
        for index, s in enumerate(series):
            colour, pattern = BAR_STYLES[index % len(BAR_STYLES)]
            fill = colour if pattern == "solid" else f"url(#{chart_id}-p{index % len(BAR_STYLES)})"
            legend.append(
                (
                    f'<rect x="0" y="-7" width="28" height="14" fill="{fill}" '
                    f'stroke="{colour}" stroke-width="1.5"/>',
                    s.name,
                )
            )
        parts.extend(_legend(legend, 16, width - 16))
    parts.append("</svg>")
    head = [label_header, *[s.name for s in series]]
    rows = [[label, *[fmt(s.values[i]) for s in series]] for i, label in enumerate(labels)]
    return Chart(
        svg=Markup("".join(parts)),  # noqa: S704 - every piece of text above is escaped
        title=title,
        caption=caption,
        summary=summary,
        head=head,
        rows=rows,
        numeric_columns=frozenset(range(1, len(head))),
    )


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: max(length - 1, 1)] + "…"


def _bar_summary(s: Series, labels: Sequence[str], fmt: Callable[[Number | None], str]) -> str:
    points = [(label, float(v)) for label, v in zip(labels, s.values, strict=True) if v is not None]
    if not points:
        return f"{s.name}: no figures to show."
    high_label, high = max(points, key=lambda p: p[1])
    low_label, low = min(points, key=lambda p: p[1])
    if len(points) == 1 or high == low:
        return f"{s.name}: {fmt(high)} for {'each group' if len(points) > 1 else high_label}."
    return f"{s.name}: highest for {high_label} ({fmt(high)}), lowest for {low_label} ({fmt(low)})."
