"""The server-drawn SVG charts: safe markup, words worked out from the figures, a table."""

from __future__ import annotations

import datetime
import itertools
import xml.etree.ElementTree as ET

import pytest
from django.template import engines
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from safeguard.performance import charts
from safeguard.performance.charts import Band, Series

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [charts.month_label(datetime.date(2025 + (m // 12), m % 12 + 1, 1)) for m in range(24)]


def _tree(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own markup under test


def _contrast(colour: str, background: str = "#ffffff") -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    a, b = sorted((luminance(colour), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_month_label_and_number_format() -> None:
    assert charts.month_label(datetime.date(2025, 3, 9)) == "Mar 2025"
    assert charts.format_number(1234) == "1,234"
    assert charts.format_number(12.25) == "12.2"
    assert charts.format_number(12.0) == "12"
    assert charts.format_number(None, missing="Fewer than 5") == "Fewer than 5"
    assert charts.format_number(float("nan")) == "No data"
    assert charts.format_number(3, decimals=1) == "3.0"


def test_trend_summary_says_how_the_series_moved() -> None:
    labels = ["Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025"]
    assert charts.trend_summary("Contacts", labels, [310, 250, 401, 352]) == (
        "Contacts rose from 310 in Jan 2025 to 352 in Apr 2025 (up 14%); "
        "highest in Mar 2025 (401), lowest in Feb 2025 (250)."
    )
    assert charts.trend_summary("Referrals", labels, [200, None, 150, 100]) == (
        "Referrals fell from 200 in Jan 2025 to 100 in Apr 2025 (down 50%); "
        "highest in Jan 2025 (200), lowest in Apr 2025 (100)."
    )
    assert charts.trend_summary("Rate", labels, [5, 5, 5, 5], unit="per 10,000") == (
        "Rate was unchanged at 5 per 10,000 from Jan 2025 to Apr 2025."
    )
    assert charts.trend_summary("Rate", labels, [None, 7, None, None]) == "Rate: 7 in Feb 2025."
    assert charts.trend_summary("Rate", labels, [None] * 4) == "Rate: no figures yet."
    # from zero there is no percentage to give
    assert charts.trend_summary("New", labels[:2], [0, 4]) == (
        "New rose from 0 in Jan 2025 to 4 in Feb 2025; highest in Feb 2025 (4), lowest in Jan 2025 (0)."
    )


def test_line_chart_is_an_accessible_image_with_title_and_description() -> None:
    values = [300 + (i % 12) * 5 for i in range(24)]
    chart = charts.line_chart(
        title="Contacts by month",
        labels=MONTHS,
        series=[Series("Contacts", values)],
        caption="Contacts each month",
    )
    root = _tree(chart)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Contacts by month"
    assert desc is not None and desc.text is not None
    assert desc.text.startswith("Contacts each month Contacts rose from 300 in Jan 2025 to 355 in Dec 2026")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert chart.summary in desc.text
    assert len(root.findall(f"{SVG}polyline")) == 1
    # every month is a row of the table, with the label first
    assert chart.head == ["Month", "Contacts"]
    assert chart.rows[0] == ["Jan 2025", "300"]
    assert chart.rows[-1] == ["Dec 2026", "355"]
    assert len(chart.rows) == 24


def test_nothing_in_the_svg_needs_script_or_inline_styles() -> None:
    chart = charts.line_chart(
        title="T",
        labels=MONTHS[:3],
        series=[Series("A", [1, 2, 3]), Series("B", [3, 2, 1])],
        bands=[Band("95% interval", [0, 1, 2], [2, 3, 4])],
    )
    bars = charts.bar_chart(title="B", labels=["x", "y"], series=[Series("A", [1, 2]), Series("B", [2, 1])])
    for markup in (str(chart.svg), str(bars.svg)):
        assert "style=" not in markup
        assert "<style" not in markup
        assert "<script" not in markup
        assert "javascript:" not in markup
        assert " on" not in markup.replace(" one", "")  # no event handler attributes


def test_every_label_and_name_is_escaped() -> None:
    evil = '<script>alert("x")</script> & "quotes"'
    chart = charts.line_chart(
        title=evil,
        labels=[evil, "Feb"],
        series=[Series(evil, [1, 2])],
        bands=[Band(evil, [0, 1], [2, 3])],
        caption=evil,
        y_label=evil,
        divider_at=1,
        divider_label=evil,
    )
    bars = charts.bar_chart(
        title=evil, labels=[evil, "b"], series=[Series(evil, [1, None]), Series("x", [1, 2])]
    )
    for c in (chart, bars):
        markup = str(c.svg)
        assert "<script>" not in markup
        assert "&lt;script&gt;" in markup
        root = _tree(c)  # well formed, so nothing broke out of an attribute or element
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert any(t and "<script>" in t for t in texts)  # shown as text, not run


def test_bands_are_shaded_and_tabled_and_a_gap_breaks_the_line() -> None:
    history = [10, 12, None, 14, 15, None, None]
    forecast = [None, None, None, None, 15, 16, 17]
    chart = charts.line_chart(
        title="Forecast",
        labels=MONTHS[:7],
        series=[Series("Recorded", history), Series("Forecast", forecast)],
        bands=[
            Band("95% interval", [None] * 4 + [15, 12, 11], [None] * 4 + [15, 20, 23]),
            Band("80% interval", [None] * 4 + [15, 13, 13], [None] * 4 + [15, 19, 21]),
        ],
        divider_at=5,
        divider_label="Forecast",
    )
    root = _tree(chart)
    polylines = root.findall(f"{SVG}polyline")
    assert len(polylines) == 3  # Recorded is in two stretches; Forecast in one
    assert polylines[0].get("stroke-dasharray") is None
    assert polylines[2].get("stroke-dasharray") == "8 4"
    band_polygons = [p for p in root.findall(f"{SVG}polygon") if p.get("fill-opacity")]
    assert len(band_polygons) == 2
    assert [p.get("fill-opacity") for p in band_polygons] == ["0.14", "0.28"]  # wider band lighter
    assert chart.head == [
        "Month",
        "Recorded",
        "Forecast",
        "95% interval: lower",
        "95% interval: upper",
        "80% interval: lower",
        "80% interval: upper",
    ]
    assert chart.rows[2] == ["Mar 2025", "No data", "No data", "No data", "No data", "No data", "No data"]
    assert chart.rows[6] == ["Jul 2025", "No data", "17", "11", "23", "13", "21"]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Forecast" in texts and "95% interval" in texts and "80% interval" in texts


def test_the_axis_covers_every_value_and_starts_at_zero() -> None:
    chart = charts.line_chart(title="T", labels=MONTHS[:3], series=[Series("A", [340, 352, 361])])
    root = _tree(chart)
    ticks = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks[0] == "0"
    assert float(ticks[-1].replace(",", "")) >= 361
    loose = charts.line_chart(
        title="T", labels=MONTHS[:3], series=[Series("A", [340, 352, 361])], zero_based=False
    )
    loose_ticks = [t.text for t in _tree(loose).iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert float(loose_ticks[0]) <= 340 < float(loose_ticks[1])


def test_series_are_told_apart_without_colour() -> None:
    dashes = [dash for _colour, dash, _marker in charts.LINE_STYLES]
    markers = [marker for _colour, _dash, marker in charts.LINE_STYLES]
    patterns = [pattern for _colour, pattern in charts.BAR_STYLES]
    assert len(set(dashes)) == len(dashes)
    assert len(set(markers)) == len(markers)
    assert len(set(patterns)) == len(patterns)
    # and each colour stands out from the white background (WCAG non-text contrast, 3:1)
    for colour in [c for c, _d, _m in charts.LINE_STYLES] + [c for c, _p in charts.BAR_STYLES]:
        assert _contrast(colour) >= 3, colour
    assert _contrast(charts.TEXT_COLOUR) >= 4.5


def test_bar_chart_draws_groups_and_never_draws_a_missing_figure_to_scale() -> None:
    chart = charts.bar_chart(
        title="Referrals by district",
        labels=["AB1", "AB2", "Not known"],
        series=[Series("Referrals", [120, None, 40]), Series("Rate per 10,000", [310.5, None, 88.0])],
        missing="Fewer than 5",
        label_header="Postcode district",
    )
    root = _tree(chart)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "16"]
    assert len(bars) == 4  # two groups of two; the suppressed district has none
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts.count("Fewer than 5") == 2
    assert bars[1].get("fill", "").startswith("url(#")  # second series is patterned
    pattern_ids = {p.get("id") or "" for p in root.iter(f"{SVG}pattern")}
    assert bars[1].get("fill") == f"url(#{sorted(pattern_ids)[0]})"
    assert chart.head == ["Postcode district", "Referrals", "Rate per 10,000"]
    assert chart.rows == [
        ["AB1", "120", "310.5"],
        ["AB2", "Fewer than 5", "Fewer than 5"],
        ["Not known", "40", "88"],
    ]
    assert chart.summary == (
        "Referrals: highest for AB1 (120), lowest for Not known (40). "
        "Rate per 10,000: highest for AB1 (310.5), lowest for Not known (88)."
    )


def test_two_charts_on_a_page_have_different_ids() -> None:
    a = charts.bar_chart(
        title="By age", labels=["0-4", "5-9"], series=[Series("A", [1, 2]), Series("B", [1, 2])]
    )
    b = charts.bar_chart(
        title="By source", labels=["0-4", "5-9"], series=[Series("A", [1, 2]), Series("B", [1, 2])]
    )
    ids_a = {e.get("id") for e in _tree(a).iter() if e.get("id")}
    ids_b = {e.get("id") for e in _tree(b).iter() if e.get("id")}
    assert ids_a and ids_b and not ids_a & ids_b


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="has 2 values for 3 labels"):
        charts.line_chart(title="T", labels=["a", "b", "c"], series=[Series("A", [1, 2])])
    with pytest.raises(ValueError, match="does not have a value"):
        charts.line_chart(title="T", labels=["a"], series=[Series("A", [1])], bands=[Band("B", [], [1])])
    with pytest.raises(ValueError, match="at least one label"):
        charts.bar_chart(title="T", labels=[], series=[])


def test_an_empty_chart_still_draws_and_says_so() -> None:
    chart = charts.line_chart(title="T", labels=MONTHS[:2], series=[Series("Contacts", [None, None])])
    assert chart.summary == "Contacts: no figures yet."
    _tree(chart)
    bars = charts.bar_chart(title="T", labels=["a"], series=[Series("Contacts", [None])])
    assert bars.summary == "Contacts: no figures to show."


@given(
    st.integers(min_value=-(10**8), max_value=10**8).map(lambda n: n / 100),
    st.integers(min_value=0, max_value=10**8).map(lambda n: n / 100),
)
def test_nice_ticks_cover_the_range_in_even_steps(low: float, span: float) -> None:
    high = low + span
    ticks = charts.nice_ticks(low, high)
    assert ticks[0] <= low
    assert ticks[-1] >= high
    steps = {round(b - a, 4) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    assert 2 <= len(ticks) <= 8


def test_the_macro_shows_chart_caption_summary_and_a_table_in_details() -> None:
    chart = charts.bar_chart(
        title="By age",
        labels=["Under 1", "1 to 4 & <5>"],
        series=[Series("Referrals", [12, 30])],
        caption="Referrals by age",
    )
    template = engines["jinja2"].env.from_string(
        '{% from "performance/_chart.html" import chart_figure %}{{ chart_figure(chart) }}'
    )
    html = template.render(chart=chart)
    assert "<figure" in html and "<figcaption" in html and "Referrals by age</figcaption>" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html  # not escaped twice
    assert '<details class="govuk-details' in html
    assert "Show the figures as a table" in html
    assert '<table class="govuk-table' in html
    assert "1 to 4 &amp; &lt;5&gt;" in html
    assert "&amp;amp;" not in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">30</td>' in html
    assert str(escape(chart.summary)) in html
