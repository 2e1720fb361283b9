"""URL converters shared by every blueprint: record ids and pay-period months.

A value out of range does not match the route, so the answer is 404 — never a query with a
number the database cannot hold (SQLite and PostgreSQL integers are 64-bit).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import BaseConverter, IntegerConverter, Map, ValidationError

#: The largest value of a 64-bit signed integer column.
MAX_ID = 2**63 - 1
#: The largest page number a list accepts; beyond it the page does not exist.
MAX_PAGE = 1_000_000
#: Pay-period months the app knows about (YYYY-MM with the year in this range).
MONTH_YEARS = range(1900, 3000)


class IdConverter(IntegerConverter):
    """A record id in a URL: 1 to 2^63 − 1 (`<id:walk_id>`)."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)

    def to_python(self, value: str) -> int:
        """Return the id, or refuse (404) one too long to be a 64-bit number."""
        if len(value) > len(str(MAX_ID)):
            raise ValidationError
        return super().to_python(value)


class MonthConverter(BaseConverter):
    """A pay-period month in a URL, `YYYY-MM`, kept as text (`<month:month>`)."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        """Return the month, or refuse (404) one that is not a real month in range."""
        year, number = int(value[:4]), int(value[5:])
        if year not in MONTH_YEARS or not 1 <= number <= 12:
            raise ValidationError
        return value

    def to_url(self, value: Any) -> str:
        """Return the month as written in URLs."""
        return str(value)


def register_converters(app: Flask) -> None:
    """Make `<id:…>` and `<month:…>` available to every route (before blueprints register)."""
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["month"] = MonthConverter


def page_number() -> int:
    """Return the `?page=` asked for (1 when absent or not a number); 404 beyond MAX_PAGE."""
    value = request.args.get("page", "")
    if not value.isdigit():
        return 1
    if len(value) > len(str(MAX_PAGE)) or int(value) > MAX_PAGE:
        abort(404)
    return max(int(value), 1)


def id_argument(name: str) -> int | None:
    """Return the record id in query or form field `name` (None if absent or not a number).

    An id too large for the database answers 404, as it does in a URL path.
    """
    value = request.values.get(name, "")
    if not value.isdigit():
        return None
    if len(value) > len(str(MAX_ID)) or int(value) > MAX_ID:
        abort(404)
    return int(value)


def id_arguments(name: str) -> list[int]:
    """Return the record ids of a repeated query argument (`?teams=1&teams=2`), numbers only.

    An id too large for the database answers 404, as it does in a URL path.
    """
    values = [value for value in request.args.getlist(name) if value.isdigit()]
    if any(len(value) > len(str(MAX_ID)) or int(value) > MAX_ID for value in values):
        abort(404)
    return [int(value) for value in values]


def form_id(value: Any) -> int:
    """Coerce a form field's id (a WTForms `coerce`); one too large for the database is 404.

    Filter forms read their ids from the query string and a tampering browser can send any
    number in a form, so an id reaches the database here as it does through `IdConverter`:
    out of range answers 404, never a query that fails.
    """
    number = int(value)
    if abs(number) > MAX_ID:
        abort(404)
    return number


def optional_form_id(value: Any) -> int | None:
    """Coerce a form field's optional id: an empty choice is None (see `form_id`)."""
    if value in (None, "", "None"):
        return None
    return form_id(value)
