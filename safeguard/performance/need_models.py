"""What the analysis of need reads besides the case records: where postcodes lie (wards)
and how many children live in each area or age band (for rates per 10,000).

Both are loaded from a CSV by a director or performance analyst on the upload page reached
from the need analysis, or with ``load_need_lookups``; a new load replaces the old one
whole. The loads themselves are kept, so the page can say which lookup it used and when
it was loaded.
"""

from __future__ import annotations

from django.db import models

from safeguard.core.models import BaseModel


class LookupKind(models.TextChoices):
    WARDS = "wards", "Postcode to ward lookup"
    POPULATION = "population", "Child population estimates"


class NeedLookupLoad(BaseModel):
    """One load of a lookup file: what it was, how many rows, who loaded it (created_by)."""

    kind = models.CharField(max_length=16, choices=LookupKind.choices)
    source_name = models.CharField(max_length=200, help_text="The file's name, as uploaded.")
    rows = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.source_name} ({self.rows} rows)"


class PostcodeWard(BaseModel):
    """The ward a full postcode lies in (the council's own lookup, e.g. from the ONS
    postcode directory). Postcodes are stored normalised: upper case, one space."""

    postcode = models.CharField(max_length=8, unique=True)
    ward_code = models.CharField(max_length=12)
    ward_name = models.CharField(max_length=120)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return f"{self.postcode}: {self.ward_name}"


class PopulationKind(models.TextChoices):
    DISTRICT = "district", "Postcode district"
    WARD = "ward", "Ward"
    AGE_BAND = "age_band", "Age band"


class ChildPopulation(BaseModel):
    """Children aged 0 to 17 living in an area (a postcode district or a ward, by its name)
    or in an age band (by the band's label in ``performance.need.AGE_BANDS``)."""

    kind = models.CharField(max_length=16, choices=PopulationKind.choices)
    group = models.CharField(max_length=120)
    children = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind", "group"]
        constraints = [models.UniqueConstraint(fields=["kind", "group"], name="child_population_once")]

    def __str__(self) -> str:
        return f"{self.group}: {self.children}"
