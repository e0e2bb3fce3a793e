"""Reference data and stored figures for the performance measures.

``Day`` is the working-day calendar as a table, so that a duration in working days is a
subtraction of two ordinals inside the query rather than a Python loop over records.
"""

from __future__ import annotations

from django.db import models

from safeguard.core.models import BaseModel


class Day(models.Model):
    """One calendar day, with what the measures need to know about it (core.calendar).

    ``working_day`` is a running ordinal: the number of working days after
    ``calendar.DAY_EPOCH`` up to and including this day. For any two days the difference of
    their ordinals is ``core.calendar.working_days_between`` of them (the start is day 0).
    """

    date = models.DateField(primary_key=True)
    is_working_day = models.BooleanField()
    working_day = models.IntegerField(help_text="Working days after the epoch, up to and including this day.")
    year_before = models.DateField(help_text="The same day 12 calendar months earlier.")
    two_years_after = models.DateField(help_text="The same day 24 calendar months later.")
    first_review_due = models.DateField(
        help_text="A first review conference due from this day (3 months, on or before a working day)."
    )
    later_review_due = models.DateField(
        help_text="A later review conference due from this day (6 months, on or before a working day)."
    )

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}"


class MeasureSnapshot(BaseModel):
    """A measure's figure at the end of a month, stored by the month-end job so that a past
    month never changes when old records are corrected."""

    month_end = models.DateField(db_index=True)
    measure = models.CharField(max_length=48)
    scope_level = models.CharField(max_length=16)
    scope_id = models.UUIDField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True, help_text="A count, or FTE for workforce measures.")
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["month_end", "measure"]
        constraints = [
            # The council's rows have no scope_id; ``snapshots.snapshot_month`` replaces a
            # month's rows for a scope in one transaction, so they are never doubled.
            models.UniqueConstraint(
                fields=["month_end", "measure", "scope_level", "scope_id"],
                name="one_snapshot_per_measure_scope_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} at {self.month_end:%d %B %Y}"


class Benchmark(BaseModel):
    """A comparator's figure for a measure: England (benchmarks.csv, loaded as reference
    data), or the statistical neighbours and the region (a CSV an analyst uploads)."""

    measure = models.CharField(max_length=48)
    area = models.CharField(max_length=120)
    period = models.CharField(max_length=20)
    value = models.FloatField()
    unit = models.CharField(max_length=40)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["measure", "area", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area", "period"], name="one_benchmark_per_area_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.area} {self.period}"


class LocalTarget(BaseModel):
    """The council's own target for a measure (by its id in kpis.md), set by a director or
    a performance analyst (``targets.local_targets_save``). Who set it and when are
    ``modified_by`` and ``modified_at``; no row means no target."""

    measure = models.CharField(max_length=48, unique=True)
    value = models.FloatField()

    class Meta:
        ordering = ["measure"]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value:g}"
