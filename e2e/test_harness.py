"""The browser checks themselves catch what they are meant to catch."""

from __future__ import annotations

from playwright.sync_api import Page

from e2e.conftest import axe_violations, keyboard_problems

BROKEN_PAGE = """
<!DOCTYPE html><html lang="en"><head><title>Broken</title>
<style>#bare:focus { outline: none; box-shadow: none; }</style></head>
<body><main>
  <h1>Broken</h1>
  <a href="/ok">Fine link</a>
  <a href="/skipped" tabindex="-1">Unreachable link</a>
  <a href="/bare" id="bare">No focus style</a>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <input type="text">
</main></body></html>
"""


def test_keyboard_check_finds_unreachable_and_invisible_focus(page: Page) -> None:
    page.set_content(BROKEN_PAGE)
    problems = " ".join(keyboard_problems(page))
    assert "Unreachable link" in problems
    assert "No focus style" in problems
    assert "Fine link" not in problems


def test_axe_check_finds_serious_violations(page: Page) -> None:
    page.set_content(BROKEN_PAGE)
    rules = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label"} <= rules
