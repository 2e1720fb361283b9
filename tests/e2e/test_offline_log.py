"""Logging a walk on a phone without a signal: kept, saved on the phone, sent once, no overwrite.

The phone opens the log page with a signal (the service worker keeps the log pages of the
week), loses the network (`context.set_offline`), reloads and logs the walk. Each test uses its
own walk from `offline_walk_ids`, so they run alone or in any order.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

INCIDENT = "Stöttat ungdom"
SAVED_ON_PHONE = "Sparad i telefonen – skickas när du har täckning"


def _walk(e2e_server, number: int) -> int:
    return e2e_server.data["offline_walk_ids"][number]


def _open_log_with_signal(page: Page, walk_id: int) -> int:
    """Open the walk's log page online, wait until the phone keeps it; return its version."""
    page.goto(f"/walks/{walk_id}/log")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga nattvandring")
    page.wait_for_function("() => Number(document.documentElement.dataset.offlinePagesKept) > 0")
    return int(page.locator("input[name=version]").input_value())


def _reload_without_signal(page: Page) -> None:
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None
    assert response.from_service_worker  # the copy kept on the phone
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga nattvandring")


def _fill_log(page: Page, e2e_server, youths_met: str = "9") -> None:
    attending, absent = e2e_server.data["berga_polare"]
    page.get_by_role("group", name=attending).get_by_text("Närvarande").click()
    page.get_by_role("group", name=absent).get_by_text("Frånvarande").click()
    page.get_by_role("spinbutton", name="Ungdomar ni mötte", exact=True).fill(youths_met)
    page.get_by_role("spinbutton", name="Ungdomar ni pratade med", exact=True).fill("3")
    page.get_by_role("button", name=f"Öka {INCIDENT}").click()
    page.get_by_label("Iakttagelser").fill("Lugnt i tunneln under Bergavägen.")


def _save_on_phone(page: Page) -> None:
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#offline-log-status")).to_have_text(SAVED_ON_PHONE)


def _waiting(page: Page):
    return page.locator("#offline-waiting")


def _stored_version(page: Page, walk_id: int) -> int:
    page.goto(f"/walks/{walk_id}/log")
    return int(page.locator("input[name=version]").input_value())


def _changed_in_the_office(browse, walk_id: int) -> Page:
    """Log the walk at the same time from a desktop with a signal: 4 youths met."""
    office = browse("e2e-handledare")
    office.goto(f"/walks/{walk_id}/log")
    office.get_by_role("spinbutton", name="Ungdomar ni mötte", exact=True).fill("4")
    office.get_by_role("spinbutton", name="Ungdomar ni pratade med", exact=True).fill("2")
    office.get_by_role("button", name="Spara", exact=True).click()
    expect(office.locator("main .alert-success")).to_contain_text("Nattvandringen är sparad.")
    return office


def test_walk_logged_without_signal_arrives_once_when_the_signal_returns(browse, e2e_server):
    walk_id = _walk(e2e_server, 0)
    page = browse("e2e-handledare", phone=True)
    version = _open_log_with_signal(page, walk_id)
    _reload_without_signal(page)
    _fill_log(page, e2e_server)
    _save_on_phone(page)
    expect(_waiting(page)).to_contain_text("1")
    page.reload()  # closing or reloading the page keeps the waiting entry
    expect(_waiting(page)).to_contain_text("1")

    page.context.set_offline(False)  # the browser's `online` event sends the entry
    expect(_waiting(page)).to_be_hidden()
    page.goto(f"/walks/{walk_id}")
    details = page.locator("main dl")
    expect(details).to_contain_text("9")
    expect(details).to_contain_text(f"{INCIDENT}: 1")
    assert _stored_version(page, walk_id) == version + 1


