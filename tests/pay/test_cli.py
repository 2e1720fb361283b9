"""`flask payroll preview|close|attest|reopen|export`, `flask rates index|decide` and the
attest right of `flask users`."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from polare.auth.models import Role, User
from polare.pay.models import PayPeriod, PayrollExport, PeriodStatus, RateVersion
from tests.pay.conftest import ATTENDED


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
    db.commit()  # the test's data outlives the declined command's rollback
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


def test_preview_exits_1_when_the_month_has_errors(app, db, polare, make_walk):
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    result = run(app, "payroll", "preview", "2026-11")
    assert result.exit_code == 1
    assert "FEL: Ingen arvodestabell gäller" in result.stderr


@pytest.fixture
def closed_by_lena(app, db, rate_table, polare, make_walk, make_user):
    """November closed by lena; both lena and anna have attesträtt."""
    make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    make_user(Role.PAYROLL, username="lena", can_attest=True)
    make_user(Role.PAYROLL, username="anna", can_attest=True)
    assert run(app, "payroll", "close", "2026-11", "--as", "lena", "--yes").exit_code == 0


def november(db) -> PayPeriod:
    return db.scalars(select(PayPeriod).where(PayPeriod.month == "2026-11")).one()


def test_attest_as_a_second_person_makes_the_month_final(app, db, closed_by_lena):
    result = run(app, "payroll", "attest", "2026-11", "--as", "anna", "--yes")
    assert result.exit_code == 0, result.output
    assert november(db).status == PeriodStatus.ATTESTED


def test_attest_by_the_closer_is_refused_in_one_line_on_stderr(app, db, closed_by_lena):
    result = run(app, "payroll", "attest", "2026-11", "--as", "lena", "--yes")
    assert result.exit_code == 1
    assert result.stderr == ("Error: Perioden 2026-11 ska attesteras av en annan person än den "
                             "som stängde den.\n")
    assert november(db).status == PeriodStatus.CLOSED


def test_attest_refuses_before_asking_when_the_user_may_not_attest(app, db, closed_by_lena):
    result = run(app, "payroll", "attest", "2026-11", "--as", "lena", input="y\n")
    assert result.exit_code == 1
    assert "Attestera perioden?" not in result.output
    assert result.stderr == ("Error: Perioden 2026-11 ska attesteras av en annan person än den "
                             "som stängde den.\n")


def test_attest_asks_before_attesting_and_a_no_changes_nothing(app, db, closed_by_lena):
    result = run(app, "payroll", "attest", "2026-11", "--as", "anna", input="n\n")
    assert "Attesten är slutgiltig. Attestera perioden?" in result.output
    assert result.exit_code == 1
    assert november(db).status == PeriodStatus.CLOSED


def test_reopen_with_a_reason_opens_the_month_again(app, db, closed_by_lena):
    result = run(app, "payroll", "reopen", "2026-11", "--as", "lena", "--reason", "Fel närvaro")
    assert result.exit_code == 0, result.output
    assert (november(db).status, november(db).reopen_reason) == (PeriodStatus.OPEN,
                                                                 "Fel närvaro")


def test_reopen_of_an_attested_month_is_refused_in_one_line(app, db, closed_by_lena):
    run(app, "payroll", "attest", "2026-11", "--as", "anna", "--yes")
    result = run(app, "payroll", "reopen", "2026-11", "--as", "anna", "--reason", "Fel")
    assert result.exit_code == 1
    assert result.stderr == "Error: Perioden 2026-11 är attesterad och slutlig.\n"


def test_closing_a_month_out_of_turn_is_one_line_not_a_traceback(app, db, closed_by_lena):
    result = run(app, "payroll", "close", "2026-10", "--as", "lena", "--yes")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "nästa period att stänga är 2026-12" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_rates_decide_records_the_decision(app, db, undecided_rate_table, make_user):
    make_user(Role.PAYROLL, username="lena")
    result = run(app, "rates", "decide", "2024-08-01", "--reference", "KS 2024/117", "--date",
                 "2024-06-12", "--as", "lena")
    assert result.exit_code == 0, result.output
    db.refresh(undecided_rate_table)
    assert (undecided_rate_table.decision_reference, undecided_rate_table.decision_date) == (
        "KS 2024/117", date(2024, 6, 12))


def test_rates_decide_of_a_date_without_a_version_is_refused(app, db, make_user):
    make_user(Role.PAYROLL, username="lena")
    result = run(app, "rates", "decide", "2025-01-01", "--reference", "KS 1", "--date",
                 "2024-12-01", "--as", "lena")
    assert result.exit_code == 1
    assert "ingen tabellversion som gäller från 2025-01-01" in result.stderr


def test_users_create_with_attest_then_revoke_and_grant(app, db):
    created = app.test_cli_runner().invoke(
        args=["users", "create", "ada", "--role", "payroll", "--attest"],
        input="ett-langt-losenord\n")
    assert created.exit_code == 0, created.output
    user = db.scalars(select(User).where(User.username == "ada")).one()
    assert user.can_attest
    assert run(app, "users", "revoke-attest", "ada").exit_code == 0
    db.refresh(user)
    assert not user.can_attest
    assert run(app, "users", "grant-attest", "ada").exit_code == 0
    db.refresh(user)
    assert user.can_attest


def test_grant_attest_to_an_unknown_user_is_refused(app, db):
    result = run(app, "users", "grant-attest", "nobody")
    assert result.exit_code == 1
    assert "ingen användare nobody" in result.stderr
