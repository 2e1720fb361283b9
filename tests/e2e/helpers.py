"""What the browser tests share: logging in, messages, the sideways-scroll check."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

#: The narrowest phone the app is made for.
NARROW_PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def log_in(page: Page, username: str, password: str) -> None:
    """Log in through the login form and land on the start page."""
    page.goto("/login")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hej")


def success_message(page: Page) -> Locator:
    """Return the success messages at the top of the page."""
    return page.locator("main .alert-success")


def sideways_overflow(page: Page) -> dict[str, Any]:
    """Return the page's widths and the elements that stick out to the right, if any.

    On a phone Chromium widens window.innerWidth to the content when the page overflows, so
    the layout viewport (documentElement.clientWidth) is the width to compare with.
    """
    return page.evaluate("""() => {
        const root = document.documentElement;
        const limit = Math.min(root.clientWidth, window.innerWidth);
        const wide = [];
        for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > limit + 1 && !el.closest('.table-responsive')) {
                wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                          + (el.className && typeof el.className === 'string'
                             ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                          + ' right=' + Math.round(box.right));
            }
        }
        return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
                innerWidth: window.innerWidth, wide: wide.slice(0, 8)};
    }""")


def phone_table_problems(page: Page) -> list[str]:
    """Return what keeps a page's tables from being cards on a phone: a stacked table that
    still scrolls sideways, a column's name broken mid-word on a card, or a link in a card
    that is neither the card's own target (the whole card is tappable) nor a 44 px touch
    target of its own."""
    return page.evaluate("""() => {
        const found = [];
        const named = el => {
            const table = el.closest('table');
            const caption = table && table.caption ? table.caption.textContent.trim() : '';
            return (caption || (table && table.closest('[aria-label]')
                                ? table.closest('[aria-label]').getAttribute('aria-label')
                                : 'table')).slice(0, 60);
        };
        for (const table of document.querySelectorAll('main table.table-stack')) {
            const region = table.closest('.table-responsive');
            if (region && region.scrollWidth > region.clientWidth + 1) {
                found.push(`${named(table)}: cards scroll sideways `
                           + `(${region.scrollWidth} px in ${region.clientWidth} px)`);
            }
        }
        const measure = document.createElement('canvas').getContext('2d');
        const labels = new Set();
        for (const cell of document.querySelectorAll('main table.table-stack [data-label]')) {
            const name = cell.getAttribute('data-label');
            const style = getComputedStyle(cell, '::before');
            if (!name || labels.has(name) || style.content === 'none') { continue; }
            labels.add(name);
            measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            for (const word of name.split(/\\s+/)) {
                if (measure.measureText(word).width > parseFloat(style.width) + 0.5) {
                    found.push(`${named(cell)}: column name "${name}" breaks "${word}" on a card`);
                }
            }
        }
        for (const link of document.querySelectorAll('main table.table-stack tbody a[href]')) {
            const box = link.getBoundingClientRect();
            const row = link.closest('tr');
            const cardTarget = row.classList.contains('row-link')
                && link.classList.contains('row-link-target');
            if (box.height && !cardTarget && box.height < 44) {
                found.push(`${named(link)}: link "${link.textContent.trim().slice(0, 30)}" `
                           + `is ${Math.round(box.height)} px tall in a card`);
            }
        }
        return found;
    }""")


def assert_no_sideways_scroll(page: Page) -> None:
    """Fail if the page scrolls sideways (document wider than the viewport)."""
    widths = sideways_overflow(page)
    limit = min(widths["clientWidth"], widths["innerWidth"])
    assert widths["scrollWidth"] <= limit, (
        f"{page.url} scrolls sideways: {widths['scrollWidth']} px wide in a {limit} px "
        f"viewport; too wide: {widths['wide']}")
