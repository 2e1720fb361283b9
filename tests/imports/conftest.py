"""Fixtures of the import tests: files as Excel and Swedish Excel write them, and a runner."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import pytest

from exports import Sheet, csv_bytes, write_workbook
from polare.auth.models import Role, User
from polare.imports.kinds import KINDS
from polare.imports.report import ImportResult
from polare.imports.runner import run_import
from tests.conftest import TODAY

#: The local time the imports of the tests run at: the afternoon of TODAY.
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 14, 0)


def xlsx_file(kind: str, rows: Sequence[Sequence[Any]]) -> bytes:
    """Return an .xlsx file with the kind's headers and the rows (dates stay Excel dates)."""
    data = write_workbook([Sheet(title="Blad1", headers=KINDS[kind].headers, rows=rows)]).data
    assert data is not None
    return data


def excel_csv_file(kind: str, rows: Sequence[Sequence[Any]]) -> bytes:
    """Return a CSV file as Swedish Excel saves one: UTF-8 with BOM, ';'-separated."""
    return csv_bytes(KINDS[kind].headers, rows)


def comma_csv_file(kind: str, rows: Sequence[Sequence[Any]]) -> bytes:
    """Return a plain ','-separated UTF-8 CSV file without BOM, every value as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(KINDS[kind].headers)
    writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return buffer.getvalue().encode()


@pytest.fixture
def coordinator(make_user) -> User:
    """A coordinator of Ryd, the importing user of most tests."""
    return make_user(Role.COORDINATOR, teams=("Ryd",), username="samordnare.ryd")


@pytest.fixture
def run(db, coordinator) -> Callable[..., ImportResult]:
    """Import rows as a file: run("polare", rows, as_=user, filename="x.csv")."""

    def go(kind: str, rows: Sequence[Sequence[Any]], *, as_: User | None = None,
           filename: str = "lista.xlsx") -> ImportResult:
        maker = xlsx_file if filename.endswith(".xlsx") else excel_csv_file
        return run_import(db, as_ or coordinator, kind, filename, maker(kind, rows),
                          today=TODAY, now=NOW)

    return go
