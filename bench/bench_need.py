"""Benchmark the analysis of need on a large fictional council.

Target (issue 14, PostgreSQL, 100,000 children and 5 years of history): the need analysis
page under 2 seconds. Three timings, each the median and p95 of repeated runs through
Django's test client in this process (no network; statsmodels already imported, as in a
running server):

- ``cold``: nothing cached (the analysis and the four forecast fits);
- ``changed``: a record has changed since the last view (the analysis is counted again;
  the forecasts, cached by the whole months they come from, are not fitted again);
- ``cached``: nothing has changed.

    .venv/bin/python bench/bench_need.py --database-url postgres://postgres@127.0.0.1:5432/safeguard_bench_need
    .venv/bin/python bench/bench_need.py --sqlite --children 1500   # a quick look, not the target
"""

from __future__ import annotations

import argparse
import importlib
import itertools
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
        database_url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-need-')) / 'bench.sqlite3'}"
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
    importlib.import_module("statsmodels.tsa.exponential_smoothing.ets")  # as a running server has it
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from safeguard.accounts.models import Role, User
    from safeguard.casework.models import CINEpisode
    from safeguard.performance import need_selectors

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics after the bulk load, as autovacuum would
    director = User.objects.filter(role=Role.DIRECTOR, is_active=True).first()
    assert director is not None, "the demo council has a director"
    client = Client()
    client.force_login(director)
    path = "/performance/need/"

    def timed() -> float:
        start = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - start) * 1000

    cold = []
    for _ in range(args.runs):
        cache.clear()
        cold.append(timed())
    real_fingerprint = need_selectors._fingerprint
    changes = itertools.count()
    need_selectors._fingerprint = lambda: f"{real_fingerprint()}-{next(changes)}"
    changed = [timed() for _ in range(args.runs)]
    need_selectors._fingerprint = real_fingerprint
    timed()
    cached = [timed() for _ in range(args.runs)]
    print(
        json.dumps(
            {
                "bench": "need",
                "database": "sqlite" if args.sqlite else "postgresql",
                "episodes": CINEpisode.objects.count(),
                "need_page_cold": _summary(cold),
                "need_page_changed": _summary(changed),
                "need_page_cached": _summary(cached),
                "targets": {"page_ms": 2000},
            }
        )
    )


if __name__ == "__main__":
    main()
