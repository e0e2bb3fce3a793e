from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.core.text import has_unusual_characters, without_unusual_characters

CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f"]


@pytest.mark.parametrize("character", CONTROLS)
def test_every_control_character_is_unusual_anywhere(character):
    assert has_unusual_characters(f"Kofi{character}", multiline=True)
    assert has_unusual_characters(f"Kofi{character}", multiline=False)
    assert without_unusual_characters(f"Ko{character}fi", multiline=True) == "Kofi"


def test_tabs_and_line_breaks_belong_only_to_multi_line_text():
    text = "Line one\r\n\tLine two\n"
    assert not has_unusual_characters(text, multiline=True)
    assert without_unusual_characters(text, multiline=True) == text
    assert has_unusual_characters(text, multiline=False)
    assert without_unusual_characters("Kofi\tMensah\r\n", multiline=False) == "Kofi Mensah "


def test_everything_else_is_ordinary():
    text = "Zoë O'Connor-Ní Bhriain, 14 Larch Grove — \u00a0 “quoted” 👍 <b>&amp;</b>"
    assert not has_unusual_characters(text, multiline=False)
    assert without_unusual_characters(text, multiline=False) == text


@given(st.text(), st.booleans())
def test_what_is_left_is_always_ordinary_and_cleaning_twice_changes_nothing(text, multiline):
    cleaned = without_unusual_characters(text, multiline=multiline)
    assert not has_unusual_characters(cleaned, multiline=multiline)
    assert without_unusual_characters(cleaned, multiline=multiline) == cleaned
    assert (cleaned == text) is not has_unusual_characters(text, multiline=multiline)
