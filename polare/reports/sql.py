"""SQL expressions the reports group and sum by, written for both SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String, and_, case, extract
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class month_of(FunctionElement):  # noqa: N801  (used like a SQL function)
    """The month of a date column as 'YYYY-MM'."""

    type = String()
    inherit_cache = True
    name = "month_of"


@compiles(month_of)
def _month_of_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_of, "postgresql")
def _month_of_postgresql(element: month_of, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


class seconds_between(FunctionElement):  # noqa: N801
    """Whole seconds from the first timestamp to the second (exact across midnight)."""

    type = Integer()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_between_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return (f"(CAST(strftime('%s', {end}) AS INTEGER) "
            f"- CAST(strftime('%s', {start}) AS INTEGER))")


@compiles(seconds_between, "postgresql")
def _seconds_between_postgresql(element: seconds_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS INTEGER)"


def age_on_first_january(
    birth_date: ColumnElement[Any], day: ColumnElement[Any]
) -> ColumnElement[int]:
    """Return the completed years on 1 January of the day's year of someone born then."""
    born_on_new_year = and_(extract("month", birth_date) == 1, extract("day", birth_date) == 1)
    return (
        extract("year", day) - extract("year", birth_date) - case((born_on_new_year, 0), else_=1)
    )
