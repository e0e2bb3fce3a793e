"""Characters nobody types: the one rule for text arriving from a form, a draft or the API.

Control characters (NUL to unit separator, and DEL) come from pasting out of other
programs, from broken integrations and from probing. PostgreSQL cannot store NUL in a text
or JSON column at all, so one reaching the database is a server error; the rest are
invisible on the page and break exports. Multi-line text keeps its tabs and line breaks;
on one line those are unusual too.

Forms and drafts remove them (a person cannot see them to delete them, and nothing else
they typed may be lost) and say so on the field; the partner API refuses them, naming the
field, because a program can be fixed.
"""

from __future__ import annotations

import re

_UNUSUAL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS_AND_TABS = re.compile(r"[\t\r\n]+")


def has_unusual_characters(value: str, *, multiline: bool) -> bool:
    """True if ``value`` holds a character that text of this kind never has."""
    if _UNUSUAL_IN_TEXT.search(value):
        return True
    return not multiline and bool(_LINE_BREAKS_AND_TABS.search(value))


def without_unusual_characters(value: str, *, multiline: bool) -> str:
    """``value`` with those characters taken out; on one line a tab or line break is a space."""
    value = _UNUSUAL_IN_TEXT.sub("", value)
    return value if multiline else _LINE_BREAKS_AND_TABS.sub(" ", value)
