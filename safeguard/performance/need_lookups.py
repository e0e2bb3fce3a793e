"""Loading the lookups the analysis of need reads: postcodes to wards, and child populations.

A CSV is read whole and checked first; any error refuses the file with a message per bad
line (up to 20), and nothing is changed. A good file replaces the lookup of its kind in
one transaction, with an audit event saying who loaded what and how many rows.

Ward lookup: headings ``postcode,ward_code,ward_name`` (as in the ONS postcode directory's
extract for a council). Populations: headings ``kind,group,children`` where ``kind`` is
``district``, ``ward`` or ``age_band`` (``group`` is then a postcode district such as
``HM1``, a ward's name, or an age band: Under 1, 1 to 4, 5 to 9, 10 to 15, 16 and over).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.accounts.models import User
from safeguard.audit.services import audited_create
from safeguard.people.validators import normalise_postcode, validate_postcode
from safeguard.performance.need import AGE_BANDS
from safeguard.performance.need_models import (
    ChildPopulation,
    LookupKind,
    NeedLookupLoad,
    PopulationKind,
    PostcodeWard,
)

HEADINGS = {
    LookupKind.WARDS: ("postcode", "ward_code", "ward_name"),
    LookupKind.POPULATION: ("kind", "group", "children"),
}
MAX_ERRORS_SHOWN = 20
MAX_ROWS = 500_000
MAX_CHILDREN_IN_GROUP = 2_000_000


@dataclass(frozen=True)
class _Parsed:
    wards: list[PostcodeWard]
    populations: list[ChildPopulation]


def _read(kind: LookupKind, text: str) -> list[tuple[int, dict[str, str]]]:
    text = text.removeprefix("\ufeff")  # spreadsheets often save one
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError("The file is empty. It needs a heading row and at least one row.") from None
    names = tuple(h.strip().lower() for h in header)
    wanted = HEADINGS[kind]
    if names != wanted:
        raise ValidationError(
            f"The headings must be {', '.join(wanted)} (in that order); this file has "
            f"{', '.join(h for h in names if h) or 'none'}."
        )
    rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(wanted):
            rows.append((line, {"_error": f"has {len(values)} values, not {len(wanted)}"}))
            continue
        rows.append((line, {name: v.strip() for name, v in zip(wanted, values, strict=True)}))
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"The file has more than {MAX_ROWS:,} rows.")
    if not rows:
        raise ValidationError("The file has headings but no rows.")
    return rows


def _parse(kind: LookupKind, text: str) -> _Parsed:
    errors: list[str] = []
    wards: dict[str, PostcodeWard] = {}
    populations: dict[tuple[str, str], ChildPopulation] = {}
    bands = {label for label, _low, _high in AGE_BANDS}
    for line, row in _read(kind, text):
        if "_error" in row:
            errors.append(f"Line {line} {row['_error']}.")
            continue
        if kind == LookupKind.WARDS:
            postcode = normalise_postcode(row["postcode"])
            try:
                validate_postcode(postcode)
            except ValidationError:
                errors.append(f"Line {line}: “{row['postcode']}” is not a postcode.")
                continue
            if not row["ward_code"] or not row["ward_name"]:
                errors.append(f"Line {line}: give both the ward's code and its name.")
                continue
            if len(row["ward_code"]) > 12 or len(row["ward_name"]) > 120:
                errors.append(f"Line {line}: the ward's code or name is too long.")
                continue
            earlier = wards.get(postcode)
            if earlier is not None and earlier.ward_code != row["ward_code"]:
                errors.append(
                    f"Line {line}: {postcode} is already in ward {earlier.ward_code} on an earlier line."
                )
                continue
            wards[postcode] = PostcodeWard(
                postcode=postcode, ward_code=row["ward_code"], ward_name=row["ward_name"]
            )
        else:
            group_kind = row["kind"].lower().replace(" ", "_")
            if group_kind not in PopulationKind.values:
                errors.append(f"Line {line}: kind must be district, ward or age_band, not “{row['kind']}”.")
                continue
            group = row["group"]
            if group_kind == PopulationKind.DISTRICT:
                group = group.upper().replace(" ", "")
            if not group or len(group) > 120:
                errors.append(f"Line {line}: give the district, ward or age band (at most 120 characters).")
                continue
            if group_kind == PopulationKind.AGE_BAND and group not in bands:
                errors.append(
                    f"Line {line}: “{group}” is not an age band; use one of {', '.join(sorted(bands))}."
                )
                continue
            try:
                children = int(row["children"].replace(",", ""))
            except ValueError:
                errors.append(f"Line {line}: children must be a whole number, not “{row['children']}”.")
                continue
            if not 0 < children <= MAX_CHILDREN_IN_GROUP:
                errors.append(f"Line {line}: children must be between 1 and {MAX_CHILDREN_IN_GROUP:,}.")
                continue
            if (group_kind, group) in populations:
                errors.append(f"Line {line}: {group} appears twice.")
                continue
            populations[(group_kind, group)] = ChildPopulation(
                kind=group_kind, group=group, children=children
            )
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"And {len(errors) - MAX_ERRORS_SHOWN:,} more lines with errors.")
        raise ValidationError(["Nothing was loaded: fix these lines and load the file again.", *shown])
    return _Parsed(list(wards.values()), list(populations.values()))


def _replace(kind: LookupKind, parsed: _Parsed) -> int:
    """Swap the table's rows for the parsed ones; the number of rows loaded."""
    if kind == LookupKind.WARDS:
        PostcodeWard.objects.all().delete()
        PostcodeWard.objects.bulk_create(parsed.wards, batch_size=2000)
        return len(parsed.wards)
    ChildPopulation.objects.all().delete()
    ChildPopulation.objects.bulk_create(parsed.populations, batch_size=2000)
    return len(parsed.populations)


def need_lookup_load(*, actor: User | None, kind: LookupKind, source_name: str, text: str) -> NeedLookupLoad:
    """Replace the ward lookup or the populations with the rows of a CSV (see the module)."""
    parsed = _parse(kind, text)
    with transaction.atomic():
        rows = _replace(kind, parsed)
        return audited_create(
            NeedLookupLoad,
            actor=actor,
            action="need_lookup_load",
            values={"kind": kind, "source_name": source_name[:200], "rows": rows},
            child_id=None,
        )


def need_lookup_seed(*, kind: LookupKind, source_name: str, text: str) -> NeedLookupLoad:
    """The demo seed's load: the same checks, but no audit event, as the generated council's
    other rows have none (nobody did anything; the trail stays for what people do)."""
    parsed = _parse(kind, text)
    with transaction.atomic():
        rows = _replace(kind, parsed)
        return NeedLookupLoad.objects.create(kind=kind, source_name=source_name[:200], rows=rows)


def latest_loads() -> dict[str, NeedLookupLoad]:
    """The latest load of each kind, for the page to say what it used."""
    loads = {
        kind: NeedLookupLoad.objects.filter(kind=kind).order_by("-created_at").first() for kind in LookupKind
    }
    return {kind: load for kind, load in loads.items() if load is not None}
