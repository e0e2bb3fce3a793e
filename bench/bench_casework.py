"""Benchmark casework pages on a large fictional council in PostgreSQL.

Targets (issue 5): a worker's case list and a team's clock board with 10,000+ open cases,
median under 300 ms; the child's record page, median under 200 ms. Requests go through
Django's test client in this process (no network), with a real PostgreSQL database.

    .venv/bin/python bench/bench_casework.py --database-url postgres://postgres@127.0.0.1:5432/safeguard_bench_casework
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
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
    """Create the scratch database on first use (kept between runs: seeding takes minutes)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _prepare(url: str, children: int, env: dict[str, str]) -> None:
    _ensure_database(url)
    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_demo", "--children", str(children), "--years", "5", "--seed", "7", "--if-empty")
    print(_manage(env, "clocks", "backfill").strip(), file=sys.stderr)


def _timed(client, path: str, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    client.get(path)  # warm the caches and the connection
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


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
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "safeguard.settings.test",
    }
    _prepare(args.database_url, args.children, env)

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Count, Q
    from django.test import Client

    from safeguard.accounts.models import Role, User
    from safeguard.casework.models import CINEpisode, StatutoryClock

    open_episodes = CINEpisode.objects.filter(closure_date__isnull=True).count()
    worker = (
        User.objects.filter(role=Role.SOCIAL_WORKER)
        .annotate(n=Count("allocated_episodes", filter=Q(allocated_episodes__closure_date__isnull=True)))
        .order_by("-n")
        .first()
    )
    manager = (
        User.objects.filter(role=Role.TEAM_MANAGER)
        .annotate(n=Count("team__episodes", filter=Q(team__episodes__closure_date__isnull=True)))
        .order_by("-n")
        .first()
    )
    assert worker is not None and manager is not None
    children = list(
        CINEpisode.objects.filter(closure_date__isnull=True, team=manager.team).values_list(
            "child_id", flat=True
        )[: args.runs]
    )
    client = Client()
    client.force_login(worker)
    results = {
        "open_episodes": open_episodes,
        "running_clocks": StatutoryClock.objects.filter(met_date__isnull=True, stopped_reason="").count(),
        "worker_case_list": _summary(_timed(client, "/home/", args.runs)),
        "worker_clocks": _summary(_timed(client, "/casework/clocks/", args.runs)),
    }
    client.force_login(manager)
    results["team_clock_board"] = _summary(_timed(client, "/casework/clocks/?show=team", args.runs))
    results["team_manager_home"] = _summary(_timed(client, "/home/", args.runs))
    child_times: list[float] = []
    for child_id in children:
        child_times.extend(_timed(client, f"/children/{child_id}/", 1))
    results["child_record"] = _summary(child_times)
    print(json.dumps({"bench": "casework", **results}))


if __name__ == "__main__":
    main()
