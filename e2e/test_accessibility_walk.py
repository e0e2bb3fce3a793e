"""Walk every page the demo council can reach, as every role, in Chromium.

From the home page, follow every same-origin link, one URL per route (and per set of query
parameters), and check each page: it answers 200, has one h1 and a title, axe-core finds no
serious or critical violation, and the Tab key reaches every link, button and field with a
visible focus indicator. Django's admin (reference data for system administrators)
is Django's own interface and is left out of the walk.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page

from e2e.conftest import axe_violations, describe, keyboard_problems, sign_in
from safeguard.accounts.models import Role, User
from safeguard.demo.generator import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

MAX_PAGES_PER_ROLE = 60
SKIPPED_PREFIXES = ("/admin/", "/static/", "/accounts/sign-out/")
# Pages linked from deep in a role's pages, walked first so the page limit never leaves them out.
PERFORMANCE_SETTINGS = ("/performance/measures/targets/", "/performance/need/lookups/")
ALSO_WALKED: dict[str, tuple[str, ...]] = {
    Role.DIRECTOR.value: PERFORMANCE_SETTINGS,
    Role.PERFORMANCE_ANALYST.value: PERFORMANCE_SETTINGS,
}


def _route_key(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return f"unresolved:{parts.path}"
    return f"{match.route}?{','.join(sorted(parse_qs(parts.query)))}"


def _links(page: Page) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    pages = [h.split("#")[0] for h in hrefs if h.startswith("/") and not h.startswith("//")]
    return [h for h in pages if not h.endswith((".pdf", ".csv"))]  # downloads are checked in their own tests


def _walk(page: Page, base: str, start: str, also: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    queue, seen, problems, visited = deque([start, *also]), set(), [], 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        key = _route_key(url)
        if key is None or key in seen:
            continue
        seen.add(key)
        response = page.goto(base + url)
        visited += 1
        if response is None or response.status != 200:
            problems.append(f"{url}: status {response.status if response else 'none'}")
            continue
        if page.locator("h1").count() != 1:
            problems.append(f"{url}: {page.locator('h1').count()} h1 elements")
        if not page.title().strip():
            problems.append(f"{url}: no title")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{url}: axe\n{describe(violations)}")
        problems.extend(f"{url}: {p}" for p in keyboard_problems(page))
        queue.extend(_links(page))
    return visited, problems


def test_every_reachable_page_passes_axe_as_every_role(browser: Browser, live_server) -> None:
    call_command("seed_demo", children=150, years=2, seed=11)
    demo_users = list(User.objects.filter(is_demo_account=True).order_by("role"))
    assert {u.role for u in demo_users} == {r.value for r in Role}
    problems: list[str] = []
    total = 0
    for user in [None, *demo_users]:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if user is None:
            visited, found = _walk(page, live_server.url, "/")
        else:
            sign_in(page, live_server.url, user.email, DEMO_PASSWORD)
            visited, found = _walk(page, live_server.url, "/home/", ALSO_WALKED.get(user.role, ()))
        context.close()
        role = user.role if user else "anonymous"
        assert visited >= 3, f"{role} reached only {visited} pages"
        total += visited
        print(f"accessibility walk: {role} visited {visited} pages")
        problems.extend(f"[{role}] {p}" for p in found)
    assert not problems, "\n".join(problems)
    assert total >= 40
