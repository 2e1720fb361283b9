"""Write (headers, rows) as CSV the way Swedish Excel opens it: UTF-8 with BOM, ';'-separated.

Values are written as Swedish Excel shows them: dates `2026-11-24`, datetimes
`2026-11-24 18:30`, times `18:30`, amounts with a decimal comma (`1234,50`). Text that a
spreadsheet program could run as a formula gets a leading `'`.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from exports.formulas import looks_like_formula

DELIMITER = ";"
ENCODING = "utf-8-sig"


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return `headers` and `rows` as CSV bytes for Swedish Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([_field(header) for header in headers])
    for number, row in enumerate(rows, start=1):
        if len(row) != len(headers):
            raise ValueError(f"Row {number} has {len(row)} values, expected {len(headers)}")
        writer.writerow([_field(value) for value in row])
    return buffer.getvalue().encode(ENCODING)


def _field(value: Any) -> str:
    """Return the text of one CSV field."""
    match value:
        case None:
            return ""
        case str():
            return f"'{value}" if looks_like_formula(value) else value
        case bool():
            raise TypeError("Write booleans as text (e.g. 'Ja'/'Nej'), not as True/False")
        case datetime():
            return value.strftime("%Y-%m-%d %H:%M")
        case date():
            return value.isoformat()
        case time():
            return value.strftime("%H:%M")
        case Decimal():
            return format(value, "f").replace(".", ",")
        case int():
            return str(value)
        case float():
            return repr(value).replace(".", ",")
    raise TypeError(f"Cannot write a {type(value).__name__} to a CSV field")
