"""The Excel report: read back, its figures equal the page's; the CLI writes the same book."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from polare.auth.models import Role
from polare.reports.tables import Hours, Money, Percent, cell_text
from tests.reports.conftest import page_table

QUERY = "period=tertial&tertial=2026-3"
SHEETS = ["Sammanfattning", "Per team", "Per stadsdel", "Per månad", "Händelser",
          "Aktiviteter", "Rekrytering", "Kostnad per månad", "Budget"]
TABLE_KEYS = ["summary", "teams", "districts", "months", "incidents", "events", "recruits",
              "cost", "budget"]


def _as_page_text(value, like: str) -> str:
    """Format a cell read from the workbook the way the page formats it."""
    if value is None and like == "":
        return ""  # an empty text cell reads back as None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float | int) and not isinstance(value, bool):
        if ":" in like:
            return cell_text(Hours(Decimal(str(value))))
        if like.endswith("kr"):
            return cell_text(Money(Decimal(str(value)).quantize(Decimal("0.01"))))
        if "," in like:
            digits = len(like.split(",")[1].replace("\u00a0%", ""))
            return cell_text(Percent(Decimal(str(value)).quantize(Decimal(10) ** -digits)))
        return cell_text(int(value))
    return cell_text(value)


def _workbook(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def test_workbook_starts_with_the_summary_of_measures(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    book = _workbook(client, f"/reports/export.xlsx?{QUERY}")
    assert book.sheetnames == SHEETS
    sheet = book["Sammanfattning"]
    assert [sheet["A1"].value, sheet["B1"].value] == ["Mått", "Värde"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Från"] == datetime(2026, 9, 1)
    assert (values["Nattvandringar"], values["Timmar"], values["Polarpass"],
            values["Unika polare"], values["Träffade ungdomar"], values["Samtal"]) == (
        3, 13.25, 6, 3, 32, 13)
    assert values["Arvoden"] == 1050


def test_workbook_figures_equal_the_pages(client, login_as, data, frozen_today):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    html = client.get(f"/reports/?{QUERY}").get_data(as_text=True)
    book = _workbook(client, f"/reports/export.xlsx?{QUERY}")
    for key, title in zip(TABLE_KEYS, SHEETS, strict=True):
        page_rows = page_table(html, key)
        sheet_rows = [list(row) for row in book[title].iter_rows(values_only=True)]
        assert len(sheet_rows) == len(page_rows), title
        for page_row, sheet_row in zip(page_rows, sheet_rows, strict=True):
            assert [_as_page_text(v, p) for v, p in zip(sheet_row, page_row, strict=True)] \
                == page_row, title


def test_workbook_has_native_charts(client, login_as, data, frozen_today):
    login_as(Role.PAYROLL)
    book = _workbook(client, f"/reports/export.xlsx?{QUERY}")
    charted = {name for name in book.sheetnames if book[name]._charts}  # noqa: SLF001
    assert charted >= {"Per team", "Per stadsdel", "Per månad", "Kostnad per månad"}


def test_team_names_are_written_as_text_not_formulas(client, login_as, data, frozen_today, db,
                                                      teams):
    teams["Berga"].name = "=HYPERLINK(\"http://x\")"
    db.flush()
    login_as(Role.ADMIN)
    book = _workbook(client, f"/reports/export.xlsx?{QUERY}")
    cell = next(c for row in book["Per team"].iter_rows() for c in row
                if str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s"


def test_supervisors_workbook_has_no_cost(client, login_as, data, frozen_today):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    book = _workbook(client, f"/reports/export.xlsx?{QUERY}")
    assert "Kostnad per månad" not in book.sheetnames
    values = {row[0] for row in book["Sammanfattning"].iter_rows(values_only=True)}
    assert "Arvoden" not in values


def test_cli_report_writes_the_workbook_for_the_named_team(app, db, data, tmp_path):
    out = tmp_path / "rapport.xlsx"
    result = app.test_cli_runner().invoke(args=[
        "report", "--from", "2026-09-01", "--to", "2026-12-31", "--team", "Ryd",
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 nattvandringar" in result.output
    values = {row[0]: row[1] for row in load_workbook(out)["Sammanfattning"].iter_rows(
        min_row=2, values_only=True)}
    assert (values["Team"], values["Nattvandringar"], values["Timmar"]) == ("Ryd", 3, 13.25)
    assert values["Till"] == datetime(2026, 12, 31)


def test_cli_report_refuses_an_unknown_team(app, db, tmp_path):
    result = app.test_cli_runner().invoke(args=[
        "report", "--from", "2026-09-01", "--to", "2026-12-31", "--team", "Atlantis",
        "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code != 0
    assert "Atlantis" in result.output


def test_cli_report_of_all_teams(app, db, data, tmp_path):
    out = tmp_path / "alla.xlsx"
    result = app.test_cli_runner().invoke(args=[
        "report", "--from", "2026-08-01", "--to", "2027-07-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    values = {row[0]: row[1] for row in load_workbook(out)["Sammanfattning"].iter_rows(
        min_row=2, values_only=True)}
    assert (values["Team"], values["Nattvandringar"], values["Unika polare"]) == (
        "Alla team", 5, 4)
    assert values["Från"].date() == date(2026, 8, 1)


def test_cli_report_refuses_a_range_over_three_school_years(app, db, tmp_path):
    result = app.test_cli_runner().invoke(args=[
        "report", "--from", "2020-01-01", "--to", "2026-12-31", "--out", str(tmp_path / "x")])
    assert result.exit_code != 0
    assert "36" in result.output
