"""`flask import KIND FILE --as USERNAME`: exit 0 and a summary, or exit 1 and the report."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.roster.models import EnrolmentStatus, Person
from tests.imports.conftest import excel_csv_file, xlsx_file
from tests.imports.test_polare import ADULT, good_rows


def _invoke(app, *args: str):
    return app.test_cli_runner().invoke(args=["import", *args])


def test_good_file_exits_0_with_a_summary(app, db, coordinator, tmp_path):
    path = tmp_path / "polare.xlsx"
    path.write_bytes(xlsx_file("polare", good_rows()))
    result = _invoke(app, "polare", str(path), "--as", coordinator.username)
    assert result.exit_code == 0, result.output
    assert "polare.xlsx: 5 rader: 5 nya" in result.output
    assert db.scalar(select(func.count(Person.id)).where(Person.personnummer == ADULT)) == 1


def test_second_run_reports_what_already_existed(app, coordinator, tmp_path):
    path = tmp_path / "polare.csv"
    path.write_bytes(excel_csv_file("polare", good_rows()))
    _invoke(app, "polare", str(path), "--as", coordinator.username)
    result = _invoke(app, "polare", str(path), "--as", coordinator.username)
    assert result.exit_code == 0, result.output
    assert "5 fanns redan" in result.output


def test_bad_file_exits_1_with_the_report_and_imports_nothing(app, db, coordinator, tmp_path):
    rows = good_rows()
    rows[0][0] = "20070502-2012"
    rows[3][5] = "Atlantis"
    path = tmp_path / "polare.xlsx"
    path.write_bytes(xlsx_file("polare", rows))
    result = _invoke(app, "polare", str(path), "--as", coordinator.username)
    assert result.exit_code == 1
    assert "Rad 2, Personnummer: Kontrollsiffran" in result.output
    assert "Rad 5, Team: Okänt team 'Atlantis'" in result.output
    assert "Ingenting importerades" in result.output
    assert db.scalar(select(func.count(Person.id)).where(Person.personnummer == ADULT)) == 0


def test_a_refused_file_keeps_only_the_audit_of_its_lookups(app, db, coordinator, tmp_path,
                                                            make_person, make_enrolment):
    karin = make_person(personnummer=ADULT, birth_date=date(2007, 5, 2), first_name="Karin",
                        last_name="Ek")
    make_enrolment(karin, "Berga", status=EnrolmentStatus.APPLICANT)
    db.commit()  # the command's rollback of the refused file must not take the fixtures along
    path = tmp_path / "polare.xlsx"
    path.write_bytes(xlsx_file("polare", good_rows()))
    persons = db.scalar(select(func.count(Person.id)))
    result = _invoke(app, "polare", str(path), "--as", coordinator.username)
    assert result.exit_code == 1
    assert "Ingenting importerades" in result.output
    assert db.scalar(select(func.count(Person.id))) == persons
    assert db.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "lookup", AuditEntry.entity_id == str(karin.id))) == 1


def test_unknown_user_exits_1(app, tmp_path):
    path = tmp_path / "polare.xlsx"
    path.write_bytes(xlsx_file("polare", good_rows()))
    result = _invoke(app, "polare", str(path), "--as", "nobody")
    assert result.exit_code == 1
    assert "ingen aktiv användare nobody" in result.output


def test_role_that_may_not_import_the_kind_exits_1(app, make_user, tmp_path):
    payroll = make_user(Role.PAYROLL, username="lon")
    path = tmp_path / "polare.xlsx"
    path.write_bytes(xlsx_file("polare", good_rows()))
    result = _invoke(app, "polare", str(path), "--as", payroll.username)
    assert result.exit_code == 1
    assert "får inte importera" in result.output


def test_unreadable_file_exits_1_with_the_reason(app, coordinator, tmp_path):
    path = tmp_path / "polare.xlsx"
    path.write_bytes(b"not a spreadsheet")
    result = _invoke(app, "polare", str(path), "--as", coordinator.username)
    assert result.exit_code == 1
    assert "kunde inte läsas som Excel" in result.output
