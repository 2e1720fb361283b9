"""Writing workbooks: layout, formats, and user text that never becomes a formula."""

import io
import weakref
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from exports.xlsx import Sheet, write_workbook

HEADERS = ("Personnummer", "Namn", "Datum", "Belopp")
ROWS = (
    ("20080314-2389", "Anna Andersson", date(2026, 11, 24), Decimal("1234.50")),
    ("20090101-0008", "Bo Berg", date(2026, 11, 25), Decimal("-350.05")),
)
FORMULA_LIKE = [
    '=HYPERLINK("http://x","y")',
    "+46701234567",
    "-1",
    "@SUM(1)",
    "\tx",
    "\rx",
    "\nx",
    "#N/A",
]


def written(*sheets: Sheet) -> bytes:
    data = write_workbook(sheets).data
    assert data is not None
    return data


def single_sheet(rows: Any = ROWS, **options: Any) -> Worksheet:
    """Write one sheet 'Data' and read it back with openpyxl."""
    data = written(Sheet("Data", HEADERS, rows, **options))
    return load_workbook(io.BytesIO(data))["Data"]


def single_cell(value: Any, **options: Any) -> Any:
    """Write `value` as the only data cell and return that cell read back."""
    data = written(Sheet("Data", ["Värde"], [[value]], **options))
    return load_workbook(io.BytesIO(data))["Data"]["A2"]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_sheets_are_written_in_order_with_their_titles() -> None:
    data = written(Sheet("Lönefil", HEADERS, ROWS), Sheet("Summering", ["Team"], [["Ryd"]]))

    assert load_workbook(io.BytesIO(data)).sheetnames == ["Lönefil", "Summering"]


def test_header_is_row_one_in_bold() -> None:
    ws = single_sheet()

    assert [cell.value for cell in ws[1]] == list(HEADERS)
    assert all(cell.font.bold for cell in ws[1])


def test_data_rows_follow_the_header() -> None:
    ws = single_sheet()

    assert [cell.value for cell in ws[3]][:2] == ["20090101-0008", "Bo Berg"]


def test_header_row_is_frozen() -> None:
    assert single_sheet().freeze_panes == "A2"


def test_freezing_can_be_turned_off() -> None:
    assert single_sheet(freeze_header=False).freeze_panes is None


def test_autofilter_covers_header_and_data() -> None:
    assert single_sheet().auto_filter.ref == "A1:D3"


def test_autofilter_of_an_empty_sheet_covers_the_header() -> None:
    assert single_sheet(rows=[]).auto_filter.ref == "A1:D1"


def test_autofilter_can_be_turned_off() -> None:
    assert single_sheet(autofilter=False).auto_filter.ref is None


def test_given_column_widths_are_set() -> None:
    ws = single_sheet(widths=[16, 30, 12, 14])

    assert [ws.column_dimensions[letter].width for letter in "ABCD"] == [16, 30, 12, 14]


def test_column_widths_default_to_header_length_with_room_for_the_filter_button() -> None:
    ws = single_sheet()

    assert ws.column_dimensions["A"].width == len("Personnummer") + 4
    assert ws.column_dimensions["B"].width == 10


def test_dates_are_excel_dates_in_iso_format() -> None:
    cell = single_cell(date(2026, 11, 24))

    assert cell.is_date
    assert cell.value == datetime(2026, 11, 24)
    assert cell.number_format == "yyyy-mm-dd"


def test_datetimes_are_excel_dates_with_hours_and_minutes() -> None:
    cell = single_cell(datetime(2026, 11, 24, 18, 30))

    assert cell.value == datetime(2026, 11, 24, 18, 30)
    assert cell.number_format == "yyyy-mm-dd hh:mm"


def test_times_are_excel_times_in_hours_and_minutes() -> None:
    cell = single_cell(time(22, 15))

    assert cell.value == time(22, 15)
    assert cell.number_format == "hh:mm"


@pytest.mark.parametrize(
    "amount", [Decimal("1234.50"), Decimal("-0.01"), Decimal("99999999.99"), Decimal("0.10")]
)
def test_decimal_amounts_are_numbers_that_round_trip_to_the_ore(amount: Decimal) -> None:
    cell = single_cell(amount)

    assert cell.data_type == "n"
    assert Decimal(str(cell.value)).quantize(Decimal("0.01")) == amount
    assert cell.number_format == "#,##0.00"


