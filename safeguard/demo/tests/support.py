"""Helpers shared by the demo tests."""

from __future__ import annotations

from safeguard.demo.casework_extras import EXTRA_TABLES
from safeguard.demo.conferences import CONFERENCE_TABLES
from safeguard.demo.generator import TABLES
from safeguard.demo.workforce import TABLES as WORKFORCE_TABLES
from safeguard.performance.need_models import ChildPopulation, NeedLookupLoad, PostcodeWard

# Reference lookups the need analysis loads for the demo council; they name no child.
LOOKUP_TABLES = (PostcodeWard, ChildPopulation, NeedLookupLoad)


def wipe_demo_data() -> None:
    """Delete everything the generator made, children's tables first.

    Raw deletes in reverse insertion order: no cascade collection (slow for thousands of
    rows), and no protected foreign key is ever left pointing at a deleted row.
    """
    for model in (
        *LOOKUP_TABLES,
        *reversed(WORKFORCE_TABLES),
        *reversed(CONFERENCE_TABLES),
        *reversed(EXTRA_TABLES),
        *reversed(TABLES),
    ):
        model._default_manager.all()._raw_delete(model._default_manager.db)
