"""Benchmark the measures on a large fictional council.

Targets (issue 14, PostgreSQL, 100,000 children and 5 years of history): the council's
full measures page cold (nothing cached) under 2 seconds, and under 200 ms when nothing has
changed (cached); ``kpis`` for a year and the whole council under 10 seconds. Requests go
through Django's test client in this process (no network).

    .venv/bin/python bench/bench_measures.py --database-url postgres://postgres@127.0.0.1:5432/safeguard_bench_measures
    .venv/bin/python bench/bench_measures.py --sqlite --children 1500   # a quick look, not the target
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def _ensure_database(url: str) -> None:
    """Create the scratch PostgreSQL database on first use (kept between runs)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "runs": len(ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database-url")
    target.add_argument("--sqlite", action="store_true", help="a temporary SQLite file (small, quick)")
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if args.sqlite:
        database_url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-measures-')) / 'bench.sqlite3'}"
    else:
        database_url = args.database_url
        _ensure_database(database_url)
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "safeguard.settings.test"}
    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_demo", "--children", str(args.children), "--years", "5", "--seed", "7", "--if-empty")

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from safeguard.accounts.models import Role, User
    from safeguard.casework.models import CINEpisode
    from safeguard.performance.headlines import reporting_year_start

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics after the bulk load, as autovacuum would
    director = User.objects.filter(role=Role.DIRECTOR, is_active=True).first()
    assert director is not None, "the demo council has a director"
    client = Client()
    client.force_login(director)
    path = "/performance/measures/?scope=council"

    cold: list[float] = []
    for _ in range(args.runs):
        cache.clear()
        start = time.perf_counter()
        response = client.get(path)
        cold.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    warm: list[float] = []
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get(path)
        warm.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200

    today = timezone.localdate()
    year_start = reporting_year_start(today)
    # The last whole DfE year (1 April to 31 March).
    last_year_start = year_start.replace(year=year_start.year - 1)
    last_year_end = year_start - dt.timedelta(days=1)
    kpis: list[float] = []
    for _ in range(max(3, args.runs // 3)):
        start = time.perf_counter()
        call_command(
            "kpis",
            "--period-start",
            last_year_start.isoformat(),
            "--period-end",
            last_year_end.isoformat(),
            "--format",
            "json",
            stdout=io.StringIO(),
        )
        kpis.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                "bench": "measures",
                "database": "sqlite" if args.sqlite else "postgresql",
                "episodes": CINEpisode.objects.count(),
                "council_page_cold": _summary(cold),
                "council_page_warm": _summary(warm),
                "kpis_year_council": _summary(kpis),
                "targets": {"cold_ms": 2000, "warm_ms": 200, "kpis_ms": 10000},
            }
        )
    )


if __name__ == "__main__":
    main()
