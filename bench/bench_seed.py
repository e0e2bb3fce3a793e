"""Benchmark the demo generator (``manage.py seed_demo``) on a fresh database.

PostgreSQL (drops and recreates the named database, so point it at a scratch one)::

    .venv/bin/python bench/bench_seed.py --children 100000 --years 5 \\
        --database-url postgres://postgres@127.0.0.1:5432/safeguard_bench

SQLite, a small council (2,000 children, 5 years; ``make run`` builds 10,000) into a
temporary file::

    .venv/bin/python bench/bench_seed.py --sqlite

It migrates the database and runs ``seed_demo`` in subprocesses, exactly as an operator
would, then prints one JSON line: children, years, total rows, seconds (wall clock of the
seed_demo process, start-up included), rows per second, the peak resident memory of the
seed_demo process (and of all child processes, via getrusage), and the rows per table.
``--measure`` adds the data's shapes (police share, re-referrals, assessment and
conference timeliness...) as a second JSON line, with its figures beside England's
(``england_comparison``) for the population that many children stand for.

``--skip-setup`` uses a PostgreSQL database that is already migrated and empty, for when
the migrations cannot run here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
MANAGE = REPO / "manage.py"


def _run_measured(args: list[str], env: dict[str, str]) -> tuple[str, int]:
    """Run ``manage.py`` with ``args``: its standard output and its own peak RSS in KB.

    ``os.wait4`` gives the resource usage of this one child, where
    ``getrusage(RUSAGE_CHILDREN)`` would report the largest of all children so far.
    """
    process = subprocess.Popen(
        [sys.executable, str(MANAGE), *args],
        env=env,
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed with exit code {process.returncode}")
    return output, usage.ru_maxrss  # kilobytes on Linux


def _run(args: list[str], env: dict[str, str]) -> str:
    """Run ``manage.py`` with ``args``; stop the benchmark if it fails."""
    return _run_measured(args, env)[0]


def _recreate_postgres(url: str) -> None:
    """Drop and create the database named in ``url``, via the server's "postgres" db."""
    import psycopg  # only needed for PostgreSQL runs
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"Refusing to drop the database {name!r}: name a scratch database")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        quoted = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(quoted))


def _environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings.dev")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _seed(env: dict[str, str], options: argparse.Namespace) -> tuple[dict[str, Any], float, int]:
    args = [
        "seed_demo",
        "--children",
        str(options.children),
        "--years",
        str(options.years),
        "--seed",
        str(options.seed),
        "--json",
        "-v",
        "0",
    ]
    if options.today:
        args += ["--today", options.today]
    started = time.perf_counter()
    output, peak_kb = _run_measured(args, env)
    seconds = time.perf_counter() - started
    summary = json.loads(output.strip().splitlines()[-1])
    return summary, seconds, peak_kb


def _measure(env: dict[str, str], today: str | None, children: int) -> dict[str, Any]:
    """The data's shapes, and its figures beside England's for the child population that
    this many children stand for (shapes.child_population_for)."""
    day = f"datetime.date.fromisoformat({today!r})" if today else "timezone.localdate()"
    code = (
        "import datetime, json; from django.utils import timezone; "
        "from safeguard.demo.measures import england_comparison, measure; "
        "from safeguard.demo.shapes import child_population_for; "
        f"result = measure({day}); "
        f"result['england_comparison'] = england_comparison({day}, child_population_for({children})); "
        "print(json.dumps(result, default=str))"
    )
    output = _run(["shell", "-v", "0", "-c", code], env)
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database-url", help="PostgreSQL URL of a scratch database")
    target.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", help="YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--skip-setup",
        action="store_true",
        help="PostgreSQL: use the database as it is (migrated and empty)",
    )
    parser.add_argument(
        "--measure",
        action="store_true",
        help="also print the data's shapes (kpis.md measures) as JSON",
    )
    options = parser.parse_args(argv)

    scratch: Path | None = None
    if options.sqlite:
        scratch = Path(tempfile.mkdtemp(prefix="safeguard-bench-"))
        database_url = f"sqlite:///{scratch / 'bench.sqlite3'}"
    else:
        database_url = options.database_url
        if not options.skip_setup:
            _recreate_postgres(database_url)
    env = _environment(database_url)
    try:
        if options.sqlite or not options.skip_setup:
            _run(["migrate", "-v", "0"], env)
        summary, seconds, peak_kb = _seed(env, options)
        # Largest of all child processes so far (migrate and seed_demo), for comparison.
        children_peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        total = int(summary["total_rows"])
        print(
            json.dumps(
                {
                    "database": "sqlite" if options.sqlite else "postgresql",
                    "children": options.children,
                    "years": options.years,
                    "seed": options.seed,
                    "total_rows": total,
                    "seconds": round(seconds, 2),
                    "generator_seconds": summary["seconds"],
                    "rows_per_second": round(total / seconds, 1),
                    "peak_rss_mb": round(peak_kb / 1024, 1),
                    "children_peak_rss_mb": round(children_peak_kb / 1024, 1),
                    "tables": summary["tables"],
                }
            )
        )
        if options.measure:
            print(json.dumps({"measures": _measure(env, options.today, options.children)}))
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