def test_ints_stay_ints_with_general_format() -> None:
    cell = single_cell(17)

    assert cell.value == 17
    assert isinstance(cell.value, int)
    assert cell.number_format == "General"


def test_none_is_an_empty_cell() -> None:
    assert single_cell(None).value is None


def test_column_number_format_overrides_the_type_default() -> None:
    cell = single_cell(Decimal("0.25"), number_formats={0: "0%"})

    assert cell.number_format == "0%"


def test_column_number_format_applies_to_the_whole_column() -> None:
    ws = single_sheet(number_formats={0: "@"})

    assert ws.column_dimensions["A"].number_format == "@"


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_stored_as_literal_text(text: str) -> None:
    cell = single_cell(text)

    # XML turns a carriage return in text into a line feed when it is read.
    assert cell.value == text.replace("\r", "\n")
    assert cell.data_type == "s"


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_quote_prefixed_so_editing_keeps_it_text(text: str) -> None:
    assert single_cell(text).quotePrefix


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_header_is_stored_as_literal_text(text: str) -> None:
    data = written(Sheet("Data", [text], []))
    cell = load_workbook(io.BytesIO(data))["Data"]["A1"]

    assert (cell.value, cell.data_type, cell.quotePrefix) == (text.replace("\r", "\n"), "s", True)


def test_sheet_xml_has_no_formula_elements() -> None:
    data = written(Sheet("Data", ["Namn"], [[text] for text in FORMULA_LIKE]))

    assert "<f>" not in sheet_xml(data)
    assert "<f " not in sheet_xml(data)


def test_plain_text_is_not_quote_prefixed() -> None:
    cell = single_cell("Anna Andersson")

    assert (cell.value, cell.data_type, cell.quotePrefix) == ("Anna Andersson", "s", False)


def test_control_characters_excel_cannot_hold_are_replaced() -> None:
    assert single_cell("a\x00b\x1fc").value == "a\ufffdb\ufffdc"


def test_line_breaks_inside_text_are_kept() -> None:
    assert single_cell("rad 1\nrad 2").value == "rad 1\nrad 2"


class TrackedRow(list):
    """A row that can be watched with a weak reference."""


def test_rows_are_streamed_one_at_a_time() -> None:
    alive: list[weakref.ref[TrackedRow]] = []
    most_alive = 0

    def rows() -> Iterator[TrackedRow]:
        nonlocal most_alive
        for number in range(20_000):
            most_alive = max(most_alive, sum(ref() is not None for ref in alive[-50:]))
            row = TrackedRow([f"Person {number}", date(2026, 11, 1), Decimal("350.00"), number])
            alive.append(weakref.ref(row))
            yield row

    result = write_workbook([Sheet("Data", ["Namn", "Datum", "Belopp", "Nr"], rows())])

    assert result.row_counts == {"Data": 20_000}
    assert most_alive <= 2


def test_row_counts_are_reported_per_sheet() -> None:
    result = write_workbook([Sheet("A", HEADERS, ROWS), Sheet("B", ["Team"], [])])

    assert result.row_counts == {"A": 2, "B": 0}


def test_workbook_is_written_to_a_given_stream() -> None:
    out = io.BytesIO()

    result = write_workbook([Sheet("Data", HEADERS, ROWS)], out)

    assert result.data is None
    assert load_workbook(io.BytesIO(out.getvalue())).sheetnames == ["Data"]


def test_row_with_wrong_number_of_values_is_refused() -> None:
    with pytest.raises(ValueError, match="Row 2 of sheet 'Data' has 1 values, expected 4"):
        write_workbook([Sheet("Data", HEADERS, [ROWS[0], ("x",)])])


def test_booleans_are_refused() -> None:
    with pytest.raises(TypeError, match="booleans"):
        write_workbook([Sheet("Data", ["Samtycke"], [[True]])])


def test_unknown_value_types_are_refused() -> None:
    with pytest.raises(TypeError, match="Cannot write a set"):
        write_workbook([Sheet("Data", ["X"], [[{1}]])])


