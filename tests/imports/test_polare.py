"""Import kind `polare`: persons and enrolments by the roster's rules."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.extensions import limiter
from polare.org.services import ensure_team_year
from polare.privacy.lookups import count_personnummer_lookup
from polare.roster.models import Enrolment, EnrolmentStatus, Guardian, Person
from polare.roster.services import years_in_programme_on
from tests.conftest import TODAY, valid_personnummer
from tests.imports.conftest import comma_csv_file, excel_csv_file

ADULT = valid_personnummer(date(2007, 5, 2), 201)
MINOR = valid_personnummer(date(2010, 1, 10), 202)
APPLICANT = valid_personnummer(date(2009, 6, 6), 203)
WAITING = valid_personnummer(date(2008, 2, 29), 204)


def good_rows() -> list[list[object]]:
    """Return a list of five enrolments: four persons, one of them in two school years."""
    return [
        [ADULT, "Omar", "Berg", "070-123 45 67", "omar@example.se", "Ryd", "2025/26", "aktiv",
         date(2025, 9, 1), None, None, None, 1],
        [ADULT, "Omar", "Berg", "070-123 45 67", "omar@example.se", "Ryd", "2026/27", "aktiv",
         date(2026, 8, 20), None, None, None, 1],
        [MINOR, "Elsa", "Lind", None, None, "ryd", "2026/27", "Aktiv", date(2026, 8, 20),
         "Maria Lind", "070-111 22 33", date(2026, 8, 15), None],
        [APPLICANT, "Ali", "Hassan", None, None, "Ryd", "2026/27", "sökande", None,
         None, None, None, None],
        [WAITING, "Åsa", "Öberg", None, None, "Ryd", "2026/27", "väntelista", None,
         None, None, None, None],
    ]


def _count(db, model) -> int:
    return db.scalar(select(func.count(model.id)))


def _person(db, number: str) -> Person:
    return db.scalars(select(Person).where(Person.personnummer == number)).one()


def test_good_file_creates_persons_enrolments_guardian_and_consent(db, run, coordinator):
    result = run("polare", good_rows())
    assert result.ok, result.errors
    assert (result.new_rows, result.changed_rows, result.existing_rows) == (5, 0, 0)
    adult = _person(db, ADULT)
    assert adult.phone == "+46701234567"
    assert adult.prior_years == 1
    assert years_in_programme_on(db, adult, TODAY) == 3
    minor = _person(db, MINOR)
    enrolment = db.scalars(select(Enrolment).where(Enrolment.person_id == minor.id)).one()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.activated_on == date(2026, 8, 20)
    assert enrolment.consent_date == date(2026, 8, 15)
    assert enrolment.consent_registered_by_id == coordinator.id
    assert enrolment.consent_guardian.name == "Maria Lind"
    statuses = {e.person.first_name: e.status for e in db.scalars(select(Enrolment))
                if e.person.personnummer in (APPLICANT, WAITING)}
    assert statuses == {"Ali": EnrolmentStatus.APPLICANT, "Åsa": EnrolmentStatus.WAITLISTED}


def test_successful_import_is_audited_with_its_counts(db, run, coordinator):
    run("polare", good_rows(), filename="polare-2026.xlsx")
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert entry.user_id == coordinator.id
    assert entry.entity_id == "polare"
    assert entry.changes["rows"] == [None, 5]
    assert entry.note == "Import av fil.xlsx (5 rader)."  # the name the user gave is not kept


def test_file_with_several_bad_rows_imports_nothing_and_reports_every_row(db, run):
    persons_before, enrolments_before = _count(db, Person), _count(db, Enrolment)
    rows = good_rows()
    rows[0][0] = "20070502-2012"  # wrong check digit
    rows[2][11] = None  # minor without consent date, but with a guardian
    rows[3][5] = "Atlantis"
    rows[4][7] = "kanske"
    rows.append([valid_personnummer(date(2013, 1, 1), 205), "Liten", "Ung", None, None, "Ryd",
                 "2026/27", "aktiv", date(2026, 8, 20), "Mamma Ung", "070-222 33 44",
                 date(2026, 8, 1), None])
    result = run("polare", rows)
    assert not result.ok
    found = {(error.row, error.column) for error in result.sorted_errors()}
    assert found == {
        (2, "Personnummer"),
        (4, "Samtycke datum"),
        (5, "Team"),
        (6, "Status"),
        (7, "Startdatum"),
    }
    assert result.bad_rows == 5
    assert _count(db, Person) == persons_before
    assert _count(db, Enrolment) == enrolments_before
    reasons = {error.row: error.reason for error in result.sorted_errors()}
    assert "Kontrollsiffran" in reasons[2]
    assert "Samtycke" in reasons[4]
    assert "Atlantis" in reasons[5]
    assert "under 15" in reasons[7]


def test_row_numbers_are_the_spreadsheets_counting_the_header(run):
    rows = good_rows()
    rows[1][1] = ""
    result = run("polare", rows)
    assert [(e.row, e.column, e.reason) for e in result.sorted_errors()] == [
        (3, "Förnamn", "Värde saknas")]


def test_cap_counts_the_earlier_rows_of_the_same_file(db, run, teams, school_year):
    ensure_team_year(db, teams["Ryd"].id, school_year.id).cap = 2
    rows = [
        [valid_personnummer(date(2007, 1, 1), 210 + n), f"Namn{n}", "Vuxen", None, None, "Ryd",
         "2026/27", "aktiv", date(2026, 8, 20), None, None, None, None]
        for n in range(3)
    ]
    result = run("polare", rows)
    assert [(e.row, e.column) for e in result.sorted_errors()] == [(4, "Status")]
    assert "redan 2 aktiva" in result.errors[0].reason


def test_rows_of_one_person_must_agree_on_the_name(run):
    rows = good_rows()
    rows[1][2] = "Bergström"
    result = run("polare", rows)
    assert [(e.row, e.column) for e in result.sorted_errors()] == [(3, "Efternamn")]
    assert "rad 2" in result.errors[0].reason


def test_existing_person_with_another_name_is_refused(db, run, make_person, make_enrolment):
    karin = make_person(personnummer=ADULT, birth_date=date(2007, 5, 2), first_name="Karin",
                        last_name="Ek")
    make_enrolment(karin, "Ryd", status=EnrolmentStatus.APPLICANT)
    result = run("polare", good_rows()[:1])
    assert {(e.row, e.column) for e in result.errors} == {(2, "Förnamn"), (2, "Efternamn")}
    assert "Karin Ek" in result.errors[0].reason


def test_another_teams_person_with_another_name_is_refused_without_their_name(
    db, run, make_person, make_enrolment
):
    karin = make_person(personnummer=ADULT, birth_date=date(2007, 5, 2), first_name="Karin",
                        last_name="Ek")
    make_enrolment(karin, "Berga", status=EnrolmentStatus.APPLICANT)
    result = run("polare", good_rows()[:1])
    assert {(e.row, e.column) for e in result.errors} == {(2, "Förnamn"), (2, "Efternamn")}
    assert all("Karin" not in e.reason and "Ek" not in e.reason.split()
               for e in result.errors)
    assert "redan registrerat" in result.errors[0].reason


def test_a_match_on_another_teams_person_is_audited(db, run, make_person, make_enrolment):
    omar = make_person(personnummer=ADULT, birth_date=date(2007, 5, 2), first_name="Omar",
                       last_name="Berg")
    make_enrolment(omar, "Berga", status=EnrolmentStatus.APPLICANT)
    assert not run("polare", good_rows()[:1]).errors
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "lookup", AuditEntry.entity_id == str(omar.id))) == 1


@pytest.fixture
def one_lookup_an_hour(app):
    """Limit personnummer lookups to one an hour for the test."""
    app.config["PNR_LOOKUP_LIMIT"] = "1 per hour"
    limiter.reset()
    yield
    app.config["PNR_LOOKUP_LIMIT"] = "10000 per minute"
    limiter.reset()


def _berga_person(make_person, make_enrolment, row: list[object]) -> Person:
    """Register the row's person (same number and name) in Berga only."""
    number, first, last = row[0], row[1], row[2]
    person = make_person(personnummer=number, birth_date=date(int(number[:4]),
                         int(number[4:6]), int(number[6:8])), first_name=first, last_name=last)
    make_enrolment(person, "Berga", status=EnrolmentStatus.APPLICANT)
    return person


