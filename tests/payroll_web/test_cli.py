"""`flask payroll preview|close|export` and `flask rates index`."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from polare.auth.models import Role
from polare.payroll_web.models import PayPeriod, PayrollExport, PeriodStatus, RateVersion
from tests.payroll_web.conftest import ATTENDED


def run(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_preview_prints_each_persons_lines_and_the_totals(app, rate_table, second_year_polare,
                                                          make_walk):
    make_walk(date(2026, 11, 5), [(second_year_polare, ATTENDED)])
    result = run(app, "payroll", "preview", "2026-11")
    assert result.exit_code == 0, result.output
    assert "Period 2026-11 (öppen, PRELIMINÄR)" in result.output
    assert f"Elsa Ek {second_year_polare.personnummer}" in result.output
    assert "ålder 17, år 2, 15–17 år, 2 år i verksamheten" in result.output
    assert "230,00 kr" in result.output
    assert "Totalt" in result.output


def test_preview_refuses_a_malformed_month(app, db):
    result = run(app, "payroll", "preview", "11-2026")
    assert result.exit_code != 0
    assert "år-månad" in result.output


def test_close_asks_then_closes_as_the_named_user(app, db, rate_table, polare, make_walk,
                                                  make_user):
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    officer = make_user(Role.PAYROLL, username="lena")
    declined = run(app, "payroll", "close", "2026-11", "--as", "lena", input="n\n")
    assert declined.exit_code != 0
    assert db.scalar(select(PayPeriod.status).where(PayPeriod.month == "2026-11")) is None
    result = run(app, "payroll", "close", "2026-11", "--as", "lena", input="y\n")
    assert result.exit_code == 0, result.output
    period = db.scalars(select(PayPeriod).where(PayPeriod.month == "2026-11")).one()
    assert (period.status, period.closed_by_id) == (PeriodStatus.CLOSED, officer.id)


def test_close_refuses_a_user_without_the_payroll_role(app, db, make_user):
    make_user(Role.SUPERVISOR, username="hanna")
    result = run(app, "payroll", "close", "2026-11", "--as", "hanna", "--yes")
    assert result.exit_code != 0
    assert "lön eller administratör" in result.output


def test_close_without_a_rate_in_force_fails_naming_the_walk(app, db, polare, make_walk):
    walk = make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    result = run(app, "payroll", "close", "2026-11", "--yes")
    assert result.exit_code != 0
    assert f"nattvandring {walk.id} den 2026-11-05" in result.output


def test_export_writes_the_workbook_and_records_it(app, db, rate_table, polare, make_walk,
                                                   tmp_path):
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    out = tmp_path / "november.xlsx"
    result = run(app, "payroll", "export", "2026-11", "--out", str(out))
    assert result.exit_code == 0, result.output
    stored = db.scalars(select(PayrollExport)).one()
    assert stored.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert stored.sha256 in result.output
    assert (stored.filename, stored.row_count) == ("arvoden-2026-11-PRELIMINAR.xlsx", 1)
    assert load_workbook(out).sheetnames == ["Lönefil", "Underlag", "Summering"]
    assert [p.name for p in tmp_path.iterdir()] == ["november.xlsx"]


def test_rates_index_makes_a_version_from_the_one_in_force_the_day_before(app, db, rate_table):
    result = run(app, "rates", "index", "--from", "2027-01-01", "--percent", "2,5", "--yes")
    assert result.exit_code == 0, result.output
    assert "200,00 kr ->    205,00 kr" in result.output
    version = db.scalars(select(RateVersion)
                         .where(RateVersion.effective_from == date(2027, 1, 1))).one()
    assert (version.indexed_from_id, version.index_percent) == (rate_table.id, Decimal("2.5"))
    assert [r.amount for r in version.rows][-1] == Decimal("318.00")


def test_rates_index_without_a_version_to_raise_fails(app, db):
    result = run(app, "rates", "index", "--from", "2027-01-01", "--percent", "3", "--yes")
    assert result.exit_code != 0
    assert "inget att räkna upp" in result.output
