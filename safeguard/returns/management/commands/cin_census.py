"""``manage.py cin_census --year 2026 --output census.xml``: write the DfE children in need census."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.returns.cin_census.services import NoCensusData, cin_census_build
from safeguard.returns.cin_census.spec import CensusYearError

# A summary, not the whole list: the pre-submission report holds every failure.
LISTED_PER_KIND = 20


class Command(BaseCommand):
    help = "Write the CIN census XML for the collection year ending 31 March YEAR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="year of the reference date (31 March)")
        parser.add_argument("--output", type=Path, required=True, help="the XML file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        output: Path = options["output"]
        try:
            build = cin_census_build(actor=None, year=year, output=output)
        except (CensusYearError, NoCensusData) as error:
            raise CommandError(str(error)) from error
        run = build.run
        self.stdout.write(
            f"Wrote {output}: {build.children_written:,} children for {build.year.label} "
            f"({run.spec_version}) in {build.seconds:.1f} s."
        )
        if build.schema_problems:
            self.stdout.write(
                f"{len(build.excluded_children):,} children were left out because their record "
                "would break the schema:"
            )
            for problem in build.schema_problems[:LISTED_PER_KIND]:
                self.stdout.write(f"  {problem.la_child_id}: {problem.path}: {problem.message}")
        else:
            self.stdout.write("Every child's record passes the schema.")
        counts = Counter((f.severity, f.rule) for f in build.rule_failures)
        self.stdout.write(
            f"DfE rules: {len(build.rule_errors):,} errors and {len(build.rule_queries):,} queries."
        )
        for (severity, number), count in sorted(counts.items()):
            self.stdout.write(f"  {number} ({severity}): {count:,}")
        for failure in build.return_failures:
            self.stdout.write(f"  {failure.rule} (the whole return): {failure.message}")
