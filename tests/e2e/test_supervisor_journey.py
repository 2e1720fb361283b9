"""Supervisor on a phone (390 × 844): plan a walk, log it, approve it; nothing scrolls sideways."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_sideways_scroll, success_message

pytestmark = pytest.mark.e2e

INCIDENT = "Stöttat ungdom"


def test_supervisor_plans_logs_and_approves_a_walk_on_a_phone(browse, e2e_server) -> None:
    data = e2e_server.data
    walk_day = (date.fromisoformat(data["today"]) - timedelta(days=1)).isoformat()
    attending, absent = data["berga_polare"]
    page = browse("e2e-handledare", phone=True)

    page.goto("/walks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nattvandringar")
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Planera nattvandring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planera nattvandring")
    assert_no_sideways_scroll(page)
    page.get_by_label("Datum").fill(walk_day)
    page.get_by_label("Start").fill("18:00")
    page.get_by_label("Slut", exact=True).fill("21:00")
    expect(page.get_by_label("Stadsdel").locator("option:checked")).to_have_text("Berga")
    page.get_by_label("Mötesplats").fill("Berga centrum, vid biblioteket")
    staff = page.get_by_role("group", name="Ansvarig personal")
    expect(staff.get_by_label("Harald Handledare")).to_be_checked()
    polare = page.get_by_role("group", name="Polare", exact=True)
    polare.get_by_label(attending).check()
    polare.get_by_label(absent).check()
    page.get_by_role("button", name="Spara").click()

    expect(success_message(page)).to_contain_text("Nattvandringen är planerad.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Nattvandring {walk_day}")
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Logga nattvandringen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga nattvandring")
    assert_no_sideways_scroll(page)
    page.get_by_role("group", name=attending).get_by_text("Närvarande").click()
    page.get_by_role("group", name=absent).get_by_text("Frånvarande").click()
    page.get_by_role("spinbutton", name="Ungdomar ni mötte", exact=True).fill("9")
    increase_talked = page.get_by_role("button", name="Öka Ungdomar ni pratade med")
    for _ in range(3):
        increase_talked.click()
    expect(page.get_by_role("spinbutton", name="Ungdomar ni pratade med", exact=True)
           ).to_have_value("3")
    page.get_by_role("button", name=f"Öka {INCIDENT}").click()
    expect(page.get_by_role("spinbutton", name=INCIDENT, exact=True)).to_have_value("1")
    page.get_by_label("Iakttagelser").fill("Lugn kväll. En grupp vid skolan ville prata.")
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Spara och markera genomförd").click()

    expect(success_message(page)).to_contain_text("Nattvandringen är sparad.")
    expect(page.locator("main .badge").first).to_have_text("Genomförd")
    details = page.locator("main dl")
    expect(details).to_contain_text("9")
    expect(details).to_contain_text(f"{INCIDENT}: 1")
    expect(page.locator("main .list-group")).to_contain_text(re.compile(
        rf"{attending}\s*närvarande.*{absent}\s*frånvarande|{absent}\s*frånvarande.*"
        rf"{attending}\s*närvarande", re.S))
    assert_no_sideways_scroll(page)

    page.get_by_role("button", name="Visa meny").click()
    page.locator("#mainnav").get_by_role("link", name="Att godkänna").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Att godkänna")
    assert_no_sideways_scroll(page)
    card = page.get_by_role("region", name=re.compile(rf"^{walk_day} 18:00"))
    expect(card).to_contain_text(f"Närvarande polare: 1 av 2 ({attending})")
    card.get_by_label("Jag har sett att polare saknar obligatorisk utbildning").check()
    card.get_by_role("button", name="Godkänn").click()

    expect(success_message(page)).to_contain_text(f"Nattvandringen {walk_day} är godkänd.")
    expect(page.get_by_role("region", name=re.compile(rf"^{walk_day} 18:00"))).to_have_count(0)
    assert_no_sideways_scroll(page)
    page.goto("/walks/?status=approved")
    expect(page.get_by_role("link", name=walk_day)).to_be_visible()
    assert_no_sideways_scroll(page)
