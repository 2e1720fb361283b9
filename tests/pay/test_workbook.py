"""The payroll workbook, written and read back with openpyxl (SPEC §8)."""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.pay import services
from polare.pay.models import PayrollExport, PeriodStatus
from polare.pay.services.workbook import (
    LONEFIL_HEADERS,
    SUMMERING_HEADERS,
    UNDERLAG_HEADERS,
)
from tests.pay.conftest import ABSENT, ATTENDED, set_attendance

FORMULA_NAME = '=HYPERLINK("http://example.org","klicka")'


def money(value: float | int) -> Decimal:
    """Return a cell's number as öre-exact Decimal."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def data_rows(sheet: Worksheet) -> list[tuple]:
    """Return the rows after the header, up to the first empty row."""
    rows = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if all(value is None for value in row):
            break
        rows.append(row)
    return rows


@pytest.fixture
def december(db, rate_table, polare, make_person, make_enrolment, make_walk):
    """November closed; December holds a negative correction, an ordinary and a formula name."""
    walk = make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11")
    set_attendance(db, walk, polare, ABSENT)
    trickster = make_person(first_name=FORMULA_NAME, last_name="+46701234567",
                            birth_date=date(2007, 5, 2))
    make_enrolment(trickster, "Berga")
    make_walk(date(2026, 12, 3), [(trickster, ATTENDED)], team="Berga", start=time(19, 30),
              end=time(0, 30))
    make_walk(date(2026, 12, 10), [(trickster, ATTENDED)], team="Berga")
    return trickster


def export(db, month: str, actor=None) -> tuple[services.WorkbookExport, bytes]:
    buffer = io.BytesIO()
    written = services.export_workbook(db, actor, month, buffer)
    return written, buffer.getvalue()


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_sheets_and_headers_are_in_the_order_of_the_spec(db, december):
    _written, data = export(db, "2026-12")
    book = open_book(data)
    assert book.sheetnames == ["Lönefil", "Underlag", "Summering"]
    assert [c.value for c in book["Lönefil"][1]] == [*LONEFIL_HEADERS, "Status"]
    assert [c.value for c in book["Underlag"][1]] == [*UNDERLAG_HEADERS, "Status"]
    assert [c.value for c in book["Summering"][1]] == [*SUMMERING_HEADERS, "Status"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
    assert book["Lönefil"].column_dimensions["A"].width >= 16


def test_every_sheet_of_a_workbook_not_final_says_its_status_in_every_row(db, december):
    book = open_book(export(db, "2026-12")[1])
    for sheet in book.worksheets:
        statuses = {row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)
                    if any(value is not None for value in row)}
        assert statuses == {"PRELIMINÄR"}, sheet.title
    closed = open_book(export(db, "2026-11")[1])
    assert {row[-1] for row in closed["Underlag"].iter_rows(min_row=2, values_only=True)} == {
        "EJ ATTESTERAD"}


def test_summerings_filter_covers_only_its_table(db, december):
    summering = open_book(export(db, "2026-12")[1])["Summering"]
    assert summering.auto_filter.ref == "A1:E4"
    assert summering["A4"].value == "Totalt"


def test_underlag_numbers_its_rows_and_a_correction_names_the_row_it_corrects(db, december):
    november = data_rows(open_book(export(db, "2026-11")[1])["Underlag"])
    assert [row[0] for row in november] == [1]
    december_rows = data_rows(open_book(export(db, "2026-12")[1])["Underlag"])
    assert [row[0] for row in december_rows] == [1, 2, 3]
    [correction] = [row for row in december_rows if row[12] == "rättelse"]
    assert correction[13].startswith("2026-11, rad 1: ")


def test_open_period_is_marked_preliminary_and_closed_one_not_attested(db, december,
                                                                       payroll_user):
    written, data = export(db, "2026-12", payroll_user)
    assert written.filename == "arvoden-2026-12-PRELIMINAR.xlsx"
    info = {row[0]: row[1] for row in open_book(data)["Summering"].iter_rows(values_only=True)}
    assert info["Status"] == "PRELIMINÄR"
    assert info["Period"] == "2026-12"
    assert info["Skapad av"] == "Lena Lön"
    assert isinstance(info["Skapad"], datetime)
    written, data = export(db, "2026-11")
    assert written.filename == "arvoden-2026-11-EJ-ATTESTERAD.xlsx"
    info = {row[0]: row[1] for row in open_book(data)["Summering"].iter_rows(values_only=True)}
    assert info["Status"] == "EJ ATTESTERAD"


def test_only_an_attested_period_gives_the_final_workbook(db, rate_table, polare, make_walk,
                                                          payroll_user, attestant):
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    services.close_period(db, payroll_user, "2026-11")
    services.attest_period(db, attestant, "2026-11")
    written, data = export(db, "2026-11")
    assert written.filename == "arvoden-2026-11.xlsx"
    info = {row[0]: row[1] for row in open_book(data)["Summering"].iter_rows(values_only=True)}
    assert info["Status"] == "Slutlig (perioden är attesterad)"
    assert "Status" not in [c.value for c in open_book(data)["Underlag"][1]]


def test_cells_have_real_types_and_formats(db, december, polare):
    book = open_book(export(db, "2026-12")[1])
    lonefil = book["Lönefil"]
    pnr, _last, _first, code, count, amount, period, centre, _status = (c for c in lonefil[2])
    assert (pnr.data_type, pnr.value) == ("s", december.personnummer)
    assert code.value == "ARVODE"
    assert (count.value, type(count.value)) == (2, int)
    assert amount.number_format == "#,##0.00"
    assert isinstance(amount.value, float | int)
    assert (period.value, centre.value) == ("2026-12", "KS-4103")
    underlag = book["Underlag"]
    row = next(r for r in underlag.iter_rows(min_row=2) if r[7].value == time(0, 30))
    assert row[3].value == datetime(2026, 12, 3)
    assert row[3].number_format == "yyyy-mm-dd"
    assert (row[6].value, row[6].number_format) == (time(19, 30), "hh:mm")
    assert (row[8].value, row[9].value) == (19, 1)
    assert row[11].number_format == "#,##0.00"
    assert row[12].value == "ordinarie"
    assert row[10].value == "Exempelvärden (från 2024-08-01)"


def test_user_text_that_looks_like_a_formula_is_stored_as_text(db, december):
    book = open_book(export(db, "2026-12")[1])
    row = next(r for r in book["Lönefil"].iter_rows(min_row=2) if r[2].value == FORMULA_NAME)
    first_name, last_name = row[2], row[1]
    assert (first_name.data_type, first_name.quotePrefix) == ("s", True)
    assert (last_name.value, last_name.data_type) == ("+46701234567", "s")
    names = [r[2] for r in book["Underlag"].iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in names)
    assert f"{FORMULA_NAME} +46701234567" in [cell.value for cell in names]


def test_the_three_sheets_agree_to_the_ore_including_a_negative_total(db, december, polare):
    book = open_book(export(db, "2026-12")[1])
    lonefil = data_rows(book["Lönefil"])
    underlag = data_rows(book["Underlag"])
    summering = data_rows(book["Summering"])
    total_row = summering[-1]
    assert total_row[0] == "Totalt"
    by_lonefil = sum(money(r[5]) for r in lonefil)
    assert by_lonefil == sum(money(r[11]) for r in underlag)
    assert by_lonefil == money(total_row[3]) == sum(money(r[3]) for r in summering[:-1])
    assert by_lonefil == 2 * Decimal("250.00") - Decimal("200.00")
    negative = next(r for r in lonefil if r[0] == polare.personnummer)
    assert (money(negative[5]), negative[4]) == (Decimal("-200.00"), -1)
    assert sum(r[4] for r in lonefil) == total_row[2]
    assert [r[0] for r in summering] == ["Berga", "Ryd", "Totalt"]
    flagged = [r for r in book["Summering"].iter_rows(values_only=True) if r[0] == "Negativ summa"]
    assert [(r[1], money(r[3])) for r in flagged] == [
        (f"Elsa Ek ({polare.personnummer})", Decimal("-200.00"))]


def test_each_export_is_recorded_with_its_hash_and_audited(db, december, payroll_user):
    written, data = export(db, "2026-12", payroll_user)
    stored = db.scalars(select(PayrollExport)).one()
    assert stored is written.record
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (stored.month, stored.period_status, stored.row_count) == ("2026-12", "open", 3)
    assert stored.created_by_id == payroll_user.id
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.entity, entry.entity_id, entry.username) == (
        "pay_period", "2026-12", payroll_user.username)
    assert stored.sha256 in entry.note
    assert services.exports_of(db, "2026-12") == [(stored, "Lena Lön")]
    assert services.preview_period(db, "2026-12").status == PeriodStatus.OPEN
