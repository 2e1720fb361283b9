"""Import kind `arvodestabell`: rate table versions by the payroll's band rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from exports import Sheet, write_workbook
from polare.auth.models import Role, User
from polare.errors import PermissionDeniedError
from polare.imports.kinds import KINDS
from polare.imports.runner import run_import
from polare.pay.models import RateRow, RateVersion
from tests.conftest import TODAY
from tests.imports.conftest import NOW

AUTUMN = date(2026, 8, 1)
NEW_YEAR = date(2027, 1, 1)


@pytest.fixture
def payroll_user(make_user) -> User:
    """A payroll officer, who imports rate tables."""
    return make_user(Role.PAYROLL, username="lon")


def good_rows() -> list[list[object]]:
    """Return two versions of three bands each covering ages 15–20 and every year, without
    decisions (empty Beslut and Beslutsdatum)."""
    return [[*row, None, None] for row in bands()]


def bands() -> list[list[object]]:
    """Return the six band rows of good_rows(), without the decision columns."""
    return [
        [AUTUMN, 15, 17, 1, None, Decimal(250)],
        [AUTUMN, 18, None, 1, 1, Decimal(300)],
        [AUTUMN, 18, None, 2, None, Decimal("350.50")],
        [NEW_YEAR, 15, 17, 1, None, "256"],
        [NEW_YEAR, 18, None, 1, 1, "307,50"],
        [NEW_YEAR, 18, None, 2, None, "1 359"],
    ]


def test_good_file_saves_one_version_per_date(db, run, payroll_user):
    result = run("arvodestabell", good_rows(), as_=payroll_user)
    assert result.ok, result.errors
    versions = db.scalars(select(RateVersion).order_by(RateVersion.effective_from)).all()
    assert [v.effective_from for v in versions] == [AUTUMN, NEW_YEAR]
    assert [r.amount for r in versions[1].rows] == [Decimal("256.00"), Decimal("307.50"),
                                                    Decimal("1359.00")]
    assert versions[0].created_by_id == payroll_user.id


def test_file_with_several_bad_rows_imports_nothing_and_reports_every_row(db, run,
                                                                          payroll_user):
    rows = good_rows()
    del rows[2]  # the autumn version no longer covers 18+ with two years or more
    rows[2][5] = "-5"
    rows[3][1] = "arton"
    rows[4][5] = "12,345"
    result = run("arvodestabell", rows, as_=payroll_user)
    assert sorted((e.row, e.column) for e in result.errors) == [
        (2, "Ålder från"), (4, "Belopp"), (5, "Ålder från"), (6, "Belopp")]
    gap = next(e.reason for e in result.errors if e.row == 2)
    assert gap.startswith("Tabellen från 2026-08-01 (rad 2–3)")
    assert db.scalar(select(func.count(RateVersion.id))) == 0
    assert db.scalar(select(func.count(RateRow.id))) == 0


def test_importing_the_same_file_twice_duplicates_nothing(db, run, payroll_user):
    assert run("arvodestabell", good_rows(), as_=payroll_user).ok
    second = run("arvodestabell", good_rows(), as_=payroll_user)
    assert second.ok, second.errors
    assert second.existing_rows == 6
    assert db.scalar(select(func.count(RateVersion.id))) == 2


def test_a_version_in_polare_with_other_amounts_is_not_changed(db, run, payroll_user):
    assert run("arvodestabell", good_rows(), as_=payroll_user).ok
    rows = good_rows()
    rows[0][5] = Decimal(251)
    result = run("arvodestabell", rows, as_=payroll_user)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Giltig från")]


def test_semicolon_csv_with_bom_from_swedish_excel_is_imported(db, run, payroll_user):
    result = run("arvodestabell", good_rows(), as_=payroll_user, filename="tabell.csv")
    assert result.ok, result.errors
    assert db.scalar(select(func.count(RateVersion.id))) == 2


def test_coordinator_may_not_import_rate_tables(run):
    with pytest.raises(PermissionDeniedError):
        run("arvodestabell", good_rows())


def test_payroll_may_not_import_polare(run, payroll_user):
    with pytest.raises(PermissionDeniedError):
        run("polare", [], as_=payroll_user)


def test_decision_columns_record_each_versions_decision(db, run, payroll_user):
    rows = [[*row, "KS 2026/88", date(2026, 6, 10)] for row in bands()[:3]]
    rows += good_rows()[3:]
    result = run("arvodestabell", rows, as_=payroll_user)
    assert result.ok, result.errors
    autumn, new_year = db.scalars(select(RateVersion).order_by(RateVersion.effective_from))
    assert (autumn.decision_reference, autumn.decision_date, autumn.decided) == (
        "KS 2026/88", date(2026, 6, 10), True)
    assert not new_year.decided


def test_a_file_without_the_decision_columns_is_imported_without_decisions(db, payroll_user):
    data = write_workbook([Sheet(title="Blad1", headers=KINDS["arvodestabell"].headers[:6],
                                 rows=bands())]).data
    result = run_import(db, payroll_user, "arvodestabell", "tabell.xlsx", data, today=TODAY,
                        now=NOW)
    assert result.ok, result.errors
    assert not any(v.decided for v in db.scalars(select(RateVersion)))


def test_a_decision_without_its_date_is_refused(db, run, payroll_user):
    rows = [[*row, "KS 2026/88", None] for row in bands()]
    result = run("arvodestabell", rows, as_=payroll_user)
    assert {(e.column, e.reason) for e in result.errors} == {
        ("Beslutsdatum", "Ange beslutets datum tillsammans med Beslut.")}
    assert db.scalar(select(func.count(RateVersion.id))) == 0


def test_importing_a_version_again_with_its_decision_records_the_decision(db, run,
                                                                          payroll_user):
    assert run("arvodestabell", good_rows(), as_=payroll_user).ok
    rows = [[*row, "KS 2026/88", date(2026, 6, 10)] for row in bands()[:3]]
    again = run("arvodestabell", rows, as_=payroll_user)
    assert again.ok, again.errors
    assert again.changed_rows == 3
    autumn = db.scalars(select(RateVersion).where(RateVersion.effective_from == AUTUMN)).one()
    assert (autumn.decision_reference, autumn.decision_date) == ("KS 2026/88", date(2026, 6, 10))