def test_matches_on_another_teams_persons_count_as_lookups(run, make_person, make_enrolment,
                                                           one_lookup_an_hour):
    rows = good_rows()
    _berga_person(make_person, make_enrolment, rows[3])
    _berga_person(make_person, make_enrolment, rows[4])
    result = run("polare", rows)
    assert {(e.row, e.column) for e in result.errors} == {(6, "Personnummer")}
    assert "för många sökningar på personnummer" in result.errors[0].reason


def test_once_lookups_are_used_up_every_row_is_refused_alike(run, coordinator,
                                                             one_lookup_an_hour):
    count_personnummer_lookup(coordinator)
    result = run("polare", good_rows())
    assert {e.row for e in result.errors} == {2, 3, 4, 5, 6}
    assert all("för många sökningar" in e.reason for e in result.errors)


def test_an_admins_import_counts_no_lookups(run, make_user, make_person, make_enrolment,
                                            one_lookup_an_hour):
    admin = make_user(Role.ADMIN)
    count_personnummer_lookup(admin)
    rows = good_rows()
    _berga_person(make_person, make_enrolment, rows[3])
    _berga_person(make_person, make_enrolment, rows[4])
    assert run("polare", rows, as_=admin).ok


def test_existing_person_is_enrolled_without_a_second_record(db, run, make_person):
    make_person(personnummer=ADULT, birth_date=date(2007, 5, 2), first_name="Omar",
                last_name="Berg")
    result = run("polare", good_rows()[:2])
    assert result.ok, result.errors
    assert db.scalar(select(func.count(Person.id)).where(Person.personnummer == ADULT)) == 1
    assert result.created["person"] == 0
    assert result.created["person_update"] == 1  # phone, e-mail and prior years from the file


