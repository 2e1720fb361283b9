"""Registerutdrag: everything about one person in a workbook, found without a number in a URL."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, time

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from polare.audit.models import AuditEntry, AuditEntryPerson
from polare.auth.models import Role
from polare.events.attendance import invite_persons, mark_attendance
from polare.events.models import InvitationStatus
from polare.org.models import District
from polare.pay.models import PayLine
from polare.pay.services import export_workbook
from polare.privacy import extract
from polare.reports.aggregates import rebuild_all
from polare.reports.models import FollowUpWalker
from polare.walks.models import WalkStatus
from polare.walks.workflow import approve_walk
from tests.conftest import TODAY
from tests.privacy import factories
from tests.webpages import form_to, web_log_in


def _workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def _values(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_extract_holds_every_kind_of_record_about_the_person(db, world):
    _name, data = extract.export_extract(db, None, world.left.id, on=TODAY)
    book = _workbook(data)
    assert book.sheetnames == ["Person", "Vårdnadshavare", "Inskrivningar",
                               "Utbildningar och träffar", "Nattvandringar", "Uppföljning",
                               "Arvoden", "Ansökningar", "Samtyckeslänkar", "Logg",
                               "Utlämnanden"]
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


def _logged(book) -> list[tuple[str, str, str]]:
    return [(row[2], row[3], row[4]) for row in _values(book["Logg"])[1:]]


@pytest.fixture
def active_history(db, client, login_as, make_user, world, teams, school_year):
    """Everything that touched the active polare: invitation, walk, roster and payroll exports."""
    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    event = factories.event(db, teams["Ryd"], date(2026, 12, 10), [])
    invite_persons(db, coordinator, event, [world.active.id])
    walk = factories.walk(db, teams["Ryd"], date(2026, 11, 20), [world.active],
                          status=WalkStatus.COMPLETED)
    approve_walk(db, coordinator, walk.id, version=walk.version, confirm_training=True)
    factories.pay_line(db, "2026-10", world.active, walk)
    export_workbook(db, make_user(Role.PAYROLL), "2026-10", io.BytesIO())
    db.commit()
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.get("/imports/export/roster",
                          query_string={"team": teams["Ryd"].id, "year": school_year.id})
    assert response.status_code == 200
    return world.active


def test_extract_of_an_active_polare_holds_every_entry_that_refers_to_her(db, active_history):
    referring = db.execute(select(AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id)
                           .join(AuditEntryPerson, AuditEntryPerson.entry_id == AuditEntry.id)
                           .where(AuditEntryPerson.person_id == active_history.id)).all()
    _name, data = extract.export_extract(db, None, active_history.id, on=TODAY)
    logged = _logged(_workbook(data))
    assert not Counter(map(tuple, referring)) - Counter(logged)  # every one is in the extract
    for action, entity in [("invite", "event"), ("confirm_training", "walk"),
                           ("approve", "walk"), ("export", "roster"), ("export", "pay_period")]:
        assert any(entry[:2] == (action, entity) for entry in logged)


def test_extract_lists_every_disclosure_with_file_and_recipient_role(db, active_history):
    _name, data = extract.export_extract(db, None, active_history.id, on=TODAY)
    rows = _values(_workbook(data)["Utlämnanden"])[1:]
    shown = {(row[1], row[3]) for row in rows}
    assert ("Polarelista", "samordnare") in shown
    assert ("Löneunderlag", "lön") in shown
    payroll = next(row for row in rows if row[1] == "Löneunderlag")
    assert "arvoden-2026-10" in payroll[2]


def test_a_walk_log_downloaded_from_the_page_is_a_disclosure_in_the_extract(db, web, world,
                                                                           make_user, teams):
    factories.walk(db, teams["Ryd"], date(2026, 11, 20), [world.active])
    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    db.commit()
    web_log_in(web, coordinator.username)
    form = form_to(web.get("/imports/"), "/imports/export/walks")
    form["first"], form["last"] = "2026-11-01", "2026-11-30"
    assert form.submit().content_type.endswith("spreadsheetml.sheet")
    _name, data = extract.export_extract(db, None, world.active.id, on=TODAY)
    [disclosure] = _values(_workbook(data)["Utlämnanden"])[1:]
    assert (disclosure[1], disclosure[3], disclosure[4]) == (
        "Nattvandringslogg", "samordnare", coordinator.username)
    assert "nattvandringar-2026-11-01-2026-11-30.xlsx" in disclosure[2]


def test_extract_holds_enrolment_dates_and_every_pay_line_column(db, world):
    _name, data = extract.export_extract(db, None, world.left.id, on=TODAY)
    book = _workbook(data)
    enrolment_headers = _values(book["Inskrivningar"])[0]
    assert {"På väntelista sedan", "Registrerad"} <= set(enrolment_headers)
    headers, line = _values(book["Arvoden"])[:2]
    values = dict(zip(headers, line, strict=True))
    assert values["Kostnadsställe"] == "K100"
    assert (values["Start"], values["Slut"]) == (time(18, 0), time(22, 0))
    assert "Tabellversion" in values
    assert values["Skapad"] is not None


def _rows_by_header(sheet) -> list[dict[str, object]]:
    headers, *rows = _values(sheet)
    return [dict(zip(headers, row, strict=True)) for row in rows]


def test_extract_holds_the_band_bounds_and_numbers_of_each_pay_line(db, world):
    line = db.scalars(select(PayLine).where(PayLine.person_id == world.left.id)).one()
    line.band_age_from, line.band_age_to, line.band_years_from, line.band_years_to = 15, 17, 1, 1
    line.line_no = 4
    db.flush()
    _name, data = extract.export_extract(db, None, world.left.id, on=TODAY)
    [values] = _rows_by_header(_workbook(data)["Arvoden"])
    assert (values["Bandets ålder från"], values["Bandets ålder till"],
            values["Bandets år från"], values["Bandets år till"]) == (15, 17, 1, 1)
    assert (values["Rad"], values["Radnummer i perioden"]) == (line.id, 4)


def test_extract_says_who_marked_attendance_at_an_event_and_when(db, world, make_user, teams,
                                                                 clock):
    coordinator = make_user(Role.COORDINATOR)
    event = factories.event(db, teams["Ryd"], date(2026, 11, 20), [])
    invite_persons(db, coordinator, event, [world.active.id])
    clock.local(datetime(2026, 11, 21, 9, 30))
    mark_attendance(db, coordinator, event, world.active.id, InvitationStatus.ATTENDED,
                    on=date(2026, 11, 21))
    _name, data = extract.export_extract(db, None, world.active.id, on=TODAY)
    [invitation] = _rows_by_header(_workbook(data)["Utbildningar och träffar"])
    assert invitation["Närvaro"] == "närvarande"
    assert invitation["Närvaro markerad av"] == coordinator.username
    assert invitation["Närvaro markerad (UTC)"] == datetime(2026, 11, 21, 8, 30)


def test_extract_lists_the_months_the_follow_up_counts_the_person_as_a_walker(db, world):
    rebuild_all(db, TODAY)
    _name, data = extract.export_extract(db, None, world.left.id, on=TODAY)
    assert _rows_by_header(_workbook(data)["Uppföljning"]) == [
        {"Månad": "2024-09", "Räknad som nattvandrare i team": "Ryd"}]


def test_extract_lists_a_month_once_though_the_person_walked_in_two_districts(db, world,
                                                                            teams):
    other = db.scalars(select(District).where(District.team_id != teams["Ryd"].id)).first()
    second = factories.walk(db, teams["Ryd"], date(2024, 9, 24), [world.left])
    second.district_id = other.id
    db.flush()
    rebuild_all(db, TODAY)
    assert len(db.scalars(select(FollowUpWalker).where(
        FollowUpWalker.person_id == world.left.id)).all()) == 2
    _name, data = extract.export_extract(db, None, world.left.id, on=TODAY)
    assert _rows_by_header(_workbook(data)["Uppföljning"]) == [
        {"Månad": "2024-09", "Räknad som nattvandrare i team": "Ryd"}]


def test_extract_page_counts_the_disclosures(client, login_as, active_history):
    client.post("/logout")
    login_as(Role.ADMIN)
    body = client.get(f"/admin/privacy/persons/{active_history.id}").get_data(as_text=True)
    assert "Utlämnanden (exporter med personens uppgifter)</th><td>2<" in body
