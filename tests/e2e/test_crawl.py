"""The crawl: every page each role can reach, on a 360 px phone, with data of every status.

Each role's user starts at the start page and follows every link of the app (downloads,
the language switch and logging out aside) until no new page is found. Every page must load,
fit 360 px without sideways scrolling, show its tables as cards that do not scroll sideways
either, each link in a card either the card's own (the whole card is tappable) or 44 px
tall, and pass axe-core with no serious or critical violation. The data
(tests/e2e/app_data.py) holds walks of each status, a closed and an open pay month and an
enrolment of each status, so the pages show what they show in real use.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.e2e.helpers import NARROW_PHONE, phone_table_problems, sideways_overflow
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = pytest.mark.e2e

AXE = Axe()
#: Links the crawl does not follow: files, the language switch, feeds, health check.
SKIPPED = re.compile(r"^/(static|bootstrap)/|/export|/template/|\.(xlsx|csv|ics)$|^/lang/"
                     r"|^/healthz|/logout")
#: Pages of one shape (ids replaced) the crawl visits at most, enough for every status.
PER_SHAPE = 6
#: Users of each role: coordinator, supervisor, payroll, admin.
CRAWLERS = ("e2e-skagg", "e2e-handledare", "e2e-lon", "e2e-admin")


def shape(path: str) -> str:
    """Return the path with its ids and months replaced: /walks/12 -> /walks/N."""
    return re.sub(r"/\d{4}-\d{2}(?=/|$)", "/M", re.sub(r"/\d+(?=/|$)", "/N", path))


def links_of(page: Page, origin: str) -> list[str]:
    """Return the paths of the app the page links to (no query, no fragment)."""
    paths = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
        parts = urlsplit(urljoin(page.url, href))
        if f"{parts.scheme}://{parts.netloc}" == origin and not SKIPPED.search(parts.path):
            paths.append(parts.path)
    return paths


def problems_of(page: Page) -> list[str]:
    """Return what is wrong with the page: sideways scroll, tables that are no cards, small
    links in cards, serious axe violations."""
    found = []
    widths = sideways_overflow(page)
    if widths["scrollWidth"] > min(widths["clientWidth"], widths["innerWidth"]):
        found.append(f"scrolls sideways ({widths['scrollWidth']} px): {widths['wide']}")
    found += phone_table_problems(page)
    blocking = [v for v in AXE.run(page).response["violations"]
                if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        found.append(describe(blocking))
    return found


def crawl(page: Page, origin: str, start: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Visit every page reachable from the start paths; return them and their problems."""
    queue, seen, shapes = deque(start), set(start), {}
    visited, problems = [], {}
    while queue:
        path = queue.popleft()
        response = page.goto(origin + path)
        visited.append(path)
        if response is None or not response.ok:
            problems[path] = [f"answered {response.status if response else 'nothing'}"]
            continue
        if found := problems_of(page):
            problems[path] = found
        for link in links_of(page, origin):
            key = shape(link)
            if link not in seen and shapes.get(key, 0) < PER_SHAPE:
                seen.add(link)
                shapes[key] = shapes.get(key, 0) + 1
                queue.append(link)
    return visited, problems


@pytest.mark.parametrize("username", CRAWLERS)
def test_every_page_of_the_role_fits_360_px_and_passes_axe(
    e2e_browser: Browser, e2e_server, signed_in, username: str
) -> None:
    data = e2e_server.data
    context = e2e_browser.new_context(base_url=e2e_server.url, locale="sv-SE",
                                      timezone_id="Europe/Stockholm",
                                      storage_state=signed_in(username), **NARROW_PHONE)
    try:
        page = context.new_page()
        start = ["/"]
        if username == "e2e-handledare":
            start += [f"/walks/{walk_id}" for walk_id in data["walks_by_status"].values()]
        if username == "e2e-skagg":
            start += [f"/roster/enrolments/{enrolment_id}"
                      for enrolment_id in data["enrolments_by_status"].values()]
        if username == "e2e-lon":
            start += [f"/payroll/periods/{data['closed_month']}",
                      f"/payroll/periods/{data['pay_month']}"]
        visited, problems = crawl(page, e2e_server.url, start)
    finally:
        context.close()
    assert len(visited) > 5, visited
    assert not problems, "\n".join(f"{path}: {'; '.join(found)}"
                                   for path, found in problems.items())