def test_importing_the_same_file_twice_duplicates_nothing(db, run):
    assert run("polare", good_rows()).ok
    counts = (_count(db, Person), _count(db, Enrolment), _count(db, Guardian))
    second = run("polare", good_rows())
    assert second.ok, second.errors
    assert (second.new_rows, second.changed_rows, second.existing_rows) == (0, 0, 5)
    assert "5 fanns redan" in second.summary()
    assert (_count(db, Person), _count(db, Enrolment), _count(db, Guardian)) == counts


def test_second_import_may_move_an_applicant_on(db, run):
    assert run("polare", good_rows()).ok
    rows = good_rows()
    rows[3][7:12] = ["aktiv", date(2026, 11, 1), "Sara Hassan", "0702223344",
                     date(2026, 10, 30)]
    result = run("polare", rows)
    assert result.ok, result.errors
    assert result.changed_rows == 1
    assert _person(db, APPLICANT).enrolments[0].status == EnrolmentStatus.ACTIVE


def test_semicolon_csv_with_bom_from_swedish_excel_is_imported(db, run):
    result = run("polare", good_rows(), filename="polare.csv")
    assert result.ok, result.errors
    assert _person(db, WAITING).last_name == "Öberg"


def test_comma_csv_without_bom_is_imported(db, coordinator):
    from polare.imports.runner import run_import
    from tests.imports.conftest import NOW

    result = run_import(db, coordinator, "polare", "polare.csv",
                        comma_csv_file("polare", good_rows()), today=TODAY, now=NOW)
    assert result.ok, result.errors
    assert excel_csv_file("polare", good_rows()).startswith("\ufeff".encode())


def test_coordinator_cannot_import_into_another_team(db, run, make_user):
    from polare.auth.models import Role

    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    result = run("polare", good_rows(), as_=berga)
    assert {e.column for e in result.errors} == {"Team"}
    assert result.bad_rows == 5
    assert db.scalar(select(func.count(Person.id)).where(Person.personnummer == ADULT)) == 0
