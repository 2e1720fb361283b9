"""Write sheets of (headers, rows) to an .xlsx workbook, streaming the rows.

The workbook is written in openpyxl's write-only mode: each row goes to a temporary file as soon
as it is produced, so a sheet of 60,000 rows never sits in memory. Cell types decide formats:

* `date` -> real Excel date, `yyyy-mm-dd`; `datetime` -> `yyyy-mm-dd hh:mm`; `time` -> `hh:mm`
* `Decimal` -> number, `#,##0.00` (written from the Decimal, never via our own float)
* `int`, `float` -> number, General (or the column's format); `None` -> empty cell
* `str` -> always text: never a formula, never an error value (see `exports.formulas`)

A `bool` is refused: write 'Ja'/'Nej' (or whatever the column means) in the domain layer.

The data rows' cells are rendered as the sheet's XML text, exactly as openpyxl writes them
(`exports.rendering`): openpyxl builds and serialises an element per cell, which for a payroll file
of a million cells costs more than everything else the export does. Cells only openpyxl knows
how to write (headers, text with a quote prefix, rare types) still go through openpyxl.
"""

import contextlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, BinaryIO

import openpyxl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, TIME_FORMATS, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.formulas import FORMULA_PREFIXES, looks_like_formula
from exports.rendering import Formatted, RowRenderer, StreamedSheet, formatted

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIME_FORMAT = "hh:mm"
AMOUNT_FORMAT = "#,##0.00"
TEXT_FORMAT = "@"

#: Excel's limit on sheet names.
MAX_TITLE_LENGTH = 31
#: Characters wider than a header's own text: room for the autofilter button.
_HEADER_PADDING = 4
_MIN_WIDTH = 10
#: Formats under which General shows a whole number the same way.
_WHOLE_NUMBER_FORMATS = frozenset({"0", "General"})
_ERROR_VALUES = frozenset(ERROR_CODES)
#: The formats openpyxl gives dates and times itself: a value whose format is its type's own
#: needs no cell of ours.
_OPENPYXL_FORMATS: Mapping[type, str] = TIME_FORMATS
#: One shared style object for every header cell (openpyxl indexes it once per workbook).
_HEADER_FONT = Font(bold=True)
#: Whether data rows are rendered as XML text (`exports.rendering`): openpyxl writes through
#: the standard library's ElementTree (et_xmlfile), whose writer takes text as it is; with lxml
#: installed it writes through lxml, and the rows go to openpyxl cell by cell.
_RENDERS_ROWS = not openpyxl.LXML


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a bold, frozen, filtered header row, then `rows`, consumed once.

    `widths` gives each column's width in characters (default: from the header's length).
    `number_formats` maps a 0-based column index to an Excel number format that applies to the
    whole column (so values typed into it later get it too) and to every number, date or time
    written in it, instead of the type's default format.
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] | None = None
    number_formats: Mapping[int, str] | None = None
    freeze_header: bool = True
    autofilter: bool = True
    #: Data rows the autofilter covers, from the first (None: all), when a table has notes
    #: below it.
    filter_rows: int | None = None

    def __post_init__(self) -> None:
        if not self.title or len(self.title) > MAX_TITLE_LENGTH:
            raise ValueError(f"Sheet title {self.title!r} must be 1-{MAX_TITLE_LENGTH} characters")
        if not self.headers:
            raise ValueError(f"Sheet {self.title!r} has no headers")
        if self.widths is not None and len(self.widths) != len(self.headers):
            raise ValueError(f"Sheet {self.title!r} needs one width per header")
        unknown = set(self.number_formats or {}) - set(range(len(self.headers)))
        if unknown:
            raise ValueError(f"Sheet {self.title!r} has formats for missing columns {unknown}")


@dataclass(frozen=True)
class WrittenWorkbook:
    """The result of `write_workbook`: the file (unless it went to `out`) and rows per sheet."""

    data: bytes | None
    #: Data rows written per sheet title, the header row not counted.
    row_counts: Mapping[str, int]


def write_workbook(sheets: Sequence[Sheet], out: BinaryIO | None = None) -> WrittenWorkbook:
    """Write `sheets` to an .xlsx file in `out`, or to the returned `data` when `out` is None."""
    if not sheets:
        raise ValueError("A workbook needs at least one sheet")
    titles = [sheet.title for sheet in sheets]
    if len({title.casefold() for title in titles}) != len(titles):
        raise ValueError(f"Sheet titles must be unique (Excel ignores case): {titles}")
    workbook = Workbook(write_only=True)
    try:
        row_counts = {sheet.title: _write_sheet(workbook, sheet) for sheet in sheets}
    except BaseException:
        _discard(workbook)
        raise
    if out is not None:
        workbook.save(out)
        return WrittenWorkbook(data=None, row_counts=row_counts)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return WrittenWorkbook(data=buffer.getvalue(), row_counts=row_counts)


def _discard(workbook: Workbook) -> None:
    """Finish a half-written workbook into nowhere, so openpyxl closes and deletes its
    temporary files now rather than complaining when they are garbage-collected."""
    with contextlib.suppress(Exception):
        workbook.save(io.BytesIO())


