"""The report as an Excel workbook with native charts, the same tables the page shows.

Native charts need a normal (not write-only) openpyxl workbook, which is fine for a report of
a few hundred rows. Text is always written as text: a team or category name starting with
`=` stays a string and never becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.formulas import looks_like_formula
from polare.reports.figures import Report
from polare.reports.tables import Hours, Money, Percent, Table, report_tables

FORMATS: dict[type, str] = {
    Money: "#,##0.00",
    Hours: "0.00",
    Percent: "0.0",
    date: "yyyy-mm-dd",
}
BOLD = Font(bold=True)
CHART_WIDTH_CM = 18
CHART_HEIGHT_CM = 9


def report_workbook(report: Report) -> bytes:
    """Return the report as .xlsx bytes; sheet and column names are always Swedish."""
    with force_locale("sv"):
        tables = report_tables(report)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.sheet)
        data_rows = _write_table(sheet, table)
        chart = CHARTS.get(table.key)
        if chart is not None and data_rows:
            chart(sheet, table, data_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_table(sheet: Worksheet, table: Table) -> int:
    """Write headers, rows and the total row; return the number of data rows."""
    for column, header in enumerate(table.headers, start=1):
        _put(sheet, 1, column, header).font = BOLD
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            _put(sheet, row_number, column, value)
    if table.total is not None:
        total_row = len(table.rows) + 2
        for column, value in enumerate(table.total, start=1):
            _put(sheet, total_row, column, value).font = BOLD
    last_column = get_column_letter(len(table.headers))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last_column}{len(table.rows) + 1}"
    for column, header in enumerate(table.headers, start=1):
        values = [header, *(row[column - 1] for row in table.rows)]
        width = max(len(str(value)) for value in values if value is not None)
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 3, 10), 45)
    return len(table.rows)


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one value with its number format; text always as text."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
        cell.value = text
        cell.data_type = "s"
        cell.quotePrefix = looks_like_formula(text)
        return cell
    cell.value = value
    for kind, number_format in FORMATS.items():
        if isinstance(value, kind):
            cell.number_format = number_format
            break
    else:
        if isinstance(value, Decimal):
            cell.number_format = "0.00"
    return cell


def _sized(chart: Any, title: str) -> Any:
    chart.title = title
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _anchor(sheet: Worksheet, table: Table) -> str:
    return f"{get_column_letter(len(table.headers) + 2)}2"


def _column(table: Table, header: str) -> int:
    return list(table.headers).index(header) + 1


def _bars(
    sheet: Worksheet, table: Table, rows: int, headers: list[str], title: str,
    horizontal: bool = False,
) -> BarChart:
    chart = _sized(BarChart(), title)
    chart.type = "bar" if horizontal else "col"
    for header in headers:
        column = _column(table, header)
        chart.add_data(Reference(sheet, min_col=column, min_row=1, max_row=rows + 1),
                       titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    return chart


def _with_line(
    sheet: Worksheet, chart: BarChart, table: Table, rows: int, headers: list[str],
    secondary: bool,
) -> BarChart:
    line = LineChart()
    for header in headers:
        column = _column(table, header)
        line.add_data(Reference(sheet, min_col=column, min_row=1, max_row=rows + 1),
                      titles_from_data=True)
    if secondary:
        line.y_axis.axId = 200
        line.y_axis.title = headers[0]
        line.y_axis.crosses = "max"
    line.y_axis.delete = False
    chart += line
    return chart


def _month_chart(sheet: Worksheet, table: Table, rows: int) -> None:
    chart = _bars(sheet, table, rows, ["Nattvandringar"],
                  "Nattvandringar och träffade ungdomar per månad")
    chart.y_axis.title = "Nattvandringar"
    sheet.add_chart(_with_line(sheet, chart, table, rows, ["Träffade ungdomar"], True),
                    _anchor(sheet, table))


def _team_chart(sheet: Worksheet, table: Table, rows: int) -> None:
    sheet.add_chart(_bars(sheet, table, rows, ["Träffade ungdomar", "Samtal"],
                          "Träffade ungdomar och samtal per team"), _anchor(sheet, table))


def _district_chart(sheet: Worksheet, table: Table, rows: int) -> None:
    chart = _bars(sheet, table, rows, ["Träffade ungdomar", "Samtal"],
                  "Träffade ungdomar och samtal per stadsdel", horizontal=True)
    chart.height = max(CHART_HEIGHT_CM, rows * 0.7)
    sheet.add_chart(chart, _anchor(sheet, table))


def _incident_chart(sheet: Worksheet, table: Table, rows: int) -> None:
    sheet.add_chart(_bars(sheet, table, rows, ["Totalt"], "Händelser per kategori",
                          horizontal=True), _anchor(sheet, table))


def _cost_chart(sheet: Worksheet, table: Table, rows: int) -> None:
    chart = _bars(sheet, table, rows, ["Arvoden"], "Arvoden per månad mot läsårets budget")
    chart.y_axis.title = "kronor"
    sheet.add_chart(
        _with_line(sheet, chart, table, rows,
                   ["Arvoden hittills under läsåret", "Läsårets budget"], False),
        _anchor(sheet, table))


CHARTS: dict[str, Callable[[Worksheet, Table, int], None]] = {
    "teams": _team_chart,
    "districts": _district_chart,
    "months": _month_chart,
    "incidents": _incident_chart,
    "cost": _cost_chart,
}
