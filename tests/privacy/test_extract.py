"""Registerutdrag: everything about one person in a workbook, found without a number in a URL."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.privacy import extract
from tests.conftest import TODAY


def _workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def _values(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_extract_holds_every_kind_of_record_about_the_person(db, world):
    _name, data = extract.export_extract(db, None, world.left.id, on=TODAY)
    book = _workbook(data)
    assert book.sheetnames == ["Person", "Vårdnadshavare", "Inskrivningar",
                               "Utbildningar och träffar", "Nattvandringar", "Arvoden",
                               "Ansökningar", "Samtyckeslänkar", "Logg"]
    person = dict((row[0], row[1]) for row in _values(book["Person"])[1:])
    assert person["Personnummer"] == world.left.personnummer
    assert person["Anteckningar"] == "Allergisk mot nötter"
    assert {row[0] for row in _values(book["Vårdnadshavare"])[1:]} == {"Maria Slut", "Mats Slut"}
    enrolment = _values(book["Inskrivningar"])[1]
    assert enrolment[:3] == ["2024/25", "Ryd", "avslutad"]
    assert enrolment[6] == "Flyttade till Malmö"
    assert enrolment[8] == "Maria Slut"
    assert _values(book["Utbildningar och träffar"])[1][2] == "Ledarskapsutbildning"
    assert _values(book["Nattvandringar"])[1][3:5] == ["Ryd", "Ryd"]
    assert _values(book["Arvoden"])[1][0] == "2024-09"
    assert len(_values(book["Logg"])) > 1


def test_extract_is_audited(db, world):
    filename, _data = extract.export_extract(db, None, world.left.id, on=TODAY)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export",
                                                AuditEntry.entity == "person")).one()
    assert entry.entity_id == str(world.left.id)
    assert filename in entry.note


def test_extract_file_name_holds_no_name_or_number(db, world):
    filename, _data = extract.export_extract(db, None, world.left.id, on=TODAY)
    assert filename == f"registerutdrag-{world.left.id}-2026-11-25.xlsx"


def test_user_text_is_written_as_text_never_as_a_formula(db, make_person):
    person = make_person(notes='=HYPERLINK("http://x.example","klicka")')
    _name, data = extract.export_extract(db, None, person.id, on=TODAY)
    cell = next(row[1] for row in _workbook(data)["Person"].iter_rows()
                if row[0].value == "Anteckningar")
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x.example","klicka")'


def test_search_by_personnummer_is_sent_by_post_and_finds_the_person(client, login_as, world):
    login_as(Role.ADMIN)
    number = world.left.personnummer
    response = client.post("/admin/privacy/persons", data={"query": number.replace("-", "")})
    body = response.get_data(as_text=True)
    assert f"/admin/privacy/persons/{world.left.id}" in body
    assert number not in body  # shown masked
    assert f"{number[:8]}-****" in body


def test_search_form_posts(client, login_as):
    login_as(Role.ADMIN)
    body = client.get("/admin/privacy/persons").get_data(as_text=True)
    assert 'method="post"' in body


def test_search_by_name_ignores_case_also_for_swedish_letters(client, login_as, world):
    login_as(Role.ADMIN)
    body = client.post("/admin/privacy/persons", data={"query": "BO GRÄNS"}).get_data(
        as_text=True)
    assert f"/admin/privacy/persons/{world.boundary.id}" in body


def test_search_by_ten_digit_number_finds_the_person(client, login_as, world):
    login_as(Role.ADMIN)
    short = world.left.personnummer[2:]
    body = client.post("/admin/privacy/persons", data={"query": short}).get_data(as_text=True)
    assert f"/admin/privacy/persons/{world.left.id}" in body


def test_download_from_the_person_page_is_an_audited_workbook(client, db, login_as, world):
    admin = login_as(Role.ADMIN)
    page = client.get(f"/admin/privacy/persons/{world.left.id}").get_data(as_text=True)
    assert "Elsa Slut" in page
    assert world.left.personnummer not in page
    response = client.post(f"/admin/privacy/persons/{world.left.id}/extract")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Cache-Control"] == "no-store"
    assert "registerutdrag-" in response.headers["Content-Disposition"]
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "export",
                                               AuditEntry.user_id == admin.id)).one()


def test_extract_of_an_unknown_person_is_not_found(client, login_as):
    login_as(Role.ADMIN)
    assert client.post("/admin/privacy/persons/999999/extract").status_code == 404
    assert client.get("/admin/privacy/persons/999999").status_code == 404
