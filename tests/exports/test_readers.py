"""Reading uploaded .xlsx and .csv files, refusing unsafe ones, and parsing cell values."""

import importlib.util
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import openpyxl.xml
import pytest
from openpyxl import load_workbook

from exports.errors import ImportFileError, TooManyRowsError
from exports.readers import (
    ZipLimits,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    parse_time,
    read_table,
    template_bytes,
)
from exports.xlsx import Sheet, write_workbook

HEADERS = ("Personnummer", "Förnamn", "Datum")


def xlsx(headers: Any, rows: Any) -> bytes:
    """Return an .xlsx file with one sheet of `headers` and `rows`."""
    out = io.BytesIO()
    write_workbook([Sheet("Blad1", headers, rows)], out)
    return out.getvalue()


def zip_file(members: dict[str, bytes]) -> bytes:
    """Return a deflated zip archive holding `members`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def values_of(filename: str, data: bytes, headers: Any = HEADERS) -> list[dict[str, Any]]:
    return [row.values for row in read_table(filename, data, headers).rows]


@pytest.fixture
def openpyxl_must_not_open(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        pytest.fail("openpyxl was asked to open a file that should have been refused")

    monkeypatch.setattr("exports.readers.load_workbook", fail)


# -- row limit ----------------------------------------------------------------------------------


def test_reading_stops_at_the_data_row_after_the_limit() -> None:
    # Row 6 would be refused for its value without a header, were it read.
    data = "Personnummer;Förnamn;Datum\n" + "a;b;\n" * 4 + "a;b;;utan rubrik\n"
    with pytest.raises(TooManyRowsError, match="fler än 3 rader"):
        read_table("f.csv", data.encode(), HEADERS, max_rows=3)


def test_empty_rows_do_not_count_towards_the_limit() -> None:
    rows = [["a", "b", None], [None, None, None], ["c", "d", None]]
    assert len(read_table("f.xlsx", xlsx(HEADERS, rows), HEADERS, max_rows=2).rows) == 2


# -- xlsx ---------------------------------------------------------------------------------------


def test_xlsx_round_trip_keys_values_by_expected_headers() -> None:
    data = xlsx(HEADERS, [["20080314-2389", " Anna ", date(2026, 11, 24)]])

    assert values_of("polare.xlsx", data) == [
        {"Personnummer": "20080314-2389", "Förnamn": "Anna", "Datum": date(2026, 11, 24)}
    ]


def test_xlsx_extension_is_matched_ignoring_case() -> None:
    assert values_of("POLARE.XLSX", xlsx(HEADERS, [["x", "y", None]]))


def test_xlsx_datetime_with_a_time_of_day_stays_a_datetime() -> None:
    data = xlsx(["Tid"], [[datetime(2026, 11, 24, 18, 30)]])

    assert values_of("f.xlsx", data, ["Tid"]) == [{"Tid": datetime(2026, 11, 24, 18, 30)}]


def test_xlsx_time_is_read_as_a_time() -> None:
    assert values_of("f.xlsx", xlsx(["Start"], [[time(18, 0)]]), ["Start"]) == [
        {"Start": time(18, 0)}
    ]


def test_xlsx_numbers_are_read_as_decimals_from_their_shortest_text() -> None:
    data = xlsx(["Tal"], [[0.1], [Decimal("1234.50")]])

    assert values_of("f.xlsx", data, ["Tal"]) == [
        {"Tal": Decimal("0.1")},
        {"Tal": Decimal("1234.5")},
    ]


def test_xlsx_whole_numbers_are_read_without_a_fractional_part() -> None:
    data = xlsx(["Personnummer"], [[200803142389.0]])

    assert str(values_of("f.xlsx", data, ["Personnummer"])[0]["Personnummer"]) == "200803142389"


def test_xlsx_first_data_row_is_row_two() -> None:
    table = read_table("f.xlsx", xlsx(HEADERS, [["a", "b", None], ["c", "d", None]]), HEADERS)

    assert [row.number for row in table.rows] == [2, 3]


def test_xlsx_empty_rows_are_skipped_and_numbering_keeps_counting() -> None:
    rows = [["a", "b", None], [None, None, None], ["  ", None, None], ["c", "d", None]]

    table = read_table("f.xlsx", xlsx(HEADERS, rows), HEADERS)

    assert [(row.number, row.values["Personnummer"]) for row in table.rows] == [(2, "a"), (5, "c")]


def test_xlsx_reads_the_first_sheet() -> None:
    out = io.BytesIO()
    write_workbook([Sheet("Polare", ["Namn"], [["Anna"]]), Sheet("Info", ["Namn"], [["x"]])], out)

    assert values_of("f.xlsx", out.getvalue(), ["Namn"]) == [{"Namn": "Anna"}]


def test_xlsx_missing_cells_at_the_end_of_a_row_are_none() -> None:
    data = xlsx(HEADERS, [["a", None, None]])

    assert values_of("f.xlsx", data) == [{"Personnummer": "a", "Förnamn": None, "Datum": None}]


def test_xlsx_not_a_zip_is_refused(openpyxl_must_not_open: None) -> None:
    with pytest.raises(ImportFileError, match=r"kunde inte läsas som Excel \(\.xlsx\)"):
        read_table("f.xlsx", b"Personnummer;Namn\r\n", HEADERS)


def test_xlsx_zip_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(ImportFileError, match=r"kunde inte läsas som Excel \(\.xlsx\)"):
        read_table("f.xlsx", zip_file({"readme.txt": b"hello"}), HEADERS)


def test_xlsx_with_too_many_zip_entries_is_refused_unopened(openpyxl_must_not_open: None) -> None:
    data = zip_file({f"xl/part{number}.xml": b"<x/>" for number in range(1_001)})

    with pytest.raises(ImportFileError, match="för många delar"):
        read_table("f.xlsx", data, HEADERS)


def test_xlsx_unpacking_beyond_the_size_limit_is_refused_unopened(
    openpyxl_must_not_open: None,
) -> None:
    data = zip_file({"xl/worksheets/sheet1.xml": b"\0" * (50 * 1024 * 1024 + 1)})

    with pytest.raises(ImportFileError, match="för stor uppackad"):
        read_table("f.xlsx", data, HEADERS)


def test_xlsx_member_with_a_huge_compression_ratio_is_refused_unopened(
    openpyxl_must_not_open: None,
) -> None:
    data = zip_file({"xl/worksheets/sheet1.xml": b"\0" * (2 * 1024 * 1024)})

    with pytest.raises(ImportFileError, match="zip-bomb"):
        read_table("f.xlsx", data, HEADERS)


def test_xlsx_zip_limits_are_configurable(openpyxl_must_not_open: None) -> None:
    data = xlsx(HEADERS, [])

    with pytest.raises(ImportFileError, match="för många delar"):
        read_table("f.xlsx", data, HEADERS, limits=ZipLimits(max_entries=3))


def test_defusedxml_is_installed_so_openpyxl_parses_safely() -> None:
    assert importlib.util.find_spec("defusedxml") is not None
    assert openpyxl.xml.DEFUSEDXML


# -- csv ----------------------------------------------------------------------------------------


def test_csv_with_bom_and_semicolons_as_swedish_excel_saves_it() -> None:
    data = "\ufeffPersonnummer;Förnamn;Datum\r\n20080314-2389;Åsa;2026-11-24\r\n".encode()

    assert values_of("polare.csv", data) == [
        {"Personnummer": "20080314-2389", "Förnamn": "Åsa", "Datum": "2026-11-24"}
    ]


def test_csv_with_commas_and_no_bom() -> None:
    data = b"Personnummer,F\xc3\xb6rnamn,Datum\n20080314-2389,Anna,2026-11-24\n"

    assert values_of("polare.csv", data)[0]["Förnamn"] == "Anna"


def test_csv_values_are_stripped_and_blank_values_are_none() -> None:
    data = "Personnummer;Förnamn;Datum\n 20080314-2389 ;  ;\n".encode()

    assert values_of("f.csv", data) == [
        {"Personnummer": "20080314-2389", "Förnamn": None, "Datum": None}
    ]


def test_csv_empty_rows_are_skipped_and_numbering_keeps_counting() -> None:
    data = "Personnummer;Förnamn;Datum\na;b;c\n\n;;\nd;e;f\n".encode()

    table = read_table("f.csv", data, HEADERS)

    assert [row.number for row in table.rows] == [2, 5]


def test_csv_quoted_field_with_a_line_break_is_one_row() -> None:
    data = 'Personnummer;Förnamn;Datum\na;"Anna\nMaria";c\nd;e;f\n'.encode()

    table = read_table("f.csv", data, HEADERS)

    assert [(row.number, row.values["Förnamn"]) for row in table.rows] == [
        (2, "Anna\nMaria"),
        (3, "e"),
    ]


def test_csv_not_in_utf8_is_refused_with_advice() -> None:
    data = "Personnummer;Förnamn;Datum\n".encode("cp1252")

    with pytest.raises(ImportFileError, match="inte sparad som UTF-8"):
        read_table("f.csv", data, HEADERS)


# -- headers and files --------------------------------------------------------------------------


def test_headers_are_matched_ignoring_case_and_surrounding_spaces() -> None:
    data = " personnummer ;FÖRNAMN;Datum \na;b;c\n".encode()

    assert values_of("f.csv", data) == [{"Personnummer": "a", "Förnamn": "b", "Datum": "c"}]


def test_headers_may_come_in_any_order() -> None:
    table = read_table("f.csv", "Datum;Förnamn;Personnummer\nc;b;a\n".encode(), HEADERS)

    assert table.headers == ("Datum", "Förnamn", "Personnummer")
    assert table.rows[0].values == {"Personnummer": "a", "Förnamn": "b", "Datum": "c"}


def test_missing_header_is_named() -> None:
    with pytest.raises(ImportFileError, match="^Kolumnen 'Personnummer' saknas.$"):
        read_table("f.csv", "Förnamn;Datum\nb;c\n".encode(), HEADERS)


def test_several_missing_headers_are_all_named() -> None:
    with pytest.raises(ImportFileError, match="^Kolumnerna 'Personnummer', 'Datum' saknas.$"):
        read_table("f.csv", "Förnamn\nb\n".encode(), HEADERS)


def test_unknown_column_is_refused_by_name() -> None:
    data = "Personnummer;Förnamn;Datum;Skostorlek\na;b;c;42\n".encode()

    with pytest.raises(ImportFileError, match="^Okänd kolumn 'Skostorlek'.$"):
        read_table("f.csv", data, HEADERS)


def test_repeated_column_is_refused() -> None:
    data = "Personnummer;Förnamn;Datum;förnamn\na;b;c;d\n".encode()

    with pytest.raises(ImportFileError, match="'Förnamn' finns flera gånger"):
        read_table("f.csv", data, HEADERS)


def test_value_in_a_column_without_header_is_refused_with_its_row() -> None:
    data = "Personnummer;Förnamn;Datum\na;b;c\nd;e;f;extra\n".encode()

    with pytest.raises(ImportFileError, match="Rad 3 har ett värde i kolumn D"):
        read_table("f.csv", data, HEADERS)


def test_empty_file_is_refused() -> None:
    with pytest.raises(ImportFileError, match="Filen är tom"):
        read_table("f.csv", b"", HEADERS)


@pytest.mark.parametrize("filename", ["polare.xls", "polare.ods", "polare", "polare.xlsx.exe"])
def test_unsupported_file_types_are_refused(filename: str, openpyxl_must_not_open: None) -> None:
    with pytest.raises(ImportFileError, match="stöds inte"):
        read_table(filename, xlsx(HEADERS, []), HEADERS)


# -- templates ----------------------------------------------------------------------------------


def test_xlsx_template_has_the_headers_and_reads_back_empty() -> None:
    data = template_bytes(HEADERS)

    assert read_table("mall.xlsx", data, HEADERS).rows == []


def test_xlsx_template_columns_are_formatted_as_text() -> None:
    ws = load_workbook(io.BytesIO(template_bytes(HEADERS))).active

    assert [ws.column_dimensions[letter].number_format for letter in "ABC"] == ["@"] * 3


def test_xlsx_template_includes_example_rows() -> None:
    data = template_bytes(HEADERS, example_rows=[["20080314-2389", "Anna", "2026-11-24"]])

    assert values_of("mall.xlsx", data)[0]["Förnamn"] == "Anna"


def test_csv_template_is_a_semicolon_header_line() -> None:
    assert template_bytes(HEADERS, kind="csv").decode("utf-8-sig") == (
        "Personnummer;Förnamn;Datum\r\n"
    )


# -- parsing cell values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        (date(2026, 11, 24), date(2026, 11, 24)),
    ],
)
def test_parse_date_accepts_iso_text_and_excel_dates(value: Any, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30", "24/11/2026", "20261124", "2026-W01"])
def test_parse_date_refuses_other_text_naming_it_and_the_form(text: str) -> None:
    with pytest.raises(ValueError, match=f"^Ogiltigt datum '{text}' \\(ÅÅÅÅ-MM-DD\\)$"):
        parse_date(text)


def test_parse_date_refuses_a_date_with_a_time_of_day() -> None:
    with pytest.raises(ValueError, match="utan klockslag"):
        parse_date(datetime(2026, 11, 24, 18, 30))


def test_parse_date_refuses_an_empty_cell() -> None:
    with pytest.raises(ValueError, match="^Värde saknas$"):
        parse_date(None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("18:00", time(18, 0)),
        ("8:05", time(8, 5)),
        (time(23, 30), time(23, 30)),
    ],
)
def test_parse_time_accepts_hours_and_minutes(value: Any, expected: time) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize("text", ["24:00", "18:60", "18.00", "1800", "kväll"])
def test_parse_time_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError, match=f"^Ogiltig tid '{text}' \\(TT:MM\\)$"):
        parse_time(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("1\u00a0234,50", Decimal("1234.50")),
        ("1234.50", Decimal("1234.50")),
        ("-12,5", Decimal("-12.5")),
        ("350", Decimal("350")),
        (Decimal("0.1"), Decimal("0.1")),
    ],
)
def test_parse_decimal_accepts_swedish_and_plain_forms(value: Any, expected: Decimal) -> None:
    assert parse_decimal(value) == expected


@pytest.mark.parametrize("text", ["1,234.50", "12,3,4", "kr 350", "1e3", "NaN"])
def test_parse_decimal_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError, match=f"^Ogiltigt tal '{text}'$"):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("1 200", 1200),
        (Decimal("7"), 7),
    ],
)
def test_parse_int_accepts_whole_numbers(value: Any, expected: int) -> None:
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", ["2,5", Decimal("2.5"), "tolv"])
def test_parse_int_refuses_fractions_and_text(value: Any) -> None:
    with pytest.raises(ValueError, match="^Ogiltigt heltal"):
        parse_int(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("Anna", "Anna"),
        (Decimal("200803142389"), "200803142389"),
        (date(2026, 11, 24), "2026-11-24"),
        (time(18, 0), "18:00"),
    ],
)
def test_parse_text_gives_the_text_of_any_cell(value: Any, expected: str) -> None:
    assert parse_text(value) == expected
