"""``manage.py seed_demo``: fill an empty database with the fictional council."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguard.accounts.demo import DEMO_ACCOUNTS
from safeguard.accounts.models import Service, User
from safeguard.demo import shapes
from safeguard.demo.generator import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    SeedOptions,
    SeedSummary,
    default_children,
    generate,
)
from safeguard.demo.organisation import SERVICES
from safeguard.people.models import Person


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-03-31, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Build a realistic, entirely fictional council (staff, demo accounts, children, "
        "families and casework) in an empty database. The same arguments give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--children",
            type=_positive_int,
            default=None,
            help=(
                "children known to the service (default: one for every "
                f"{shapes.CHILD_POPULATION_PER_CHILD_KNOWN} children of COUNCIL_CHILD_POPULATION, "
                "so that the rates per 10,000 children look like England's)"
            ),
        )
        parser.add_argument(
            "--years",
            type=_positive_int,
            default=DEFAULT_YEARS,
            help=f"years of casework ending today (default {DEFAULT_YEARS})",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="the date the history ends, YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if the database already holds people",
        )
        parser.add_argument(
            "--chunk-size",
            type=_positive_int,
            default=DEFAULT_CHUNK_SIZE,
            help="children built in memory at a time (part of the recipe)",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="also print the summary as one JSON line, for benchmarks",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Person.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already holds people: demo data not added.")
                return
            raise CommandError(
                "The database already holds people. seed_demo fills an empty database: "
                "run it on a fresh one (or `manage.py flush` first)."
            )
        if Service.objects.filter(name__in=SERVICES).exists() or User.objects.filter(DEMO_ACCOUNTS).exists():
            raise CommandError(
                "The database already holds the demo council's services or accounts; "
                "run seed_demo on a fresh database."
            )
        seed_options = SeedOptions(
            children=options["children"] or default_children(),
            years=options["years"],
            seed=options["seed"],
            today=options["today"] or timezone.localdate(),
            chunk_size=options["chunk_size"],
        )
        if seed_options.today > timezone.localdate():
            raise CommandError("--today cannot be in the future.")
        verbose = options["verbosity"] >= 1
        self.stdout.write(
            f"Building {seed_options.children:,} children over {seed_options.years} years "
            f"to {seed_options.today:%d %B %Y} (seed {seed_options.seed})..."
        )
        population = shapes.child_population_for(seed_options.children)
        if population != shapes.child_population_for(default_children()):
            # Not an error: a small council is quicker to build, its rates just read low.
            self.stdout.write(
                f"These children stand for a council of about {population:,} children; "
                f"COUNCIL_CHILD_POPULATION is {settings.COUNCIL_CHILD_POPULATION:,}, so rates "
                "per 10,000 will not look like England's unless it is set to match."
            )
        summary = generate(seed_options, progress=self.stdout.write if verbose else None)
        self._print_summary(summary)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), sort_keys=True))

    def _print_summary(self, summary: SeedSummary) -> None:
        width = max(len(name) for name in summary.rows)
        self.stdout.write("")
        self.stdout.write(f"{'Table':<{width}}  {'Rows':>10}")
        for name, count in summary.rows.items():
            self.stdout.write(f"{name:<{width}}  {count:>10,}")
        self.stdout.write(f"{'Total':<{width}}  {summary.total_rows:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {summary.seconds:.1f} s "
                f"({summary.rows_per_second:,.0f} rows per second). "
                "Run `manage.py demo_logins` for the demo accounts."
            )
        )
