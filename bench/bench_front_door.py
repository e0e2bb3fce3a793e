"""Benchmark the front door (issue 4) on a scratch database.

Targets: matching a new contact against 1,000,000 people, p95 under 200 ms (PostgreSQL,
pg_trgm GIN indexes); the triage queue with 10,000 open contacts, median under 300 ms;
public reports at least 50 a second sustained, none lost or duplicated.

    .venv/bin/python bench/bench_front_door.py \\
        --database-url postgres://postgres@127.0.0.1:5432/safeguard_bench_front_door
    .venv/bin/python bench/bench_front_door.py --sqlite --people 50000

People are inserted straight into the database (one INSERT ... SELECT generate_series on
PostgreSQL, bulk_create on SQLite), since a million records through the demo generator
would take far longer than the measurement. Requests go through Django's test client in
this process (no network). Prints one JSON line with medians and p95s in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SURNAME_PARTS = ("Ash", "Black", "Brook", "Car", "Dun", "Fair", "Green", "Hart", "Kings", "Lang", "Mor", "Ox")
SURNAME_ENDS = ("ley", "wood", "ford", "ton", "well", "by", "field", "ham", "more", "ridge", "stone", "worth")


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "runs": len(ordered),
    }


def _names() -> tuple[list[str], list[str]]:
    from safeguard.demo.names import ALL_POOLS

    given = sorted({n for pool in ALL_POOLS for n in (*pool.boys, *pool.girls)})
    family = sorted({n for pool in ALL_POOLS for n in pool.surnames})
    # A long tail of rarer surnames, as in a real population.
    family += [f"{a}{b}" for a in SURNAME_PARTS for b in SURNAME_ENDS]
    return given, family


def _people_postgres(count: int) -> None:
    from django.db import connection

    given, family = _names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        have = cursor.fetchone()[0]
        if have >= count:
            return
        cursor.execute(
            """
            INSERT INTO people_person (id, la_child_id, given_name, family_name, preferred_name,
                date_of_birth, sex, ethnicity, nhs_number, upn, former_upn, upn_unknown_reason,
                is_sealed, seal_reason, created_at, modified_at)
            SELECT gen_random_uuid(), 'B' || lpad(i::text, 9, '0'),
                   (%(given)s::text[])[1 + abs(hashtext(i::text || 'g')) %% cardinality(%(given)s::text[])],
                   (%(family)s::text[])[1 + abs(hashtext(i::text || 'f')) %% cardinality(%(family)s::text[])],
                   '', DATE '2008-01-01' + abs(hashtext(i::text || 'd')) %% 6570, 'U', 'NOBT',
                   '', '', '', '', false, '', now(), now()
            FROM generate_series(%(start)s, %(end)s) AS i
            """,
            {"given": given, "family": family, "start": have + 1, "end": count},
        )
        cursor.execute("ANALYZE people_person")


def _people_sqlite(count: int) -> None:
    from safeguard.people.models import Person

    have = Person.objects.count()
    given, family = _names()
    rng = random.Random(4)
    rows = []
    for i in range(have + 1, count + 1):
        rows.append(
            Person(
                la_child_id=f"B{i:09d}",
                given_name=rng.choice(given),
                family_name=rng.choice(family),
                date_of_birth=dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(6570)),
            )
        )
        if len(rows) == 5000:
            Person.objects.bulk_create(rows)
            rows = []
    Person.objects.bulk_create(rows)


def _typo(name: str, rng: random.Random) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _bench_matching(user: Any, runs: int) -> dict[str, float]:
    from safeguard.frontdoor.models import Contact
    from safeguard.frontdoor.selectors import match_candidates
    from safeguard.people.models import Person

    rng = random.Random(11)
    total = Person.objects.count()
    times: list[float] = []
    found = 0
    for n in range(runs):
        person = Person.objects.filter(la_child_id=f"B{rng.randrange(1, total):09d}").first()
        if person is None:
            continue
        contact = Contact(
            child_given_name=person.given_name,
            child_family_name=_typo(person.family_name, rng) if n % 2 else person.family_name,
            child_date_of_birth=person.date_of_birth,
        )
        start = time.perf_counter()
        matches = match_candidates(user=user, contact=contact)
        times.append((time.perf_counter() - start) * 1000)
        found += any(m.person.pk == person.pk for m in matches)
    return {**_summary(times), "right_person_found": found}


def _open_contacts(count: int) -> int:
    from django.utils import timezone

    from safeguard.frontdoor.clock import decision_due
    from safeguard.frontdoor.models import OPEN_STATUSES, Contact
    from safeguard.frontdoor.services import new_reference

    have = Contact.objects.filter(status__in=OPEN_STATUSES).count()
    rng = random.Random(5)
    now = timezone.now()
    rows = []
    for i in range(max(0, count - have)):
        received = now - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 5))
        day = timezone.localdate(received)
        rows.append(
            Contact(
                reference=new_reference(),
                received_at=received,
                received_on=day,
                decision_due=decision_due(day),
                reporter_type="public",
                referral_source="9",
                danger="yes" if i % 20 == 0 else "no",
                immediate_danger=i % 20 == 0,
                concern="Benchmark contact",
                child_given_name="Bench",
                child_family_name="Mark",
            )
        )
    Contact.objects.bulk_create(rows, batch_size=2000)
    return Contact.objects.filter(status__in=OPEN_STATUSES).count()


def _timed_get(client: Any, path: str, runs: int) -> list[float]:
    client.get(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


REPORT = (
    ("who", {"reporter_type": "public", "website": ""}),
    ("danger", {"danger": "no"}),
    ("what-happened", {"concern": "Left alone at night.", "concern_when": ""}),
    ("child", {"given_name": "Amira", "family_name": "Hughes", "postcode": "HM1 4AB"}),
    ("adults", {"adults": ""}),
    ("about-you", {"name": "", "relationship": "", "phone": "", "email": ""}),
)


def _bench_submissions(count: int) -> dict[str, float]:
    """Each report through every question page, then Check answers submitted twice (a
    double click): reports per second, and how many contacts were created."""
    from django.test import Client

    from safeguard.core.models import Draft
    from safeguard.frontdoor.models import Contact

    before = Contact.objects.count()
    clients = []
    start = time.perf_counter()
    for _ in range(count):
        client = Client()
        for slug, data in REPORT:
            client.post(f"/report-a-concern/{slug}/", data)
        clients.append(client)
    pages_seconds = time.perf_counter() - start
    drafts = [
        Draft.objects.filter(journey="report_concern", session_key=c.session.session_key).values_list(
            "pk", flat=True
        )[0]
        for c in clients
    ]
    start = time.perf_counter()
    for client, draft in zip(clients, drafts, strict=True):
        for _ in range(2):
            response = client.post("/report-a-concern/check-answers/", {"draft": str(draft)})
            assert response.status_code == 302, response.status_code
    submit_seconds = time.perf_counter() - start
    created = Contact.objects.count() - before
    return {
        "reports": count,
        "contacts_created": created,
        "submits_per_second": round(count / submit_seconds, 1),
        "whole_journeys_per_second": round(count / (pages_seconds + submit_seconds), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (created and migrated)")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--open-contacts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--reports", type=int, default=300)
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safeguard.settings.test"}
    if args.sqlite:
        env["SAFEGUARD_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-front-door-")
        env.pop("DATABASE_URL", None)
    elif args.database_url:
        env["DATABASE_URL"] = args.database_url
        _create_database(args.database_url)
    else:
        raise SystemExit("Give --database-url (PostgreSQL) or --sqlite")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from safeguard.accounts.models import Role, User

    # The bench posts from one address: lift the per-IP limits for this process only.
    settings.FRONT_DOOR_REPORTS_PER_IP = 10**9
    settings.FRONT_DOOR_STEPS_PER_IP = 10**9

    started = time.perf_counter()
    if connection.vendor == "postgresql":
        _people_postgres(args.people)
    else:
        _people_sqlite(args.people)
    build_seconds = round(time.perf_counter() - started, 1)
    user, _ = User.objects.get_or_create(
        username="bench-front-door@staff.example", defaults={"role": Role.FRONT_DOOR_PRACTITIONER}
    )
    results: dict[str, Any] = {"bench": "front_door", "database": connection.vendor, "people": args.people}
    results["people_build_seconds"] = build_seconds
    results["matching"] = _bench_matching(user, args.runs)
    results["open_contacts"] = _open_contacts(args.open_contacts)
    client = Client()
    client.force_login(user)
    results["queue_page"] = _summary(_timed_get(client, "/front-door/", args.runs))
    results["queue_page_danger_filter"] = _summary(_timed_get(client, "/front-door/?danger=yes", args.runs))
    results["public_reports"] = _bench_submissions(args.reports)
    print(json.dumps(results))


def _create_database(url: str) -> None:
    """Create the scratch database if it does not exist (never drops anything)."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
