"""Read an uploaded .xlsx or .csv file into rows keyed by the expected column names.

The first row holds the column names; they are matched to the expected ones ignoring case and
surrounding spaces. Every cell value comes back normalised to one of:

* `None` for an empty cell (or one holding only spaces);
* `str`, stripped, for text (every CSV value is text);
* `date` for an Excel date without a time of day, `datetime` when it has one;
* `time` for an Excel time;
* `Decimal` for an Excel number, made from its shortest decimal text (0.1 stays 0.1) and
  without a fractional part when it is whole (200803142389, not 200803142389.0).

Parsing a column into its type is the caller's job; `parse_date`, `parse_time`,
`parse_decimal`, `parse_int` and `parse_text` do the common cases and raise `ValueError` with
a short Swedish reason for the import report.

Before openpyxl opens an .xlsx file, the zip container is checked against `ZipLimits`
(a zip bomb is refused without being unpacked). zipfile never inflates a member beyond the
size its header declares, so checking the declared sizes bounds what openpyxl can unpack.
openpyxl parses the XML with defusedxml, which is a dependency of this project.
"""

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Literal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from exports.csvfile import csv_bytes
from exports.errors import ImportFileError, TooManyRowsError
from exports.xlsx import TEXT_FORMAT, Sheet, write_workbook

CellValue = str | date | time | Decimal | None

SUPPORTED_EXTENSIONS = (".xlsx", ".csv")
UNREADABLE_XLSX = "Filen kunde inte läsas som Excel (.xlsx)."
TEMPLATE_SHEET_TITLE = "Import"


@dataclass(frozen=True)
class ZipLimits:
    """How large an .xlsx container may be before it is refused unread."""

    max_entries: int = 1_000
    max_total_size: int = 50 * 1024 * 1024
    max_ratio: int = 100
    #: Members smaller than this (uncompressed) may compress as well as they like.
    ratio_min_size: int = 1024 * 1024


DEFAULT_LIMITS = ZipLimits()


@dataclass(frozen=True)
class Row:
    """One data row: its number as the spreadsheet shows it (header = 1) and its values."""

    number: int
    values: dict[str, CellValue]


@dataclass(frozen=True)
class Table:
    """The rows of an uploaded file; `headers` are the expected names in the file's order."""

    headers: tuple[str, ...]
    rows: list[Row]


def read_table(
    filename: str,
    data: bytes,
    expected_headers: Sequence[str],
    *,
    limits: ZipLimits = DEFAULT_LIMITS,
    max_rows: int | None = None,
    optional_headers: Sequence[str] = (),
) -> Table:
    """Read the first sheet of an .xlsx file, or a CSV file, with exactly `expected_headers`.

    Rows are read one at a time: the data row after `max_rows` raises TooManyRowsError and
    the rest of the file is never read. Columns named in `optional_headers` (also in
    `expected_headers`) may be left out; their cells then read as empty.
    """
    extension = PurePath(filename).suffix.lower()
    if extension == ".xlsx":
        raw_rows = _xlsx_rows(data, limits)
    elif extension == ".csv":
        raw_rows = _csv_rows(data)
    else:
        raise ImportFileError(
            f"Filtypen i '{filename}' stöds inte. Ladda upp en .xlsx- eller .csv-fil."
        )
    try:
        return _table(raw_rows, expected_headers, max_rows, optional_headers)
    finally:
        raw_rows.close()


def template_bytes(
    headers: Sequence[str],
    kind: Literal["xlsx", "csv"] = "xlsx",
    example_rows: Iterable[Sequence[Any]] = (),
) -> bytes:
    """Return an import template: the headers, then any example rows.

    In the .xlsx template every column is formatted as text, so Excel keeps what is typed
    (leading zeros of phone numbers, personnummer as written) and does not guess dates.
    """
    if kind == "csv":
        return csv_bytes(headers, example_rows)
    sheet = Sheet(
        title=TEMPLATE_SHEET_TITLE,
        headers=headers,
        rows=example_rows,
        number_formats=dict.fromkeys(range(len(headers)), TEXT_FORMAT),
    )
    buffer = io.BytesIO()
    write_workbook([sheet], buffer)
    return buffer.getvalue()