def test_the_same_entry_sent_twice_is_logged_once(browse, e2e_server):
    walk_id = _walk(e2e_server, 1)
    page = browse("e2e-handledare", phone=True)
    version = _open_log_with_signal(page, walk_id)
    _reload_without_signal(page)
    _fill_log(page, e2e_server, youths_met="7")
    _save_on_phone(page)
    _save_on_phone(page)  # a second tap offline replaces the waiting entry
    expect(_waiting(page)).to_contain_text("1")
    entry = page.evaluate("() => PolareQueue.all().then((entries) => entries[0])")

    page.context.set_offline(False)  # the browser's `online` event sends the entry
    expect(_waiting(page)).to_be_hidden()
    # The answer was lost: the phone still has the entry and sends it again.
    result = page.evaluate("(entry) => PolareQueue.put(entry).then(() => PolareQueue.sendAll())",
                           entry)
    assert result == {"saved": 1, "unsent": 0, "problems": 0}
    assert _stored_version(page, walk_id) == version + 1


def test_a_change_made_meanwhile_is_shown_as_a_conflict_and_not_overwritten(browse, e2e_server):
    walk_id = _walk(e2e_server, 2)
    phone = browse("e2e-handledare", phone=True)
    _open_log_with_signal(phone, walk_id)
    _reload_without_signal(phone)
    _fill_log(phone, e2e_server, youths_met="9")
    _save_on_phone(phone)

    office = _changed_in_the_office(browse, walk_id)

    phone.context.set_offline(False)  # the browser's `online` event sends the entry
    conflict = phone.locator("#offline-status [role=alert]")
    expect(conflict).to_contain_text("Någon annan har ändrat nattvandringen")
    row = conflict.get_by_role("row", name="Ungdomar ni mötte")
    expect(row).to_contain_text("9")
    expect(row).to_contain_text("4")
    expect(_waiting(phone)).to_contain_text("1")
    office.goto(f"/walks/{walk_id}/log")
    expect(office.get_by_role("spinbutton", name="Ungdomar ni mötte", exact=True)
           ).to_have_value("4")


def test_keeping_the_phones_version_after_a_conflict_saves_it(browse, e2e_server):
    walk_id = _walk(e2e_server, 3)
    phone = browse("e2e-handledare", phone=True)
    _open_log_with_signal(phone, walk_id)
    _reload_without_signal(phone)
    _fill_log(phone, e2e_server, youths_met="9")
    _save_on_phone(phone)
    office = _changed_in_the_office(browse, walk_id)

    phone.context.set_offline(False)  # the browser's `online` event sends the entry
    phone.get_by_role("button", name="Behåll min version").click()
    expect(_waiting(phone)).to_be_hidden()
    office.goto(f"/walks/{walk_id}/log")
    expect(office.get_by_role("spinbutton", name="Ungdomar ni mötte", exact=True)
           ).to_have_value("9")


def test_logout_warns_about_waiting_entries_then_clears_the_phone(browse, e2e_server):
    walk_id = _walk(e2e_server, 4)
    page = browse("e2e-nattvakt", phone=True)  # logging out ends all of the user's sessions
    _open_log_with_signal(page, walk_id)
    _reload_without_signal(page)
    _fill_log(page, e2e_server)
    _save_on_phone(page)

    # Still without signal, so nothing can send the entry before the warning counts it (the
    # service worker's Background Sync sends it as soon as the signal is back).
    page.get_by_role("button", name="Visa meny").click()
    page.get_by_role("button", name="Logga ut").click()
    warning = page.get_by_role("alertdialog")
    expect(warning).to_contain_text("Loggar som inte är skickade väntar i telefonen: 1")
    page.context.set_offline(False)  # logging out needs the server
    warning.get_by_role("button", name="Logga ut ändå och radera dem").click()

    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    page.wait_for_function("() => window.PolareQueue !== undefined")  # the page's scripts ran
    assert page.evaluate("() => PolareQueue.all().then((entries) => entries.length)") == 0
    assert page.evaluate("() => caches.keys()") == []
