"""The import page: upload, report, refusals of unreadable files, templates, access."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import webtest
from openpyxl import load_workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from tests.imports.conftest import excel_csv_file, xlsx_file
from tests.imports.test_polare import ADULT, good_rows
from tests.webpages import form_with


def _upload(client, kind: str, filename: str, data: bytes):
    return client.post("/imports/", data={"kind": kind, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_coordinator_sees_the_kinds_they_may_import(client, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    page = client.get("/imports/").get_data(as_text=True)
    for key in ("polare", "narvaro", "nattvandringar"):
        assert f"/imports/template/{key}.xlsx" in page
    assert "/imports/template/arvodestabell.xlsx" not in page
    assert "/imports/export/roster" in page


def test_payroll_may_import_only_rate_tables(client, login_as):
    login_as(Role.PAYROLL)
    page = client.get("/imports/").get_data(as_text=True)
    assert "/imports/template/arvodestabell.xlsx" in page
    assert "/imports/template/polare.xlsx" not in page
    assert "/imports/export/roster" not in page
    assert client.get("/imports/template/polare.xlsx").status_code == 404
    response = _upload(client, "polare", "polare.xlsx", xlsx_file("polare", good_rows()))
    assert response.status_code == 422


def test_supervisor_may_not_import(client, login_as):
    login_as(Role.SUPERVISOR)
    assert client.get("/imports/").status_code == 403


def test_good_upload_is_committed_and_summarised(client, db, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = _upload(client, "polare", "polare.xlsx", xlsx_file("polare", good_rows()))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "5 nya" in page
    assert db.scalar(select(func.count(Person.id)).where(Person.personnummer == ADULT)) == 1


def test_second_upload_of_the_same_file_reports_what_existed(client, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    data = excel_csv_file("polare", good_rows())
    _upload(client, "polare", "polare.csv", data)
    response = _upload(client, "polare", "polare.csv", data)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "5 fanns redan" in page


def test_bad_upload_shows_every_error_and_keeps_nothing(client, db, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    rows = good_rows()
    rows[0][0] = "20070502-2012"
    rows[3][5] = "Atlantis"
    before = db.scalar(select(func.count(Enrolment.id)))
    response = _upload(client, "polare", "polare.xlsx", xlsx_file("polare", rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ingenting importerades" in page
    assert "Kontrollsiffran" in page
    assert "Atlantis" in page
    assert db.scalar(select(func.count(Enrolment.id))) == before


def _lookups_of(db, person: Person) -> int:
    return db.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "lookup", AuditEntry.entity_id == str(person.id)))


def test_a_refused_upload_keeps_only_the_audit_of_its_lookups(db, webapp, web_login_as,
                                                              make_person, make_enrolment):
    karin = make_person(personnummer=ADULT, birth_date=date(2007, 5, 2), first_name="Karin",
                        last_name="Ek")
    make_enrolment(karin, "Berga", status=EnrolmentStatus.APPLICANT)
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    form = form_with(webapp.get("/imports/"), "file")
    form["kind"] = "polare"
    form["file"] = webtest.Upload("polare.xlsx", xlsx_file("polare", good_rows()))
    persons = db.scalar(select(func.count(Person.id)))
    refused = form.submit(status=422)
    assert "Ingenting importerades" in refused.text
    assert _lookups_of(db, karin) == 1
    assert db.scalar(select(func.count(Person.id))) == persons
    again = form_with(refused, "file")  # the form as shown again, with its key
    again["file"] = webtest.Upload("polare.xlsx", xlsx_file("polare", good_rows()))
    assert "Ingenting importerades" in again.submit(status=422).text  # the key was not kept
    assert _lookups_of(db, karin) == 2


def test_berga_coordinator_cannot_import_into_ryd(client, db, login_as):
    login_as(Role.COORDINATOR, teams=("Berga",))
    response = _upload(client, "polare", "polare.xlsx", xlsx_file("polare", good_rows()))
    assert response.status_code == 422
    assert "Du kan bara importera till dina egna team." in response.get_data(as_text=True)
    assert db.scalar(select(func.count(Person.id)).where(Person.personnummer == ADULT)) == 0


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def test_zip_bomb_is_refused_with_a_clear_message(client, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = _upload(client, "polare", "polare.xlsx", _zip_bomb())
    assert response.status_code == 422
    assert "zip-bomb" in response.get_data(as_text=True)


def test_file_that_is_not_an_excel_file_is_refused(client, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = _upload(client, "polare", "polare.xlsx", b"Personnummer;Namn\n")
    assert response.status_code == 422
    assert "kunde inte läsas som Excel" in response.get_data(as_text=True)
    response = _upload(client, "polare", "polare.pdf", b"%PDF-1.4")
    assert "Ladda upp en .xlsx- eller .csv-fil" in response.get_data(as_text=True)


def test_missing_column_is_named(client, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    data = "Personnummer;Förnamn\n20070502-2011;Omar\n".encode()
    response = _upload(client, "polare", "polare.csv", data)
    assert "Efternamn" in response.get_data(as_text=True)


def test_upload_over_the_size_limit_gets_413_on_the_import_page(app, client, login_as,
                                                                 monkeypatch):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    # Encoded here, in memory: the test client would spool a large body to an unclosed file.
    boundary, body = encode_multipart(MultiDict({
        "kind": "polare", "file": FileStorage(io.BytesIO(b"x" * (1024 * 1024)), "polare.csv")}))
    response = client.post("/imports/", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "högst 1 MB" in page
    assert 'enctype="multipart/form-data"' in page


def test_templates_have_exactly_the_kinds_headers(client, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.get("/imports/template/nattvandringar.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]] == [
        "Datum", "Team", "Stadsdel", "Start", "Slut", "Ansvarig", "Träffade", "Samtal",
        "Status", "Personnummer", "Närvaro"]
    csv = client.get("/imports/template/polare.csv")
    assert csv.data.decode("utf-8-sig").splitlines()[0] == (
        "Personnummer;Förnamn;Efternamn;Telefon;E-post;Team;Läsår;Status;Startdatum;"
        "Vårdnadshavare;Vårdnadshavare telefon;Samtycke datum;Tidigare år")
    assert client.get("/imports/template/okand.xlsx").status_code == 404


def test_downloaded_template_filled_in_imports(client, db, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    workbook = load_workbook(io.BytesIO(client.get("/imports/template/polare.xlsx").data))
    sheet = workbook.active
    for row in good_rows():
        sheet.append([value.isoformat() if isinstance(value, date) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _upload(client, "polare", "ifylld.xlsx", buffer.getvalue())
    assert response.status_code == 302, response.get_data(as_text=True)
