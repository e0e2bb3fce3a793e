"""Benchmark the CIN census on a large fictional council: the file, the report, peak memory.

Targets (issue 13): the census of 25,000 children in under 60 seconds, and the
pre-submission report over the same data in under 30 seconds, with the file built
streaming. A demo council of N children known to the service has about a third of them in
a year's census, so 25,000 census children need a council of about 75,000 (the default).

The database is seeded once (``seed_demo --if-empty``) and kept between runs. Peak memory
is the process's peak resident set (``resource``) after each phase, and the peak of Python
allocations during it (``tracemalloc``, only with ``--tracemalloc``: it slows the run, so
the times are then not the ones to quote).

    .venv/bin/python bench/bench_census.py --database-url postgres://postgres@127.0.0.1:5432/safeguard_bench_census
    .venv/bin/python bench/bench_census.py --sqlite --children 2000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CENSUS_SECONDS = 60.0
REPORT_SECONDS = 30.0


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _phase(name: str, work: Callable[[], Any], *, trace: bool) -> tuple[Any, dict[str, float]]:
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    value = work()
    seconds = time.perf_counter() - start
    measured: dict[str, float] = {"seconds": round(seconds, 2), "peak_rss_mb": _peak_rss_mb()}
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        measured["peak_python_mb"] = round(peak / 1024 / 1024, 1)
    print(f"{name}: {measured}", file=sys.stderr)
    return value, measured


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--database-url")
    where.add_argument("--sqlite", action="store_true", help="a scratch SQLite file in the temp folder")
    parser.add_argument(
        "--children",
        type=int,
        default=75_000,
        help="children to seed when the database is empty (a seeded one is used as it is)",
    )
    parser.add_argument("--year", type=int, default=2026, help="the census year (31 March)")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations")
    args = parser.parse_args()

    scratch = Path(tempfile.gettempdir()) / f"census_bench_{args.children}.sqlite3"
    url = args.database_url or f"sqlite:///{scratch}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "safeguard.settings.test"}
    if args.database_url:
        from bench_casework import _ensure_database  # the scratch PostgreSQL database, made once

        _ensure_database(url)
    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_demo", "--children", str(args.children), "--years", "5", "--seed", "7", "--if-empty")

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from lxml import etree

    from safeguard.accounts.models import Role, User
    from safeguard.people.models import Person
    from safeguard.returns.cin_census.report import cin_report
    from safeguard.returns.cin_census.services import cin_census_build
    from safeguard.returns.cin_census.spec import schema_for

    analyst = User.objects.filter(role=Role.PERFORMANCE_ANALYST, is_active=True).first()
    assert analyst is not None, "the demo council has a performance analyst"
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "census.xml"
        build, census = _phase(
            "census",
            lambda: cin_census_build(actor=None, year=args.year, output=output),
            trace=args.tracemalloc,
        )
        schema = schema_for(args.year)
        valid = schema.validate(etree.parse(str(output)))
        file_mb = round(output.stat().st_size / 1024 / 1024, 1)
    report, report_measured = _phase(
        "report", lambda: cin_report(user=analyst, year=args.year), trace=args.tracemalloc
    )
    results = {
        "bench": "census",
        "database": "postgresql" if args.database_url else "sqlite",
        # Counted, not the argument: make bench runs this on the council it seeded earlier.
        "children_known": Person.objects.filter(la_child_id__isnull=False).count(),
        "census_children": build.children_written,
        "children_left_out": len(build.excluded_children),
        "file_mb": file_mb,
        "file_validates": bool(valid),
        "rule_errors": len(build.rule_errors),
        "rule_queries": len(build.rule_queries),
        "census": {**census, "target_seconds": CENSUS_SECONDS, "met": census["seconds"] < CENSUS_SECONDS},
        "report": {
            **report_measured,
            "rows": len(report.rows),
            "target_seconds": REPORT_SECONDS,
            "met": report_measured["seconds"] < REPORT_SECONDS,
        },
    }
    if build.children_written < 25_000:
        results["note"] = f"{build.children_written:,} census children: the targets are for 25,000"
    print(json.dumps(results))


if __name__ == "__main__":
    main()
