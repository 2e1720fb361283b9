"""A supervisor's evening on a 360 px phone: tonight's walk from the start page, tappable cards."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import assert_no_sideways_scroll, log_in, success_message
from tests.e2e.test_crawl import NARROW_PHONE

pytestmark = pytest.mark.e2e

#: Link buttons whose text sits more than this many pixels off their middle fail.
CENTRE_TOLERANCE_PX = 2
#: For every link button: how far its text's middle lies from the button's middle.
TEXT_OFFSETS_JS = """() => Array.from(document.querySelectorAll('main a.btn')).map(link => {
  const range = document.createRange();  // the visible text, not a visually hidden part
  const words = Array.from(link.childNodes).find(n => n.nodeType === 3 && n.data.trim());
  range.selectNodeContents(words);
  const text = range.getBoundingClientRect(), box = link.getBoundingClientRect();
  return [link.textContent.trim(), Math.abs((text.top + text.bottom - box.top - box.bottom) / 2)];
})"""


@pytest.fixture
def phone(e2e_browser: Browser, e2e_server) -> Iterator[Page]:
    """A fresh, logged-out 360 px phone."""
    context = e2e_browser.new_context(base_url=e2e_server.url, locale="sv-SE",
                                      timezone_id="Europe/Stockholm", **NARROW_PHONE)
    yield context.new_page()
    context.close()


def test_supervisor_reaches_tonights_walk_log_in_a_handful_of_taps(phone: Page,
                                                                   e2e_server) -> None:
    log_in(phone, "e2e-handledare", e2e_server.password)  # two fields and a button
    card = phone.get_by_role("region", name="Nästa nattvandringar")
    card.get_by_role("link", name=re.compile("^Logga")).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Logga nattvandring")
    assert_no_sideways_scroll(phone)
    phone.get_by_role("button", name="Spara", exact=True).click()
    expect(success_message(phone)).to_contain_text("Nattvandringen är sparad.")


def test_a_walk_card_on_a_phone_opens_the_walk_wherever_it_is_tapped(phone: Page,
                                                                     e2e_server) -> None:
    log_in(phone, "e2e-handledare", e2e_server.password)
    phone.goto("/walks/")
    card = phone.locator("tbody tr.row-link").first
    assert card.bounding_box()["width"] <= 360
    status_line = card.locator("td[data-label='Status']")  # far from the date link
    status_line.scroll_into_view_if_needed()
    box = status_line.bounding_box()
    phone.touchscreen.tap(box["x"] + box["width"] - 10, box["y"] + box["height"] / 2)
    expect(phone).to_have_url(re.compile(r"/walks/\d+$"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Nattvandring")


def test_link_buttons_centre_their_text(phone: Page, e2e_server) -> None:
    log_in(phone, "e2e-handledare", e2e_server.password)
    for path in ("/", "/walks/"):
        phone.goto(path)
        offsets = phone.evaluate(TEXT_OFFSETS_JS)
        assert offsets
        assert all(offset <= CENTRE_TOLERANCE_PX for _, offset in offsets), offsets
