"""The export benchmark's baseline: plain openpyxl writing the very cells the export wrote."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from benchmarks.export import plain_openpyxl, read_cells
from exports import Sheet, write_workbook
from exports.xlsx import AMOUNT_FORMAT, TEXT_FORMAT


def test_plain_openpyxl_writes_the_same_values_and_number_formats(tmp_path):
    exported = tmp_path / "export.xlsx"
    rows = [("20091029-9551", "Adam Ahmed", date(2026, 10, 8), time(18, 30), 16,
             Decimal("120.00"), None),
            ("=1+1", "Bea Berg", date(2026, 10, 9), time(19, 0), 17, Decimal("-5.50"), "rättelse")]
    with exported.open("wb") as out:
        write_workbook([Sheet("Underlag", ("Pnr", "Namn", "Datum", "Start", "Ålder", "Belopp",
                                           "Typ"), rows,
                              number_formats={0: TEXT_FORMAT, 4: "0", 5: AMOUNT_FORMAT})], out)
    cells = read_cells(exported)
    plain = tmp_path / "plain.xlsx"
    written = plain_openpyxl(cells, plain)
    assert read_cells(plain) == cells
    assert written.cells == sum(len(row) for _title, sheet in cells for row in sheet)
    first = cells[0][1][1]
    assert [number_format for _value, number_format in first[2:6]] == [
        "yyyy-mm-dd", "hh:mm", "General", AMOUNT_FORMAT]
