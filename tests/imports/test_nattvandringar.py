"""Import kind `nattvandringar`: past walks with participants by the walks' rules."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from polare.audit.models import AuditEntry
from polare.auth.models import Role, User
from polare.roster.models import EnrolmentStatus, Person
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkStatus

FRIDAY = date(2026, 11, 20)
EARLIER_FRIDAY = date(2026, 11, 13)


@pytest.fixture
def staff(make_user) -> User:
    """A supervisor of Ryd, responsible staff on the imported walks."""
    return make_user(Role.SUPERVISOR, teams=("Ryd",), username="hanna")


@pytest.fixture
def walkers(make_person, make_enrolment) -> dict[str, Person]:
    """Three polare active in Ryd 2026/27 (none has had the required training)."""
    people = {
        "elsa": make_person(first_name="Elsa", last_name="Ek"),
        "omar": make_person(first_name="Omar", last_name="Berg", birth_date=date(2007, 5, 2)),
        "noa": make_person(first_name="Noa", last_name="Lund", birth_date=date(2008, 9, 9)),
    }
    for person in people.values():
        make_enrolment(person, "Ryd")
    return people


def good_rows(walkers: dict[str, Person], staff: User) -> list[list[object]]:
    """Return an approved walk with two polare and a completed one with one polare."""
    elsa, omar, noa = (walkers[n].personnummer for n in ("elsa", "omar", "noa"))
    return [
        [FRIDAY, "Ryd", "Ryd", time(19, 0), time(22, 0), staff.username, 40, 12, "godkänd",
         elsa, "närvarande"],
        [FRIDAY, "Ryd", "Ryd", time(19, 0), time(22, 0), staff.username, 40, 12, "Godkänd",
         omar, "frånvarande"],
        [EARLIER_FRIDAY, "Ryd", "Lambohov", "20:00", "01:00", staff.username, 25, 5,
         "genomförd", noa, "närvarande"],
    ]


def _walks(db) -> list[Walk]:
    return list(db.scalars(select(Walk).order_by(Walk.walk_date)))


def test_good_file_creates_completed_and_approved_walks(db, run, walkers, staff, coordinator):
    result = run("nattvandringar", good_rows(walkers, staff))
    assert result.ok, result.errors
    earlier, approved = _walks(db)
    assert earlier.status == WalkStatus.COMPLETED
    assert earlier.ends_at.date() == date(2026, 11, 14)
    assert approved.status == WalkStatus.APPROVED
    assert approved.approved_by_id == coordinator.id
    assert (approved.youths_met, approved.youths_talked) == (40, 12)
    assert [u.username for u in approved.staff] == ["hanna"]
    assert {p.person.first_name: p.status for p in approved.participations} == {
        "Elsa": ParticipationStatus.ATTENDED, "Omar": ParticipationStatus.ABSENT}


def test_approving_despite_missing_training_is_confirmed_by_the_import(db, run, walkers,
                                                                         staff, coordinator):
    result = run("nattvandringar", good_rows(walkers, staff), filename="vandringar.xlsx")
    approved = _walks(db)[1]
    assert approved.training_confirmed_by_id == coordinator.id
    note = db.scalars(select(AuditEntry.note).where(
        AuditEntry.action == "import", AuditEntry.entity == "walk",
        AuditEntry.entity_id == str(approved.id))).one()
    assert "importen" in note
    assert any("Elsa Ek" in text for text in result.notes)


def test_import_notes_refer_to_polare_by_id_and_keep_no_file_name(db, run, walkers, staff):
    run("nattvandringar", good_rows(walkers, staff), filename="Elsa Eks vandringar.xlsx")
    approved = _walks(db)[1]
    entry = db.scalars(select(AuditEntry).where(
        AuditEntry.action == "import", AuditEntry.entity == "walk",
        AuditEntry.entity_id == str(approved.id))).one()
    assert entry.note.startswith("Importerad från fil.xlsx (")
    assert "Elsa" not in entry.note
    assert {ref.person_id for ref in entry.persons} == {
        p.person_id for p in approved.participations}
    summary = db.scalars(select(AuditEntry).where(AuditEntry.entity == "import")).one()
    assert "Elsa" not in summary.note
    assert {p.person_id for p in approved.participations} <= {
        ref.person_id for ref in summary.persons}


def test_file_with_several_bad_rows_imports_nothing_and_reports_every_row(
    db, run, walkers, staff, make_person, make_enrolment
):
    outsider = make_person(first_name="Ida", last_name="Utan")  # applied, never active
    make_enrolment(outsider, "Ryd", status=EnrolmentStatus.APPLICANT)
    rows = good_rows(walkers, staff)
    rows[1][4] = time(23, 0)  # disagrees with the walk's first row
    rows[2][6], rows[2][7] = 5, 9  # talked with more than met
    rows.append([FRIDAY, "Ryd", "Ryd", time(19, 0), time(22, 0), "hanna", 40, 12, "godkänd",
                 outsider.personnummer, "närvarande"])
    rows.append([date(2026, 12, 4), "Ryd", "Ryd", time(19, 0), time(22, 0), "nobody", 1, 1,
                 "genomförd", walkers["noa"].personnummer, "närvarande"])
    result = run("nattvandringar", rows)
    assert sorted((e.row, e.column) for e in result.errors) == [
        (3, "Slut"), (4, "Samtal"), (5, "Personnummer"), (6, "Ansvarig")]
    assert "ingen aktiv inskrivning" in next(e.reason for e in result.errors if e.row == 5)
    assert db.scalar(select(func.count(Walk.id))) == 0
    assert db.scalar(select(func.count(Participation.id))) == 0


def test_walk_in_the_future_cannot_be_imported_as_completed(run, walkers, staff):
    rows = good_rows(walkers, staff)[2:]
    rows[0][0] = date(2026, 12, 4)
    result = run("nattvandringar", rows)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Datum")]
    assert "inte börjat" in result.errors[0].reason


def test_overlap_with_a_walk_earlier_in_the_same_file_is_refused(db, run, walkers, staff):
    elsa = walkers["elsa"].personnummer
    rows = [
        [FRIDAY, "Ryd", "Ryd", time(19, 0), time(22, 0), "hanna", 10, 2, "genomförd", elsa,
         "närvarande"],
        [FRIDAY, "Ryd", "Lambohov", time(21, 0), time(23, 30), "hanna", 10, 2, "genomförd",
         elsa, "närvarande"],
    ]
    result = run("nattvandringar", rows)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Personnummer")]
    assert "överlappar" in result.errors[0].reason
    assert db.scalar(select(func.count(Walk.id))) == 0


def test_importing_the_same_file_twice_duplicates_nothing(db, run, walkers, staff):
    assert run("nattvandringar", good_rows(walkers, staff)).ok
    second = run("nattvandringar", good_rows(walkers, staff))
    assert second.ok, second.errors
    assert (second.new_rows, second.existing_rows) == (0, 3)
    assert db.scalar(select(func.count(Walk.id))) == 2
    assert db.scalar(select(func.count(Participation.id))) == 3


def test_a_walk_in_polare_with_other_counts_is_not_changed(db, run, walkers, staff):
    assert run("nattvandringar", good_rows(walkers, staff)).ok
    rows = good_rows(walkers, staff)
    rows[2][6] = 26
    result = run("nattvandringar", rows)
    assert [(e.row, e.column) for e in result.errors] == [(4, "Träffade")]
    assert _walks(db)[0].youths_met == 25


def test_semicolon_csv_with_bom_from_swedish_excel_is_imported(db, run, walkers, staff):
    result = run("nattvandringar", good_rows(walkers, staff), filename="vandringar.csv")
    assert result.ok, result.errors
    assert len(_walks(db)) == 2


def test_coordinator_cannot_import_walks_into_another_team(db, run, walkers, staff,
                                                           make_user):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    result = run("nattvandringar", good_rows(walkers, staff), as_=berga)
    assert {(e.row, e.column) for e in result.errors} == {(2, "Team"), (3, "Team"),
                                                          (4, "Team")}
    assert db.scalar(select(func.count(Walk.id))) == 0


def test_another_teams_polare_is_unknown_to_the_walk_import(run, walkers, staff, make_person,
                                                            make_enrolment):
    berit = make_person(first_name="Berit", last_name="Bergström")
    make_enrolment(berit, "Berga")
    rows = good_rows(walkers, staff)[:1]
    rows[0][9] = berit.personnummer
    result = run("nattvandringar", rows)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Personnummer")]
    assert result.errors[0].reason.startswith("Okänd polare")
    assert "Bergström" not in result.errors[0].reason


def test_another_teams_staff_is_unknown_to_the_walk_import(run, walkers, staff, make_user):
    make_user(Role.SUPERVISOR, teams=("Berga",), username="bodil", full_name="Bodil Bergman")
    rows = good_rows(walkers, staff)[:1]
    rows[0][5] = "bodil"
    result = run("nattvandringar", rows)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Ansvarig")]
    assert result.errors[0].reason == "Det finns ingen användare 'bodil'"
