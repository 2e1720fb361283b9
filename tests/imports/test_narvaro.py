"""Import kind `narvaro`: events and attendance by the events' rules."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from polare.auth.models import Role
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.events.services import create_event
from polare.roster.models import Person
from tests.conftest import valid_personnummer


@pytest.fixture
def members(make_person, make_enrolment) -> dict[str, Person]:
    """Two polare active in Ryd and one in Berga, 2026/27."""
    elsa = make_person(first_name="Elsa", last_name="Ek")
    omar = make_person(first_name="Omar", last_name="Berg", birth_date=date(2007, 5, 2))
    lina = make_person(first_name="Lina", last_name="Sand")
    make_enrolment(elsa, "Ryd")
    make_enrolment(omar, "Ryd")
    make_enrolment(lina, "Berga")
    return {"elsa": elsa, "omar": omar, "lina": lina}


def good_rows(members: dict[str, Person]) -> list[list[object]]:
    """Return attendance at a Ryd training (two rows) and an all-team meeting (one row)."""
    elsa, omar = members["elsa"].personnummer, members["omar"].personnummer
    return [
        [date(2026, 10, 10), time(10, 0), "Ledarskapsutbildning", "Höstens utbildning", "Ryd",
         elsa, "närvarande"],
        [date(2026, 10, 10), time(10, 0), "ledarskapsutbildning", "Höstens utbildning", "Ryd",
         omar, "frånvarande"],
        [date(2026, 11, 2), "18:00", "Nätverksträff", "Nätverksträff november", "alla", elsa,
         "Närvarande"],
    ]


def _statuses(db) -> dict[tuple[str, str], InvitationStatus]:
    rows = db.execute(select(Event.title, Person.first_name, Invitation.status)
                      .join(Invitation, Invitation.event_id == Event.id)
                      .join(Person, Person.id == Invitation.person_id))
    return {(title, name): status for title, name, status in rows}


def test_good_file_creates_events_and_marks_attendance(db, run, members, teams):
    result = run("narvaro", good_rows(members))
    assert result.ok, result.errors
    assert result.created["event"] == 2
    assert _statuses(db) == {
        ("Höstens utbildning", "Elsa"): InvitationStatus.ATTENDED,
        ("Höstens utbildning", "Omar"): InvitationStatus.ABSENT,
        ("Nätverksträff november", "Elsa"): InvitationStatus.ATTENDED,
    }
    meeting = db.scalars(select(Event).where(Event.title == "Nätverksträff november")).one()
    assert meeting.team_id is None


def test_rows_of_an_event_already_in_polare_use_it(db, run, members, teams):
    training = db.scalars(select(EventType).where(
        EventType.name == "Ledarskapsutbildning")).one()
    existing = create_event(db, None, type_id=training.id, title="Höstens utbildning",
                            event_date=date(2026, 10, 10), start_time=time(10, 0),
                            end_time=None, team_id=teams["Ryd"].id)
    result = run("narvaro", good_rows(members))
    assert result.ok, result.errors
    assert result.created["event"] == 1
    assert db.scalars(select(Event.id).where(Event.title == "Höstens utbildning")).all() == [
        existing.id]


def test_file_with_several_bad_rows_imports_nothing_and_reports_every_row(db, run, members):
    rows = good_rows(members)
    rows[0][2] = "Fotboll"
    rows[1][5] = members["lina"].personnummer  # Berga's polare at a Ryd event
    rows[2][0] = date(2026, 12, 1)  # in the future: attendance cannot be marked yet
    rows.append([date(2026, 10, 10), time(10, 0), "Introduktion", "Intro", "Ryd",
                 "20070502-2013", "kanske"])
    result = run("narvaro", rows)
    assert sorted((e.row, e.column) for e in result.errors) == [
        (2, "Typ"), (3, "Personnummer"), (4, "Datum"), (5, "Närvaro"), (5, "Personnummer")]
    assert db.scalar(select(func.count(Event.id))) == 0
    assert db.scalar(select(func.count(Invitation.id))) == 0


def test_unknown_personnummer_asks_to_import_the_polare_first(run, members):
    rows = good_rows(members)[:1]
    rows[0][5] = valid_personnummer(date(2008, 8, 8), 555)
    result = run("narvaro", rows)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Personnummer")]
    assert "Importera polaren först" in result.errors[0].reason


def test_importing_the_same_file_twice_duplicates_nothing(db, run, members):
    assert run("narvaro", good_rows(members)).ok
    second = run("narvaro", good_rows(members))
    assert second.ok, second.errors
    assert second.existing_rows == 3
    assert db.scalar(select(func.count(Event.id))) == 2
    assert db.scalar(select(func.count(Invitation.id))) == 3


def test_semicolon_csv_with_bom_from_swedish_excel_is_imported(db, run, members):
    result = run("narvaro", good_rows(members), filename="narvaro.csv")
    assert result.ok, result.errors
    assert len(_statuses(db)) == 3


def test_coordinator_cannot_import_attendance_into_another_team(db, run, members, make_user):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    result = run("narvaro", good_rows(members)[:2], as_=berga)
    assert [(e.row, e.column) for e in result.sorted_errors()] == [(2, "Team"), (3, "Team")]


def test_another_teams_polare_is_unknown_to_the_attendance_import(run, members):
    rows = good_rows(members)[2:]  # the all-team meeting
    rows[0][5] = members["lina"].personnummer
    unknown = good_rows(members)[2:]
    unknown[0][5] = valid_personnummer(date(2008, 8, 8), 555)
    answers = [run("narvaro", each).errors for each in (rows, unknown)]
    assert [(e.row, e.column) for e in answers[0]] == [(2, "Personnummer")]
    assert answers[0][0].reason.startswith("Okänd polare")
    assert "Lina" not in answers[0][0].reason
    assert answers[0][0].reason.replace(members["lina"].personnummer, "N") == \
        answers[1][0].reason.replace(unknown[0][5], "N")
