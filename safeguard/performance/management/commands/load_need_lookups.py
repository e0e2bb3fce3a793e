"""``manage.py load_need_lookups --wards wards.csv`` or ``--population population.csv``:
replace the postcode-to-ward lookup or the child populations the analysis of need uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.performance.need_lookups import HEADINGS, need_lookup_load
from safeguard.performance.need_models import LookupKind


class Command(BaseCommand):
    help = (
        "Load a postcode to ward lookup (headings: postcode,ward_code,ward_name) or child "
        "populations (headings: kind,group,children) for the analysis of need."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--wards", type=Path, help="CSV: " + ",".join(HEADINGS[LookupKind.WARDS]))
        which.add_argument(
            "--population", type=Path, help="CSV: " + ",".join(HEADINGS[LookupKind.POPULATION])
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = LookupKind.WARDS if options["wards"] else LookupKind.POPULATION
        path: Path = options["wards"] or options["population"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"There is no file {path}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not a UTF-8 text file: save it as CSV (UTF-8).") from None
        try:
            load = need_lookup_load(actor=None, kind=kind, source_name=path.name, text=text)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(f"Loaded {load.rows:,} rows from {path.name}: {load.get_kind_display().lower()}.")
