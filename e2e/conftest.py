"""End-to-end fixtures: Debian's Chromium driven by Playwright, a live server, and axe-core.

The browser is the system's ``chromium`` package (installed by ``make test``); no test tool
downloads a browser. A missing browser fails the run rather than skipping it, so CI can
never pass without the browser tests having run.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in item.nodeid.split("/")[0]:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make browser` (make test does this)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [v for v in result if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ],
        indent=2,
    )


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/home/")


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has focus; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement && document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"{selector} could not be reached with the Tab key")


_MARK_FOCUSABLE = """
() => {
  const selector = ['a[href]', 'button:not([disabled])', 'input:not([type=hidden]):not([disabled])',
                    'select', 'textarea', 'summary'].join(', ');
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const stops = [];
  const radioGroups = new Set();
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el) || el.closest('[inert]')) continue;
    if (el.type === 'radio') {            // a radio group is one Tab stop
      if (radioGroups.has(el.name)) continue;
      radioGroups.add(el.name);
    }
    el.dataset.sgStop = String(stops.length);
    const label = (el.textContent || el.name || el.id).trim().slice(0, 40);
    stops.push(el.type === 'radio' ? 'radio:' + el.name : label);
  }
  return stops;
}
"""

_FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const shown = style.outlineStyle !== 'none' || style.boxShadow !== 'none';
  const stop = el.type === 'radio'
    ? document.querySelector(`input[type=radio][name="${el.name}"][data-sg-stop]`)?.dataset.sgStop
    : el.dataset.sgStop;
  return {stop: stop ?? null, shown};
}
"""


def keyboard_problems(page: Page) -> list[str]:
    """Tab through the page: every link, button and field must take focus, visibly."""
    stops: list[str] = page.evaluate(_MARK_FOCUSABLE)
    reached: set[str] = set()
    problems: list[str] = []
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(len(stops) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None or focused["stop"] is None:
            continue
        if not focused["shown"]:
            problems.append(f"no visible focus on {stops[int(focused['stop'])]!r}")
        reached.add(focused["stop"])
        if len(reached) == len(stops):
            break
    missed = [stops[i] for i in range(len(stops)) if str(i) not in reached]
    if missed:
        problems.append(f"not reachable with Tab: {missed[:5]}")
    return problems
