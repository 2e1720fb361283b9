"""Coordinator on a desktop: enrol polare in Ryd up to the cap, consent, waitlist, activate."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.app_data import born_years_before, personnummer
from tests.e2e.helpers import log_in, success_message

pytestmark = pytest.mark.e2e

MINOR = {"first": "Linnea", "last": "Ekström", "age": 16, "serial": 871,
         "guardian": "Karin Ekström", "guardian_phone": "070-123 45 67"}
ADULT = {"first": "Oskar", "last": "Lund", "age": 19, "serial": 872}


def register(page: Page, person: dict, today: date, *, guardian: bool = False) -> None:
    """Register a new polare with an application to Ryd from the roster."""
    page.get_by_role("link", name="Ny polare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny polare")
    birth = born_years_before(today, person["age"], 40)
    page.get_by_label("Personnummer eller samordningsnummer").fill(
        personnummer(birth, person["serial"]))
    page.get_by_label("Förnamn").fill(person["first"])
    page.get_by_label("Efternamn").fill(person["last"])
    expect(page.get_by_label("Team", exact=True).locator("option:checked")).to_have_text("Ryd")
    if guardian:
        page.get_by_label("Vårdnadshavarens namn").fill(person["guardian"])
        page.get_by_label("Vårdnadshavarens telefon").fill(person["guardian_phone"])
        page.get_by_label("Relation").fill("mamma")
    page.get_by_role("button", name="Registrera och anmäl").click()
    name = f"{person['first']} {person['last']}"
    expect(success_message(page)).to_contain_text(f"{name} är registrerad och anmäld.")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def open_roster(page: Page) -> None:
    """Open the coordinator's roster (Ryd, this school year) from the menu."""
    page.locator("#mainnav").get_by_role("link", name="Polare", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ryd")


def expect_active(page: Page, active: int, cap: int) -> None:
    """Expect the roster to say how many are active of the cap."""
    expect(page.locator(".roster-summary")).to_contain_text(f"{active} / {cap} aktiva")


def test_coordinator_enrols_to_the_cap_with_consent_then_waitlists_and_activates(
    browse, e2e_server
) -> None:
    data = e2e_server.data
    today = date.fromisoformat(data["today"])
    cap = data["ryd_cap"]
    page = browse()
    log_in(page, "e2e-samordnare", e2e_server.password)

    open_roster(page)
    expect_active(page, cap - 1, cap)

    # A 16-year-old with a guardian: activation is refused until consent is registered.
    register(page, MINOR, today, guardian=True)
    page.get_by_role("link", name=re.compile(r"^Hantera")).click()
    expect(page.get_by_text("är under 18 och behöver samtycke")).to_be_visible()
    expect(page.get_by_label("Aktiv från")).to_have_value(today.isoformat())
    page.get_by_role("button", name="Aktivera", exact=True).click()
    expect(page.locator("main .alert-danger")).to_contain_text(
        "Samtycke från vårdnadshavare saknas")
    page.get_by_label("Vårdnadshavare", exact=True).select_option(
        label=f"{MINOR['guardian']} (mamma)")
    page.get_by_label("Datum för skriftligt samtycke").fill(today.isoformat())
    page.get_by_role("button", name="Registrera samtycke").click()
    expect(success_message(page)).to_contain_text("Samtycket är registrerat.")
    expect(page.get_by_text(f"Skriftligt samtycke {today.isoformat()} från "
                            f"{MINOR['guardian']}.")).to_be_visible()
    page.get_by_role("button", name="Aktivera", exact=True).click()
    expect(success_message(page)).to_contain_text(
        f"{MINOR['first']} {MINOR['last']} är aktiv från {today.isoformat()}.")
    expect_active(page, cap, cap)

    # An adult when the team is full: the cap refusal offers the waiting list.
    register(page, ADULT, today)
    page.get_by_role("link", name=re.compile(r"^Hantera")).click()
    page.get_by_role("button", name="Aktivera", exact=True).click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text(f"Ryd har redan {cap} aktiva polare")
    refusal.get_by_role("button", name="Sätt på väntelistan i stället").click()
    adult = f"{ADULT['first']} {ADULT['last']}"
    expect(success_message(page)).to_contain_text(f"{adult} står nu på väntelistan.")
    waiting = page.get_by_role("region", name="Väntelista")
    expect(waiting).to_contain_text(f"{ADULT['last']}, {ADULT['first']}")

    # Ending an active enrolment frees a place for the first on the waiting list.
    page.get_by_role("link", name="Hantera Nils Ryberg").click()
    expect(page.get_by_label("Slutdatum")).to_have_value(today.isoformat())
    page.get_by_label("Anledning").fill("Flyttar från Linköping")
    page.get_by_role("button", name="Avsluta anmälan").click()
    expect(success_message(page)).to_contain_text("platsen är ledig")
    expect_active(page, cap - 1, cap)

    waiting.get_by_role("link", name=f"Hantera {adult}").click()
    page.get_by_role("button", name="Aktivera", exact=True).click()
    expect(success_message(page)).to_contain_text(f"{adult} är aktiv från {today.isoformat()}.")
    expect_active(page, cap, cap)
    expect(page.get_by_role("region", name="Väntelista")).to_have_count(0)
    page.get_by_role("link", name="Ryberg, Nils").click()
    expect(page.get_by_role("region", name="Anmälningar")).to_contain_text(
        f"Slut {today.isoformat()}: Flyttar från Linköping")
