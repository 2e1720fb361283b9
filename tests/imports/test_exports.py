"""The roster and walk log downloads, read back with openpyxl; each download is audited."""

from __future__ import annotations

import io
from datetime import date, time

from openpyxl import load_workbook
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.roster.download import ROSTER_HEADERS
from polare.walks.download import PARTICIPANT_HEADERS, WALK_HEADERS
from polare.walks.planning import WalkPlan, plan_walk


def _workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return load_workbook(io.BytesIO(response.data))


def test_roster_export_reads_back_with_the_import_columns_first(client, db, login_as, polare,
                                                                teams, school_year):
    user = login_as(Role.COORDINATOR, teams=("Ryd",))
    polare.first_name = "=HYPERLINK(\"http://x\")"
    db.flush()
    response = client.get("/imports/export/roster",
                          query_string={"team": teams["Ryd"].id, "year": school_year.id})
    assert "polare-Ryd-2026-27.xlsx" in response.headers["Content-Disposition"]
    sheet = _workbook(response)["Polare"]
    assert [cell.value for cell in sheet[1]] == list(ROSTER_HEADERS)
    row = [cell for cell in sheet[2]]
    assert row[0].value == polare.personnummer
    assert row[0].data_type == "s"
    assert row[1].value == polare.first_name
    assert row[1].data_type == "s"
    assert row[7].value == "aktiv"
    assert row[8].value.date() == date(2026, 8, 1)
    assert row[15].value == 1
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.user_id, entry.entity) == (user.id, "roster")


def test_roster_of_another_team_is_not_found(client, login_as, teams, school_year):
    login_as(Role.COORDINATOR, teams=("Berga",))
    response = client.get("/imports/export/roster",
                          query_string={"team": teams["Ryd"].id, "year": school_year.id})
    assert response.status_code == 302  # Ryd is not among the team choices
    assert "Content-Disposition" not in response.headers


def test_roster_export_without_a_choice_goes_back_to_the_page(client, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.get("/imports/export/roster")
    assert response.status_code == 302
    assert "/imports/" in response.headers["Location"]


def test_walk_log_export_has_a_walk_sheet_and_a_participant_sheet(client, db, login_as,
                                                                   polare, teams, make_user):
    user = login_as(Role.COORDINATOR, teams=("Ryd",))
    staff = make_user(Role.SUPERVISOR, teams=("Ryd",), username="hanna")
    district = next(d for d in teams["Berga"].districts if d.name == "City")
    plan_walk(db, None, WalkPlan(
        team_id=teams["Ryd"].id, walk_date=date(2026, 11, 20), start_time=time(21, 0),
        end_time=time(0, 30), district_id=district.id, meeting_point="+46 kiosken",
        staff_ids=[staff.id], person_ids=[polare.id]))
    response = client.get("/imports/export/walks", query_string={
        "team": 0, "first": "2026-11-01", "last": "2026-11-30"})
    workbook = _workbook(response)
    assert workbook.sheetnames == ["Nattvandringar", "Deltagare"]
    walks, participants = workbook["Nattvandringar"], workbook["Deltagare"]
    assert [cell.value for cell in walks[1]] == list(WALK_HEADERS)
    walk = [cell.value for cell in walks[2]]
    assert walk[1:4] == ["Ryd", "City", "Ja"]
    assert walk[6] == 3.5
    assert walks.cell(2, 7).number_format == "#,##0.00"
    assert walk[7] == "+46 kiosken"
    assert walks.cell(2, 8).data_type == "s"
    assert walk[8:10] == ["hanna", "planerad"]
    assert [cell.value for cell in participants[1]] == list(PARTICIPANT_HEADERS)
    person = [cell.value for cell in participants[2]]
    assert person[9:] == [polare.personnummer, "ej markerad", "Elsa Ek"]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.user_id, entry.entity, entry.entity_id) == (
        user.id, "walk_log", "2026-11-01/2026-11-30")


def test_walk_log_leaves_out_other_teams_walks(client, db, login_as, polare, teams, make_user):
    login_as(Role.COORDINATOR, teams=("Berga",))
    staff = make_user(Role.SUPERVISOR, teams=("Ryd",))
    plan_walk(db, None, WalkPlan(
        team_id=teams["Ryd"].id, walk_date=date(2026, 11, 20), start_time=time(19, 0),
        end_time=time(21, 0), district_id=teams["Ryd"].districts[0].id, meeting_point="",
        staff_ids=[staff.id], person_ids=[polare.id]))
    response = client.get("/imports/export/walks", query_string={
        "team": 0, "first": "2026-11-01", "last": "2026-11-30"})
    assert _workbook(response)["Nattvandringar"].max_row == 1


def test_walk_log_refuses_a_range_that_ends_before_it_starts(client, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.get("/imports/export/walks", query_string={
        "team": 0, "first": "2026-11-30", "last": "2026-11-01"}, follow_redirects=True)
    assert "Slutdatumet kan inte vara före startdatumet." in response.get_data(as_text=True)
