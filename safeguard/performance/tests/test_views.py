"""The measures pages: each viewer's scope, England beside each figure, the children
behind a figure (filtered and logged), exports, trends and the benchmark upload."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safeguard.accounts.tests.factories import TeamFactory
from safeguard.audit.models import AccessLogEntry
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory
from safeguard.performance.measure_models import Benchmark, MeasureSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_manager(make_user):
    return make_user("team_manager", team=TeamFactory(name="Harrow Vale Assessment"))


def _query(page) -> str:
    """The query string the page's own links carry (scope, period and snapshot)."""
    found = re.search(r'href="/performance/measures/trends/\?([^"]+)"', page.content.decode())
    assert found, "the page links to its trends"
    return html.unescape(found.group(1))


def _this_month(team, **kwargs):
    today = timezone.localdate()
    return EpisodeFactory(team=team, referral_date=today.replace(day=1), **kwargs)


def test_a_team_manager_sees_their_teams_figures_beside_englands(client, team_manager):
    child = ChildFactory(given_name="Ruby", family_name="Evans")
    EpisodeFactory(
        child=child,
        team=team_manager.team,
        referral_date=timezone.localdate() - dt.timedelta(days=200),
        closure_date=timezone.localdate() - dt.timedelta(days=150),
        reason_for_closure="RC7",
    )
    _this_month(team_manager.team, child=child)
    _this_month(TeamFactory())  # another team's referral: not in this team's figures
    client.force_login(team_manager)
    page = client.get(reverse("performance:measures"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Harrow Vale Assessment" in text
    assert "22.6% (2024-25)" in text  # England's re-referral rate beside the team's
    assert "100.0%" in text and "1 of 1" in text
    assert "Not available yet" in text  # workforce measures


def test_clicking_a_figure_lists_the_children_behind_it_and_logs_the_read(client, team_manager):
    child = ChildFactory(given_name="Ruby", family_name="Evans")
    EpisodeFactory(
        child=child,
        team=team_manager.team,
        referral_date=timezone.localdate() - dt.timedelta(days=200),
        closure_date=timezone.localdate() - dt.timedelta(days=150),
        reason_for_closure="RC7",
    )
    _this_month(team_manager.team, child=child)
    sealed = ChildFactory(is_sealed=True, given_name="Hidden", family_name="Child")
    _this_month(team_manager.team, child=sealed)
    client.force_login(team_manager)
    query = _query(client.get(reverse("performance:measures")))
    url = reverse("performance:measure_children")
    page = client.get(f"{url}?measure=re_referrals&part=numerator&{query}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ruby Evans" in text and "Hidden" not in text
    entry = AccessLogEntry.objects.filter(user=team_manager, what="child_list").latest("occurred_at")
    assert "re_referrals" in entry.detail and "1 shown of 1" in entry.detail
    assert client.get(f"{url}?measure=nonsense&{query}").status_code == 404
    assert client.get(url).status_code == 302


def test_another_teams_figures_get_a_clear_message(client, team_manager):
    other = TeamFactory()
    client.force_login(team_manager)
    page = client.get(reverse("performance:measures"), {"scope": f"team:{other.pk}"})
    assert page.status_code == 200
    assert "You can see the measures of Harrow Vale Assessment" in page.content.decode()
    assert "Figures for" not in page.content.decode()


def test_dates_out_of_order_and_in_the_future_get_a_clear_message(client, team_manager):
    client.force_login(team_manager)
    page = client.get(
        reverse("performance:measures"),
        {"period_start-day": "10", "period_start-month": "3", "period_start-year": "2026",
         "period_end-day": "1", "period_end-month": "3", "period_end-year": "2026"},
    )  # fmt: skip
    assert "The period must end on or after it starts" in page.content.decode()
    future = timezone.localdate() + dt.timedelta(days=40)
    page = client.get(
        reverse("performance:measures"),
        {"period_start-day": "1", "period_start-month": "1", "period_start-year": "2026",
         "period_end-day": str(future.day), "period_end-month": str(future.month),
         "period_end-year": str(future.year)},
    )  # fmt: skip
    assert "The period ends in the future" in page.content.decode()


def test_roles_without_measures_are_refused(client, social_worker):
    client.force_login(social_worker)
    assert client.get(reverse("performance:measures")).status_code == 403


def test_the_director_sees_the_council_and_can_export(client, make_user):
    director = make_user("director")
    _this_month(TeamFactory())
    client.force_login(director)
    page = client.get(reverse("performance:measures"))
    assert '<span class="govuk-caption-l">The council</span>' in page.content.decode()
    query = _query(page)
    csv_response = client.get(reverse("performance:measures_export_csv") + "?" + query)
    assert csv_response.status_code == 200
    text = csv_response.content.decode()
    assert "referrals" in text and "Scope,The council" in text
    xlsx = client.get(reverse("performance:measures_export_xlsx") + "?" + query)
    book = load_workbook(io.BytesIO(xlsx.content))
    assert {"About", "Referrals", "Child protection", "Definitions"} <= set(book.sheetnames)
    ids = [row[0].value for row in book["Definitions"].iter_rows(min_row=2)]
    assert "re_referrals" in ids and "cp_reviews_on_time" in ids
    assert AccessLogEntry.objects.filter(user=director, action="export").count() == 2


def test_trends_show_24_months_of_stored_figures(client, team_manager):
    EpisodeFactory(
        team=team_manager.team, referral_date=timezone.localdate().replace(day=1) - dt.timedelta(days=40)
    )
    client.force_login(team_manager)
    page = client.get(reverse("performance:measure_trends"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "Show the figures as a table" in text
    assert (
        MeasureSnapshot.objects.filter(scope_id=team_manager.team_id).values("month_end").distinct().count()
        == 24
    )


def test_an_analyst_uploads_benchmarks_and_bad_files_get_clear_messages(client, make_user):
    analyst = make_user("performance_analyst")
    client.force_login(analyst)
    url = reverse("performance:benchmark_upload")
    good = (
        b"measure,area,period,value,unit,source\nre_referrals,Statistical neighbours,2024-25,21.4,percent,L\n"
    )
    response = client.post(url, {"file": SimpleUploadedFile("b.csv", good, "text/csv")})
    assert response.status_code == 302
    assert Benchmark.objects.get(area="Statistical neighbours").value == 21.4
    wrong_headings = b"id,where,value\nre_referrals,North West,20\n"
    page = client.post(url, {"file": SimpleUploadedFile("b.csv", wrong_headings, "text/csv")})
    assert "The headings must be exactly: measure, area, period, value, unit, source" in page.content.decode()
    bad_values = b"measure,area,period,value,unit,source\nnot_a_measure,North West,2024-25,lots,percent,x\n"
    text = client.post(url, {"file": SimpleUploadedFile("b.csv", bad_values, "text/csv")}).content.decode()
    assert "Line 2: there is no measure" in text and "is not a number" in text
    assert not Benchmark.objects.filter(area="North West").exists()
    page = client.get(reverse("performance:measures"), {"scope": "council"})
    assert "Statistical neighbours: 21.4%" in page.content.decode()
    client.force_login(make_user("director"))
    assert client.get(url).status_code == 403
