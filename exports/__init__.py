"""Spreadsheets in and out: (headers, rows) to .xlsx/.csv bytes, and uploaded files to rows.

No Flask and no database here: the domain builds the rows, this package writes and reads them.
"""

from exports.csvfile import csv_bytes
from exports.errors import ImportFileError
from exports.readers import (
    Row,
    Table,
    ZipLimits,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    parse_time,
    read_table,
    template_bytes,
)
from exports.xlsx import Sheet, WrittenWorkbook, write_workbook

__all__ = [
    "ImportFileError",
    "Row",
    "Sheet",
    "Table",
    "WrittenWorkbook",
    "ZipLimits",
    "csv_bytes",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_text",
    "parse_time",
    "read_table",
    "template_bytes",
    "write_workbook",
]