def test_sheet_title_longer_than_excel_allows_is_refused() -> None:
    with pytest.raises(ValueError, match="1-31 characters"):
        Sheet("x" * 32, HEADERS, ROWS)


def test_sheet_titles_differing_only_in_case_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        write_workbook([Sheet("Data", HEADERS, ROWS), Sheet("data", HEADERS, ROWS)])


def test_widths_must_match_headers() -> None:
    with pytest.raises(ValueError, match="one width per header"):
        Sheet("Data", HEADERS, ROWS, widths=[10])


def test_number_format_for_a_missing_column_is_refused() -> None:
    with pytest.raises(ValueError, match="missing columns"):
        Sheet("Data", HEADERS, ROWS, number_formats={4: "0"})


class RateMissing(Exception):
    """Stands for a domain error raised while the rows are being produced."""


def test_error_from_the_rows_propagates_and_leaves_no_temporary_files(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    def rows() -> Iterator[list[Any]]:
        yield ["Anna"]
        raise RateMissing

    with pytest.raises(RateMissing):
        write_workbook([Sheet("Data", ["Namn"], rows())])

    assert list(tmp_path.iterdir()) == []


def test_timezone_aware_datetimes_are_refused() -> None:
    with pytest.raises(TypeError, match="timezone"):
        write_workbook([Sheet("Data", ["Tid"], [[datetime(2026, 11, 24, 18, tzinfo=UTC)]])])


def test_autofilter_can_cover_only_the_first_rows_of_a_table_with_notes_below() -> None:
    assert single_sheet(filter_rows=1).auto_filter.ref == "A1:D2"


MIXED_HEADERS = ("Text", "Heltal", "Belopp", "Datum", "Tid", "Skapad", "Tal", "Nr", "Kod")
MIXED_FORMATS = {3: "yyyy-mm-dd", 4: "hh:mm", 7: "0", 8: "@"}
MIXED_ROWS = [
    ("Anna & <Bo>", 3, Decimal("361.00"), date(2026, 11, 24), time(18, 30),
     datetime(2026, 11, 24, 18, 5), 1.5, 12, "007"),
    ("  kant  ", -2, Decimal("-309.05"), None, time(0, 0), None, None, None, "=1+1"),
    ("", 10**17, Decimal("1234567.89"), date(1900, 2, 1), None, datetime(2026, 1, 1), 2.0,
     0, "#N/A"),
    ("x" * 40_000, None, Decimal("0.00"), date(2026, 1, 1), time(23, 59), None, 0.1, 3,
     "rad 1\nrad 2"),
    (None, None, None, None, None, None, None, None, None),
    ("a\x00b", 7, Decimal("0.05"), date(2026, 11, 1), time(7, 15), None, float("nan"), 1,
     "\tx"),
]


def workbook_parts(data: bytes) -> dict[str, bytes]:
    """Return the parts of an .xlsx file but its creation time (docProps/core.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name != "docProps/core.xml"}


def test_rows_are_written_as_openpyxl_writes_their_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def mixed() -> bytes:
        return written(Sheet("Data", MIXED_HEADERS, MIXED_ROWS, number_formats=MIXED_FORMATS),
                       Sheet("Mer", MIXED_HEADERS, MIXED_ROWS[::-1]))

    rendered = mixed()
    monkeypatch.setattr("exports.xlsx._RENDERS_ROWS", False)

    assert workbook_parts(rendered) == workbook_parts(mixed())


cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.decimals(min_value=-10**9, max_value=10**9, places=2),
    st.dates(min_value=date(1900, 3, 1)),
    st.times(),
    st.datetimes(min_value=datetime(1900, 3, 1)),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(cell_values, cell_values, cell_values), max_size=6))
def test_any_rows_are_written_as_openpyxl_writes_their_cells(rows) -> None:
    def both() -> list[bytes | str]:
        results = []
        for renders in (True, False):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr("exports.xlsx._RENDERS_ROWS", renders)
                try:
                    results.append(workbook_parts(written(
                        Sheet("Data", ("A", "B", "C"), rows, number_formats={1: "0.00"}))))
                except ValueError as refused:  # refused alike either way
                    results.append(str(refused))
        return results

    rendered, by_openpyxl = both()
    assert rendered == by_openpyxl
