"""Payroll on a desktop: preview a month, explain a line, close it, have a second person attest
it, download the final workbook."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.helpers import success_message

pytestmark = pytest.mark.e2e

def money(amount: str) -> re.Pattern[str]:
    """Match an amount as the pages show it (1 234,50 kr with no-break spaces)."""
    kronor, ore = f"{Decimal(amount):.2f}".split(".")
    groups = [kronor[max(0, end - 3):end] for end in range(len(kronor), 0, -3)][::-1]
    return re.compile(r"[\s\u00a0]?".join(groups) + rf",{ore}\s*kr")


def download(page: Page, button: str, folder: Path) -> Path:
    """Click a download button and return the saved file, named as the server named it."""
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def rows_of(sheet) -> list[tuple]:
    """Return the data rows of a sheet (after the header) up to the first empty row."""
    rows = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if all(cell is None for cell in row):
            break
        rows.append(row)
    return rows


def test_payroll_previews_explains_closes_and_downloads_the_month(
    browse, e2e_server, tmp_path: Path
) -> None:
    data = e2e_server.data
    month, team = data["pay_month"], data["pay_team"]
    minor, adult = Decimal(data["pay_amounts"]["minor"]), Decimal(data["pay_amounts"]["adult"])
    page = browse("e2e-lon")

    page.goto("/")
    page.locator("#mainnav").get_by_role("link", name="Arvoden").click()
    page.get_by_role("link", name=month, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Arvoden {month}")
    expect(page.get_by_text("PRELIMINÄR: raderna räknas om")).to_be_visible()
    team_row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=team,
                                                                      exact=True))
    expect(team_row).to_contain_text(money(str(minor + adult)))

    # One line explains itself: age and years on the walk's date, band and table version.
    page.get_by_role("link", name=re.compile("Elin")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Elin Skog")
    line = page.get_by_role("row").filter(has_text="ordinarie")
    expect(line).to_contain_text("Ålder 16, 1 år i verksamheten")
    expect(line).to_contain_text("E2E-tabell")
    expect(line).to_contain_text(money(str(minor)))
    page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name=month).click()

    preliminary = download(page, "Ladda ner arbetsboken (PRELIMINÄR)", tmp_path)
    assert preliminary.name == f"arvoden-{month}-PRELIMINAR.xlsx"

    page.get_by_role("link", name="Stäng perioden …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Stäng perioden {month}")
    page.get_by_label("Jag har granskat raderna.").check()
    page.get_by_role("button", name="Stäng perioden").click()
    expect(success_message(page)).to_contain_text(
        f"Perioden {month} är stängd. Raderna är låsta och perioden väntar på attest.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("stängd — väntar på attest")
    expect(page.get_by_role("link", name="Stäng perioden …")).to_have_count(0)
    expect(page.get_by_role("button", name="Attestera perioden")).to_have_count(0)
    unattested = download(page, "Ladda ner arbetsboken (EJ ATTESTERAD)", tmp_path)
    assert unattested.name == f"arvoden-{month}-EJ-ATTESTERAD.xlsx"

    # A second person with attesträtt attests; only then is the workbook final.
    page = browse("e2e-attest")
    page.goto(f"/payroll/periods/{month}")
    expect(page.locator("#period-steps")).to_contain_text("Lisa Lön")
    page.get_by_label("Jag har granskat raderna. Attesten är slutgiltig.").check()
    page.get_by_role("button", name="Attestera perioden").click()
    expect(success_message(page)).to_contain_text(f"Perioden {month} är attesterad.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("attesterad")
    expect(page.locator("#period-steps")).to_contain_text("Ada Attest")
    expect(page.get_by_role("button", name="Öppna perioden igen")).to_have_count(0)

    workbook_path = download(page, "Ladda ner arbetsboken", tmp_path)
    assert workbook_path.name == f"arvoden-{month}.xlsx"
    workbook = load_workbook(workbook_path)
    assert workbook.sheetnames == ["Lönefil", "Underlag", "Summering"]

    lonefil = rows_of(workbook["Lönefil"])
    underlag = rows_of(workbook["Underlag"])
    summering = rows_of(workbook["Summering"])
    lonefil_total = sum(Decimal(str(row[5])) for row in lonefil)
    underlag_total = sum(Decimal(str(row[11])) for row in underlag)
    totals = {row[0]: row for row in summering}
    assert Decimal(str(totals["Totalt"][3])) == lonefil_total == underlag_total
    assert totals[team][1:3] == (2, 2)
    assert Decimal(str(totals[team][3])) == minor + adult
    assert [row[0] for row in underlag] == list(range(1, len(underlag) + 1))
    ages = {row[2]: (row[8], row[9], Decimal(str(row[11]))) for row in underlag
            if row[4] == team}
    assert sorted(ages.values()) == [(16, 1, minor), (19, 1, adult)]
    assert all(row[6] == month for row in lonefil)
    status = {row[0]: row[1] for row in workbook["Summering"].iter_rows(values_only=True)}
    assert status["Status"].startswith("Slutlig")
