"""Recruitment as its users meet it: a 16-year-old applies on a 360 px phone, the guardian
consents through the link on a 360 px phone, and the coordinator activates the enrolment.

The e2e server has no MAIL_SERVER, so the coordinator sends the link from the application's
page and passes on the link it shows. Every public page must fit 360 px without sideways
scrolling and pass axe-core with no serious or critical violation.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.app_data import born_years_before, personnummer
from tests.e2e.helpers import assert_no_sideways_scroll, success_message
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = pytest.mark.e2e

AXE = Axe()
APPLICANT = {"first": "Alva", "last": "Ansökare", "serial": 881, "guardian": "Greta Ansökare"}


def assert_fits_and_passes_axe(page: Page) -> None:
    """Fail if the page scrolls sideways or has a serious or critical axe violation."""
    assert_no_sideways_scroll(page)
    blocking = [v for v in AXE.run(page).response["violations"]
                if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{page.url}:\n{describe(blocking)}"


def apply_on_a_phone(page: Page, today: date) -> None:
    """Apply to Skäggetorp from /ansok as a 16-year-old, through the form as shown."""
    page.goto("/ansok")
    assert_fits_and_passes_axe(page)
    page.get_by_role("link", name="Skäggetorp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ansök till Skäggetorp")
    assert_fits_and_passes_axe(page)
    page.get_by_label("Förnamn").fill(APPLICANT["first"])
    page.get_by_label("Efternamn").fill(APPLICANT["last"])
    page.get_by_label("Personnummer").fill(
        personnummer(born_years_before(today, 16), APPLICANT["serial"]))
    page.get_by_label("Mobiltelefon").fill("070-765 43 21")
    page.get_by_label("E-post", exact=True).fill("alva@example.se")
    page.get_by_label("Skola").fill("Ånestadsskolan")
    page.get_by_label("Varför vill du bli polare?").fill("Jag vill göra Skäggetorp tryggare.")
    page.get_by_label("Vårdnadshavarens namn").fill(APPLICANT["guardian"])
    page.get_by_label("Vårdnadshavarens telefon").fill("070-111 22 33")
    page.get_by_label("Vårdnadshavarens e-post").fill("greta@example.se")
    page.get_by_label("Jag har läst hur mina uppgifter behandlas.").check()
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för din ansökan")
    assert_fits_and_passes_axe(page)


def consent_link_from_the_coordinator(page: Page) -> str:
    """Open the new application from the roster and send the guardian's link by hand."""
    page.goto("/")
    expect(page.get_by_text(re.compile(r"Nya ansökningar \(\d+\)"))).to_be_visible()
    page.locator("#mainnav").get_by_role("link", name="Polare", exact=True).click()
    row = page.get_by_role("row").filter(has_text=f"{APPLICANT['last']}, {APPLICANT['first']}")
    row.get_by_role("link", name="Ny ansökan").click()
    expect(page.locator(".motivation")).to_have_text("Jag vill göra Skäggetorp tryggare.")
    page.get_by_role("button", name=f"Skicka samtyckeslänk till {APPLICANT['guardian']}").click()
    expect(page.get_by_text("MAIL_SERVER saknas").first).to_be_visible()
    return urlsplit(page.locator("code.consent-link").inner_text()).path


def test_a_sixteen_year_old_applies_on_a_phone_the_guardian_consents_and_is_activated(
    browse, e2e_server
) -> None:
    today = date.fromisoformat(e2e_server.data["today"])
    apply_on_a_phone(browse(narrow=True), today)

    coordinator = browse("e2e-skagg")
    link = consent_link_from_the_coordinator(coordinator)

    guardian = browse(narrow=True)
    guardian.goto(link)
    expect(guardian.get_by_role("heading", level=1)).to_have_text("Samtycke från vårdnadshavare")
    expect(guardian.get_by_text("Polare under 18 år går inte längre än till klockan")) \
        .to_be_visible()
    assert_fits_and_passes_axe(guardian)
    guardian.get_by_label("Jag är vårdnadshavare och samtycker till det som står ovan.").check()
    guardian.get_by_role("button", name="Lämna samtycke").click()
    expect(guardian.get_by_text("Tack! Ditt samtycke är registrerat.")).to_be_visible()
    assert_fits_and_passes_axe(guardian)

    coordinator.reload()
    expect(coordinator.locator(".consent-state")).to_have_text("samtycke")
    coordinator.get_by_role("link", name=re.compile(r"Skäggetorp .*: anmälan")).click()
    expect(coordinator.get_by_text("Samtycket kom via e-postlänk")).to_be_visible()
    coordinator.get_by_role("button", name="Aktivera", exact=True).click()
    expect(success_message(coordinator)).to_contain_text(
        f"{APPLICANT['first']} {APPLICANT['last']} är aktiv från {today.isoformat()}.")