def _write_sheet(workbook: Workbook, sheet: Sheet) -> int:
    """Write one sheet and return how many data rows it got."""
    ws = StreamedSheet(parent=workbook, title=sheet.title)
    workbook._add_sheet(ws)
    formats = sheet.number_formats or {}
    _set_columns(ws, sheet, formats)
    if sheet.freeze_header:
        ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, header) for header in sheet.headers])
    columns = len(sheet.headers)
    column_formats = [formats.get(index) for index in range(columns)]
    as_they_are = [_types_written_as_they_are(column_format) for column_format in column_formats]
    maker = _CellMaker(ws)
    make = maker.make
    # Without the renderer each row's values go to openpyxl as they are, made into cells.
    finish = RowRenderer(ws, maker.style, columns).render if _RENDERS_ROWS else maker.cells
    prefixes, error_values = FORMULA_PREFIXES, _ERROR_VALUES
    count = 0
    for count, row in enumerate(sheet.rows, start=1):
        if len(row) != columns:
            raise ValueError(
                f"Row {count} of sheet {sheet.title!r} has {len(row)} values, expected {columns}"
            )
        # The common values (printable text, and numbers and dates openpyxl formats as the
        # column wants) are checked inline: a call per cell would cost more than the check.
        ws.append(finish(count + 1, [
            value if (kind := type(value)) is str and value.isprintable()
            and not value.startswith(prefixes) and value not in error_values
            or kind in passing else make(value, column_format)
            for value, column_format, passing in zip(row, column_formats, as_they_are, strict=True)
        ]))
    if sheet.autofilter:
        filtered = count if sheet.filter_rows is None else min(count, sheet.filter_rows)
        ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{filtered + 1}"
    return count


def _types_written_as_they_are(column_format: str | None) -> frozenset[type]:
    """Return the value types that need no cell of ours in a column with this format."""
    types = {type(None)}
    if column_format is None:
        types |= {int, float, date}
    elif column_format in _WHOLE_NUMBER_FORMATS:
        types.add(int)
    elif column_format == _OPENPYXL_FORMATS[date]:
        types.add(date)
    return frozenset(types)


def _set_columns(ws: WriteOnlyWorksheet, sheet: Sheet, formats: Mapping[int, str]) -> None:
    """Size the columns and give them their formats; must happen before the first row."""
    widths = sheet.widths or [
        max(_MIN_WIDTH, len(header) + _HEADER_PADDING) for header in sheet.headers
    ]
    for index, width in enumerate(widths):
        dimension = ws.column_dimensions[get_column_letter(index + 1)]
        dimension.width = width
        if index in formats:
            dimension.number_format = formats[index]


def _header_cell(ws: WriteOnlyWorksheet, header: str) -> Cell:
    """Return a bold text cell for a header."""
    cell = _text_cell(ws, _printable(header))
    cell.font = _HEADER_FONT
    return cell


class _CellMaker:
    """Turns values into what a write-only sheet appends: the value itself where openpyxl's own
    typing gives the right cell, else a cell with its number format.

    A 60,000-line payroll file has close to a million cells, so the cost per cell counts: each
    number format's style is looked up once per sheet and copied into the cells that need it,
    and whole numbers in a column formatted '0' are written as they are (General shows them the
    same, and the column keeps its format for what is typed later).
    """

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self._styles: dict[str, Any] = {}

    def make(self, value: Any, column_format: str | None) -> Any:
        """Return what to append for `value` in a column with the given number format."""
        if value is None:
            return None
        if isinstance(value, str):
            text = value if value.isprintable() else _printable(value)
            return _text_cell(self.ws, text) if _needs_quote_prefix(text) else text
        if isinstance(value, bool):
            raise TypeError("Write booleans as text (e.g. 'Ja'/'Nej'), not as True/False")
        if isinstance(value, int) and column_format in _WHOLE_NUMBER_FORMATS:
            return value
        number_format = column_format or _default_format(value)
        if number_format is None or number_format == _OPENPYXL_FORMATS.get(type(value)):
            return value
        # Looked up now, so the workbook numbers the formats in the order it always has.
        style = self.style(number_format)
        return formatted(value, number_format) or Cell(self.ws, row=1, column=1, value=value,
                                                       style_array=style)

    def cells(self, _number: int, values: list[Any]) -> list[Any]:
        """Return the row as openpyxl takes it: a formatted value as a cell of its own."""
        return [
            Cell(self.ws, row=1, column=1, value=value.value,
                 style_array=self.style(value.number_format))
            if isinstance(value, Formatted) else value
            for value in values
        ]

    def style(self, number_format: str) -> Any:
        """Return the style array of a cell with only this number format (made once)."""
        style = self._styles.get(number_format)
        if style is None:
            prototype = WriteOnlyCell(self.ws)
            prototype.number_format = number_format
            # openpyxl keeps a cell's style as an array of indexes into the workbook's
            # tables; Cell(style_array=...) copies it.
            style = self._styles[number_format] = prototype._style
        return style


def _default_format(value: Any) -> str | None:
    """Return the number format a non-text value gets by its type, or None for General."""
    match value:
        case datetime():
            return DATETIME_FORMAT
        case date():
            return DATE_FORMAT
        case time():
            return TIME_FORMAT
        case Decimal():
            return AMOUNT_FORMAT
        case int() | float():
            return None
    raise TypeError(f"Cannot write a {type(value).__name__} to a spreadsheet cell")


def _text_cell(ws: WriteOnlyWorksheet, text: str) -> Cell:
    """Return a cell holding `text` as a literal string that Excel keeps as text when edited."""
    cell = WriteOnlyCell(ws, text)
    # openpyxl would type '=…' as a formula and '#N/A' as an error value.
    cell.data_type = "s"
    cell.quotePrefix = _needs_quote_prefix(text)
    return cell


def _needs_quote_prefix(text: str) -> bool:
    """Return whether Excel would read `text`, typed in, as a formula or an error value."""
    return looks_like_formula(text) or text in _ERROR_VALUES


def _printable(text: str) -> str:
    """Replace the control characters an .xlsx file cannot hold with U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", text)
