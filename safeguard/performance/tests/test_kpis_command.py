"""``manage.py kpis``: every measure by its id, and a clear message for bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from safeguard.accounts.tests.factories import TeamFactory
from safeguard.casework.tests.factories import EpisodeFactory
from safeguard.people.tests.factories import ChildFactory
from safeguard.performance.measures import MEASURES, Scope, Window, compute_all

pytestmark = pytest.mark.django_db


def kpis(*args: str) -> str:
    out = io.StringIO()
    call_command("kpis", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def records():
    team = TeamFactory(name="North Assessment")
    child = ChildFactory()
    EpisodeFactory(
        child=child,
        team=team,
        referral_date=dt.date(2025, 6, 2),
        closure_date=dt.date(2025, 7, 1),
        reason_for_closure="RC7",
    )
    EpisodeFactory(child=child, team=team, referral_date=dt.date(2025, 9, 1))
    EpisodeFactory(referral_date=dt.date(2025, 10, 1))
    return team


def test_json_gives_every_measure_with_the_pages_figures(records):
    data = json.loads(kpis("--period-start", "2025-04-01", "--period-end", "2026-03-31", "--format", "json"))
    assert [m["id"] for m in data["measures"]] == [m.id for m in MEASURES]
    by_id = {m["id"]: m for m in data["measures"]}
    assert (by_id["referrals"]["numerator"], by_id["referrals"]["value"]) == (3, 3)
    assert (by_id["re_referrals"]["numerator"], by_id["re_referrals"]["denominator"]) == (1, 3)
    assert by_id["caseload"]["available"] is False
    same = {f.id: f for f in compute_all(window=Window.of(dt.date(2025, 4, 1), dt.date(2026, 3, 31)))}
    assert by_id["re_referrals"]["value"] == round(same["re_referrals"].value, 4)


def test_csv_and_table_for_a_team(records):
    period = ("--period-start", "2025-04-01", "--period-end", "2026-03-31")
    rows = list(csv.DictReader(io.StringIO(kpis(*period, "--team", str(records.pk), "--format", "csv"))))
    assert {r["id"]: r["numerator"] for r in rows}["referrals"] == "2"
    table = kpis("--period-start", "2025-04-01", "--period-end", "2026-03-31", "--team", "North Assessment")
    assert table.startswith("North Assessment: 2025-04-01 to 2026-03-31, snapshot 2026-03-31")
    assert any(line.split()[:2] == ["referrals", "2"] for line in table.splitlines())
    team_figure = {
        f.id: f
        for f in compute_all(
            window=Window.of(dt.date(2025, 4, 1), dt.date(2026, 3, 31)), scope=Scope.of_team(records)
        )
    }
    assert team_figure["referrals"].numerator == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period-start", "2026-03-31", "--period-end", "2025-04-01"), "must end on or after it starts"),
        (("--period-start", "2025-04-01", "--period-end", "2999-01-01"), "ends in the future"),
        (
            ("--period-start", "2025-04-01", "--period-end", "2026-03-31", "--snapshot", "2001-01-01"),
            "before the first record (2 June 2025)",
        ),
        (
            ("--period-start", "2025-04-01", "--period-end", "2026-03-31", "--team", "Nowhere"),
            "There is no team 'Nowhere'",
        ),
        (("--period-start", "31/03/2026", "--period-end", "2026-03-31"), "write it as YYYY-MM-DD"),
    ],
)
def test_bad_input_gets_a_clear_message(records, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        kpis(*args)
