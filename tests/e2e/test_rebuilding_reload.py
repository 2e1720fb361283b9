"""While a whole country's figures are rebuilt, the page reloads itself until it shows them.

The browser reaches the app in this process through a route, so that the test can make the
rebuild take several views (one team a view) with the suite's data and session.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from polare.auth.models import Role
from tests.e2e.test_accessibility import AXE, BLOCKING_IMPACTS, describe
from tests.reports.conftest import (  # noqa: F401  (the data set's fixtures)
    data,
    districts,
    frozen_today,
    make_walk,
    rebuild_per_view,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("data", "frozen_today")]

ORIGIN = "http://polare.test"
AUTUMN = "/reports/?period=tertial&tertial=2026-3"


@pytest.fixture
def rebuilding_page(e2e_browser: Browser, client, login_as,
                    rebuild_per_view) -> Iterator[Page]:  # noqa: F811
    """A phone's page on the app, signed in as the administrator, every team's figures stale
    and rebuilt one team a view."""
    rebuild_per_view(1)
    login_as(Role.ADMIN)

    def to_app(route: Route) -> None:
        parts = urlsplit(route.request.url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        body = response.get_data()
        response.close()  # a static file is sent from an open file
        route.fulfill(status=response.status_code, body=body,
                      content_type=response.content_type)

    context = e2e_browser.new_context(viewport={"width": 360, "height": 740})
    context.route(f"{ORIGIN}/**", to_app)
    page = context.new_page()
    yield page
    context.close()


def test_every_teams_report_reloads_itself_until_it_shows_the_figures(rebuilding_page):
    page = rebuilding_page
    page.goto(ORIGIN + AUTUMN)
    expect(page.get_by_role("status")).to_contain_text("1 av 3 team är klara.")

    expect(page.locator("#table-teams")).to_be_visible(timeout=20_000)
    assert page.url == ORIGIN + AUTUMN
    expect(page.get_by_text("Uppföljningssiffrorna räknas om")).to_have_count(0)


def test_a_report_filter_being_changed_is_not_reloaded_away(rebuilding_page):
    page = rebuilding_page
    page.goto(ORIGIN + AUTUMN)
    expect(page.get_by_role("status")).to_contain_text("1 av 3 team är klara.")
    page.get_by_label("Period").select_option("range")

    page.wait_for_timeout(4_500)  # past the three seconds after which it would reload
    expect(page.get_by_label("Period")).to_have_value("range")
    expect(page.get_by_role("status")).to_contain_text("1 av 3 team är klara.")


def test_the_rebuilding_notice_has_no_serious_axe_violations(rebuilding_page):
    page = rebuilding_page
    page.goto(ORIGIN + AUTUMN)
    page.get_by_label("Period").select_option("range")  # stops the reload under axe's feet

    violations = AXE.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe(blocking)
    expect(page.get_by_role("status")).to_contain_text("1 av 3 team är klara.")