def parse_date(value: CellValue) -> date:
    """Return the date in a cell: an Excel date or text 'ÅÅÅÅ-MM-DD'."""
    if isinstance(value, datetime):
        raise ValueError(f"Ogiltigt datum '{value:%Y-%m-%d %H:%M}' (ska vara utan klockslag)")
    if isinstance(value, date):
        return value
    text = _required(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"Ogiltigt datum '{text}' (ÅÅÅÅ-MM-DD)")


def parse_time(value: CellValue) -> time:
    """Return the time of day in a cell: an Excel time or text 'TT:MM'."""
    if isinstance(value, time):
        return value
    text = _required(value)
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise ValueError(f"Ogiltig tid '{text}' (TT:MM)")


def parse_decimal(value: CellValue) -> Decimal:
    """Return the number in a cell: an Excel number or text like '1 234,50' or '1234.50'."""
    if isinstance(value, Decimal):
        return value
    text = _required(value)
    compact = re.sub(r"\s", "", text).replace(",", ".")
    if re.fullmatch(r"-?\d+(\.\d+)?", compact):
        return Decimal(compact)
    raise ValueError(f"Ogiltigt tal '{text}'")


def parse_int(value: CellValue) -> int:
    """Return the whole number in a cell: an Excel number or text like '12' or '1 200'."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        raise ValueError(f"Ogiltigt heltal '{value}'")
    text = _required(value)
    compact = re.sub(r"\s", "", text)
    if re.fullmatch(r"-?\d+", compact):
        return int(compact)
    raise ValueError(f"Ogiltigt heltal '{text}'")


def parse_text(value: CellValue) -> str:
    """Return a cell as text, '' when empty: for codes Excel may have stored as numbers."""
    match value:
        case None:
            return ""
        case Decimal():
            return format(value, "f")
        case datetime():
            return value.strftime("%Y-%m-%d %H:%M")
        case date():
            return value.isoformat()
        case time():
            return value.strftime("%H:%M")
    return value


def _required(value: CellValue) -> str:
    """Return the text of a cell that must not be empty."""
    if value is None:
        raise ValueError("Värde saknas")
    if not isinstance(value, str):
        raise ValueError(f"Ogiltigt värde '{parse_text(value)}'")
    return value


def _xlsx_rows(data: bytes, limits: ZipLimits) -> Iterator[tuple[Any, ...]]:
    """Yield the raw cell values of the first sheet row by row, after checking the zip."""
    _check_zip(data, limits)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops on reading (data validation, conditional
            # formatting …); only cell values are read here, so those do not matter.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                # The stored dimension may be wrong (files from other programs): read all cells.
                sheet.reset_dimensions()
                yield from (tuple(row) for row in sheet.iter_rows(values_only=True))
            finally:
                workbook.close()
    except Exception as error:  # openpyxl raises many types on malformed files
        raise ImportFileError(UNREADABLE_XLSX) from error


def _check_zip(data: bytes, limits: ZipLimits) -> None:
    """Refuse a file that is not a zip, or one whose contents unpack too large."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(UNREADABLE_XLSX) from error
    if len(members) > limits.max_entries:
        raise ImportFileError(
            f"Filen innehåller för många delar ({len(members)}) för att vara ett vanligt "
            "Excel-ark och läses inte."
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_total_size:
        raise ImportFileError(
            f"Filen blir för stor uppackad (över {limits.max_total_size // (1024 * 1024)} MB) "
            "och läses inte."
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= limits.ratio_min_size and ratio > limits.max_ratio:
            raise ImportFileError(
                "Filen är ovanligt hårt packad (den kan vara en så kallad zip-bomb) och läses inte."
            )


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    """Yield the fields of a UTF-8 CSV file row by row, ';'- or ','-separated."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            "Filen är inte sparad som UTF-8. Spara den i Excel som "
            "'CSV UTF-8 (kommaavgränsad)' och försök igen."
        ) from error
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ImportFileError(f"Filen kunde inte läsas som CSV: {error}") from error


def _table(raw_rows: Iterator[Sequence[Any]], expected_headers: Sequence[str],
           max_rows: int | None, optional_headers: Sequence[str] = ()) -> Table:
    """Match the header row to `expected_headers` and key each non-empty row by them."""
    header = next(raw_rows, None)
    if header is None:
        raise ImportFileError("Filen är tom. Första raden ska innehålla kolumnrubrikerna.")
    columns = _match_headers(header, expected_headers, optional_headers)
    absent = dict.fromkeys(name for name in optional_headers if name not in columns.values())
    rows: list[Row] = []
    for number, raw in enumerate(raw_rows, start=2):
        values = [_normalise(value) for value in raw]
        if all(value is None for value in values):
            continue
        if max_rows is not None and len(rows) == max_rows:
            raise TooManyRowsError(max_rows)
        _check_unnamed_columns(values, columns, number)
        named = {
            name: values[index] if index < len(values) else None for index, name in columns.items()
        } | absent
        rows.append(Row(number=number, values=named))
    return Table(headers=tuple(columns.values()), rows=rows)


def _match_headers(header_row: Sequence[Any], expected_headers: Sequence[str],
                   optional_headers: Sequence[str] = ()) -> dict[int, str]:
    """Return column index -> expected name, refusing missing, unknown or repeated columns."""
    by_key = {_header_key(name): name for name in expected_headers}
    columns: dict[int, str] = {}
    unknown = []
    for index, cell in enumerate(header_row):
        found = _normalise(cell)
        if found is None:
            continue
        key = _header_key(parse_text(found))
        if key not in by_key:
            unknown.append(parse_text(found))
        elif by_key[key] in columns.values():
            raise ImportFileError(f"Kolumnen '{by_key[key]}' finns flera gånger.")
        else:
            columns[index] = by_key[key]
    missing = [name for name in expected_headers
               if name not in columns.values() and name not in optional_headers]
    problems = []
    if missing:
        problems.append(_naming("Kolumnen", "Kolumnerna", missing) + " saknas.")
    if unknown:
        problems.append(_naming("Okänd kolumn", "Okända kolumner", unknown) + ".")
    if problems:
        raise ImportFileError(" ".join(problems))
    return columns


def _check_unnamed_columns(
    values: Sequence[CellValue], columns: dict[int, str], number: int
) -> None:
    """Refuse a value in a column that has no header."""
    for index, value in enumerate(values):
        if value is not None and index not in columns:
            raise ImportFileError(
                f"Rad {number} har ett värde i kolumn {get_column_letter(index + 1)}, "
                "som saknar rubrik."
            )


def _naming(singular: str, plural: str, names: Sequence[str]) -> str:
    """Return e.g. "Kolumnen 'A'" or "Kolumnerna 'A', 'B'"."""
    quoted = ", ".join(f"'{name}'" for name in names)
    return f"{singular if len(names) == 1 else plural} {quoted}"


def _header_key(name: str) -> str:
    """Return the form in which header names are compared."""
    return name.strip().casefold()


def _normalise(value: Any) -> CellValue:
    """Return a raw cell value in the normal form described in the module docstring."""
    match value:
        case None:
            return None
        case str():
            return value.strip() or None
        case bool():
            return str(value).upper()
        case datetime():
            return value.date() if value.time() == time() else value
        case date() | time():
            return value
        case int() | float():
            number = Decimal(str(value))
            return number.quantize(Decimal(1)) if number == number.to_integral_value() else number
    return str(value)
