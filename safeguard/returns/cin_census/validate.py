"""Check one child's XML against the year's schema before it goes into the file.

Each child is validated on its own (inside a minimal ``Message``), so a child that would break
the schema is reported by their LAchildID and left out, and the file that is written stays
valid as a whole. The DfE's own rules run beside this, in ``rules.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class SchemaProblem:
    la_child_id: str
    path: str
    message: str


def child_schema_problems(
    schema: etree.XMLSchema, la_child_id: str, child: etree._Element
) -> list[SchemaProblem]:
    """The schema's complaints about one ``Child`` element (empty when it is valid)."""
    message = etree.Element("Message")
    children = etree.SubElement(message, "Children")
    children.append(child)
    try:
        if schema.validate(message):
            return []
        # lxml-stubs does not declare the error log iterable; lxml's own docs iterate it.
        errors: Iterable[etree._LogEntry] = schema.error_log  # type: ignore[assignment]
        return [
            SchemaProblem(la_child_id=la_child_id, path=error.path or "", message=error.message)
            for error in errors
        ]
    finally:
        # Detach so the caller can write the element on its own.
        children.remove(child)
