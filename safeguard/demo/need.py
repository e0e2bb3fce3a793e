"""The fictional council's lookups for the analysis of need: a postcode to ward lookup for
its postcode districts, and child population estimates by district, ward and age band.

Made from the addresses the generator wrote (every postcode in use gets a ward: each
district is split into two fictional wards by its sector), and loaded through the same
checked CSV loader an analyst uses. The populations share ``COUNCIL_CHILD_POPULATION``
among the districts in proportion to the children known there, varied a little so that
the rates per 10,000 differ from place to place, and among the age bands as England's
0 to 17 population is shared.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter

from django.conf import settings

from safeguard.demo import names
from safeguard.people.models import Address
from safeguard.performance.need_lookups import need_lookup_seed
from safeguard.performance.need_models import LookupKind

WARD_NAMES = ("Abbey", "Brookside", "Castle", "Fieldgate", "Grange", "Heath", "Millbank", "Orchard")
#: England's children aged 0 to 17 by age band, roughly (mid-year estimates).
AGE_BAND_SHARES = {"Under 1": 0.053, "1 to 4": 0.215, "5 to 9": 0.28, "10 to 15": 0.345, "16 and over": 0.107}


def _town(district_number: int) -> str:
    for town, numbers in names.TOWNS:
        if district_number in numbers:
            return town
    return names.TOWNS[0][0]


def _ward_for(postcode: str) -> tuple[str, str]:
    outward, _, inward = postcode.partition(" ")
    number = int(outward[len(names.POSTCODE_AREA) :] or 0)
    half = ord(inward[1:2] or "A") % 2
    name = f"{_town(number)} {WARD_NAMES[(number * 2 + half) % len(WARD_NAMES)]}"
    return f"HMW{number:02d}{half + 1}", name


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _share(total: int, weights: dict[str, float]) -> dict[str, int]:
    whole = sum(weights.values()) or 1.0
    return {group: max(1, round(total * weight / whole)) for group, weight in weights.items()}


def add_need_lookups(*, seed: int) -> Counter[str]:
    """Load the demo's ward lookup and populations; the rows loaded, by table."""
    rng = random.Random(f"need-{seed}")
    counts: Counter[str] = Counter()
    postcodes = sorted(set(Address.objects.values_list("postcode", flat=True)))
    if not postcodes:
        return counts
    wards = {postcode: _ward_for(postcode) for postcode in postcodes}
    text = _csv(
        ["postcode", "ward_code", "ward_name"], [[p, code, name] for p, (code, name) in wards.items()]
    )
    counts["performance.PostcodeWard"] = need_lookup_seed(
        kind=LookupKind.WARDS, source_name="harrowmere-wards.csv", text=text
    ).rows
    known = Counter(
        postcode
        for postcode in Address.objects.filter(
            person__la_child_id__isnull=False, end_date__isnull=True
        ).values_list("postcode", flat=True)
    )
    by_district: Counter[str] = Counter()
    by_ward: Counter[str] = Counter()
    for postcode, children in known.items():
        by_district[postcode.partition(" ")[0]] += children
        by_ward[wards[postcode][1]] += children
    population = int(settings.COUNCIL_CHILD_POPULATION)
    district_weights = {d: n * rng.uniform(0.75, 1.3) for d, n in sorted(by_district.items())}
    ward_weights = {w: n * rng.uniform(0.75, 1.3) for w, n in sorted(by_ward.items())}
    rows: list[list[object]] = []
    rows += [["district", d, n] for d, n in _share(population, district_weights).items()]
    rows += [["ward", w, n] for w, n in _share(population, ward_weights).items()]
    rows += [["age_band", band, n] for band, n in _share(population, AGE_BAND_SHARES).items()]
    counts["performance.ChildPopulation"] = need_lookup_seed(
        kind=LookupKind.POPULATION,
        source_name="harrowmere-child-population.csv",
        text=_csv(["kind", "group", "children"], rows),
    ).rows
    return counts
