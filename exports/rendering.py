"""Data rows as the worksheet XML openpyxl writes for them, character for character.

openpyxl's write-only sheet builds and serialises an element per cell, which for a payroll
file of a million cells costs more than everything else its export does. `RowRenderer` writes
the same text from a row's values directly, and `StreamedSheet` puts it into the sheet where
openpyxl would have written its cells. Cells only openpyxl knows how to write (headers, text
with a quote prefix, floats, rare types) still go through openpyxl, in their place in the row.
"""

import math
from collections.abc import Callable, Generator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, NamedTuple

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import Cell
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: How openpyxl writes a number (`safe_string`): through a float, so a Decimal's 361.00 is 361
#: (a Decimal's own format would keep its zeros).
NUMBER = "%.16g"
#: openpyxl's longest text in a cell: it cuts longer text there.
MAX_TEXT = 32767
#: The types `RowRenderer` writes itself with a number format (exact types: a subclass goes
#: through openpyxl).
_NUMBERS = frozenset({Decimal, int, float, date, datetime, time})
_DATES = frozenset({date, datetime, time})
#: A value of each date type, to have openpyxl give a cell its type's own format.
_SAMPLE_DATES = {date: date(2000, 1, 1), datetime: datetime(2000, 1, 1), time: time(0, 0)}


class Formatted(NamedTuple):
    """A number, date or time to write with a number format of the sheet's own."""

    value: Any
    number_format: str


def formatted(value: Any, number_format: str) -> Formatted | None:
    """Return the value to render with the format, or None if openpyxl must write it: a
    number that is not finite, a date or time with a timezone (openpyxl refuses those), or
    with a format that is not a date's (openpyxl gives it its type's own)."""
    kind = type(value)
    if kind not in _NUMBERS:
        return None
    if kind in _DATES:
        renderable = getattr(value, "tzinfo", None) is None and is_date_format(number_format)
    else:
        renderable = math.isfinite(value)
    return Formatted(value, number_format) if renderable else None


class RenderedRow(list):
    """A data row as the sheet's XML text, with any cells openpyxl writes itself between."""


class StreamedSheet(WriteOnlyWorksheet):
    """A write-only sheet that also takes rows rendered by `RowRenderer`."""

    def _write_rows(self) -> Generator[None, Any, None]:
        """Write each row sent: a rendered row as it is, any other row as openpyxl does.

        openpyxl's own loop (`WriteOnlyWorksheet._write_rows`) with the rendered rows added;
        its ElementTree writer (et_xmlfile) writes text given to `_file` as it is.
        """
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if type(row) is RenderedRow:
                        for part in row:
                            if type(part) is str:
                                xf._file(part)
                            else:
                                write_cell(xf, self, part, part.has_style)
                    else:
                        self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


class RowRenderer:
    """Renders a row's values as the XML openpyxl writes for them.

    Text is an inline string (`t="inlineStr"`), numbers as `NUMBER`, dates and times their
    Excel serial number; a cell with a format names its style (`s`), which the workbook numbers
    as it reaches each cell, as openpyxl does when it writes one.
    """

    def __init__(self, ws: WriteOnlyWorksheet, style_of: Callable[[str], Any],
                 columns: int) -> None:
        self.ws = ws
        #: The style array of a cell with only the given number format.
        self.style_of = style_of
        self.letters = [get_column_letter(index) for index in range(1, columns + 1)]
        #: Style ids by number format, and by the date type openpyxl formats itself.
        self._style_ids: dict[Any, str] = {}
        self._serials: dict[Any, str] = {}

    def render(self, number: int, values: list[Any]) -> RenderedRow:
        """Return the row numbered `number`: its values are text that needs no quote prefix
        and no replaced characters, ints written as they are, `Formatted` values, dates and
        times openpyxl formats itself, None, or cells."""
        row = str(number)
        rendered = RenderedRow()
        text = [f'<row r="{row}">']
        for column, (letter, value) in enumerate(zip(self.letters, values, strict=True), 1):
            kind = type(value)
            if kind is str:
                text.append(_inline_string(letter + row, value))
            elif kind is int:
                text.append(f'<c r="{letter}{row}" t="n"><v>{NUMBER % value}</v></c>')
            elif value is None:
                continue
            elif kind is Formatted:
                style = self._style_id(value.number_format)
                text.append(f'<c r="{letter}{row}" s="{style}" t="n">'
                            f"<v>{self._number(value.value)}</v></c>")
            elif kind in _DATES and getattr(value, "tzinfo", None) is None:
                style = self._style_id(kind)
                text.append(f'<c r="{letter}{row}" s="{style}" t="n">'
                            f"<v>{self._number(value)}</v></c>")
            else:
                cell = value if isinstance(value, Cell) else WriteOnlyCell(self.ws, value)
                cell.row, cell.column = number, column
                if cell.has_style:  # numbered now, in the row's order, as openpyxl numbers it
                    self.ws.parent._cell_styles.add(cell._style)
                rendered += ["".join(text), cell]
                text = []
        text.append("</row>")
        rendered.append("".join(text))
        return rendered

    def _style_id(self, key: str | type) -> str:
        """Return the style id of a number format, or of a date type's own format."""
        style_id = self._style_ids.get(key)
        if style_id is None:
            if isinstance(key, str):
                style = self.style_of(key)
            else:
                style = WriteOnlyCell(self.ws, _SAMPLE_DATES[key])._style
            style_id = self._style_ids[key] = str(self.ws.parent._cell_styles.add(style))
        return style_id

    def _number(self, value: Any) -> str:
        """Return a number as openpyxl writes it; a date or time as its serial number."""
        if type(value) not in _DATES:
            return NUMBER % value
        serial = self._serials.get(value)
        if serial is None:
            serial = self._serials[value] = NUMBER % to_excel(value, self.ws.parent.epoch)
        return serial


def _inline_string(reference: str, text: str) -> str:
    """Return a text cell as openpyxl writes it (an inline string, cut where openpyxl cuts)."""
    text = text[:MAX_TEXT]
    if not text:
        return f'<c r="{reference}" t="inlineStr" />'
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{reference}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
