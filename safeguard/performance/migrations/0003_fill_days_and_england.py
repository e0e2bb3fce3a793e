"""Reference data: the working-day calendar for 2000-2040 and England's benchmarks."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.db import migrations

ENGLAND_CSV = Path(__file__).resolve().parent.parent / "data" / "england_benchmarks.csv"


def fill(apps: Any, schema_editor: Any) -> None:
    from safeguard.performance.calendar import FILLED_FROM, FILLED_TO, day_row

    Day = apps.get_model("performance", "Day")
    rows = []
    day = FILLED_FROM
    while day <= FILLED_TO:
        made = day_row(day)
        rows.append(Day(**{f.attname: getattr(made, f.attname) for f in made._meta.concrete_fields}))
        day += dt.timedelta(days=1)
    Day.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    Benchmark = apps.get_model("performance", "Benchmark")
    with ENGLAND_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Benchmark.objects.update_or_create(
                measure=row["measure"],
                area=row["area"],
                period=row["period"],
                defaults={"value": float(row["value"]), "unit": row["unit"], "source": row["source"]},
            )


def empty(apps: Any, schema_editor: Any) -> None:
    apps.get_model("performance", "Day").objects.all().delete()
    apps.get_model("performance", "Benchmark").objects.filter(area="England").delete()


class Migration(migrations.Migration):
    dependencies = [("performance", "0002_measures")]
    operations = [migrations.RunPython(fill, empty)]
