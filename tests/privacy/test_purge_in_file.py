"""A purge leaves nothing in the database file: searched byte by byte, as a data-protection
officer would, on an SQLite build whose default is to leave deleted data in place."""

from __future__ import annotations

import io
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, select

from polare.audit.services import record
from polare.auth.models import Role, User
from polare.extensions import db as flask_db
from polare.org.models import SchoolYear, Settings, Team
from polare.org.seed import seed_reference_data
from polare.pay.models import PayLine
from polare.pay.services import export_workbook
from polare.privacy.redaction import personnummer_forms
from polare.roster.download import roster_download
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.roster.services import GuardianInput, PersonInput, add_guardian, create_person
from polare.walks.download import walk_log_download
from polare.walks.models import WalkStatus
from polare.walks.workflow import approve_walk
from tests.conftest import TODAY, make_test_app, seed_all_fixed, valid_personnummer
from tests.privacy import factories
from tests.privacy.conftest import DECISION_REF
from tests.privacy.test_retention import statistics


@dataclass
class Polare:
    """A test person and every string that identifies them."""

    person_id: int
    names: set[str]
    numbers: set[str]
    contact: set[str]
    #: Pay lines inside the 7-year keep: name and personnummer may stay on them.
    pay_lines_kept: bool = False
    found: list[str] = field(default_factory=list)


def _disable_secure_delete_by_default(dbapi_connection, connection_record) -> None:
    """Act as an SQLite build without SQLITE_SECURE_DELETE (the default is OFF)."""
    dbapi_connection.execute("PRAGMA secure_delete = OFF")


class World:
    """Ten persons the purge must remove, two it must keep, and what was done with them."""

    def __init__(self, session) -> None:
        self.session = session
        self.teams = {team.name: team for team in session.scalars(select(Team))}
        self.serial = 200
        self.purged: list[Polare] = []
        self.kept: list[Polare] = []
        self.admin = self._user("dso-admin", Role.ADMIN)
        self.payroll = self._user("dso-lon", Role.PAYROLL)

    def _user(self, username: str, role: Role) -> User:
        user = User(username=username, full_name=username, password_hash="x", role=role)
        self.session.add(user)
        self.session.flush()
        record(self.session, None, "create", "user", user.id)
        return user

    def year(self, start: int) -> SchoolYear:
        return factories.school_year(self.session, start)

    def person(self, first: str, last: str, birth: date, *, due: bool = True,
               created: datetime | None = None, **contact: str) -> Person:
        """Register a person through the roster service (audited like the page does)."""
        self.serial += 1
        number = valid_personnummer(birth, self.serial)
        person = create_person(self.session, None, PersonInput(
            personnummer=number, first_name=first, last_name=last,
            phone=contact.get("phone", ""), email=contact.get("email", ""),
            address=contact.get("address", ""), school=contact.get("school", ""),
            notes=contact.get("notes", "")), today=TODAY)
        if created is not None:
            person.created_at = created
        strings = {person.phone, person.email, person.address, person.school, person.notes}
        polare = Polare(person.id, {first, last, person.sort_key}, set(personnummer_forms(number)),
                        {s for s in strings if s})
        (self.purged if due else self.kept).append(polare)
        return person

    def guardian(self, person: Person, name: str, phone: str, email: str) -> None:
        add_guardian(self.session, None, person,
                     GuardianInput(name=name, phone=phone, email=email, relation="mamma"))
        entry = next(p for p in self.purged if p.person_id == person.id)
        entry.contact |= {name, name.split()[0], email}  # the surname is also the polare's
        entry.contact |= {g.phone for g in person.guardians}

    def enrol(self, person: Person, year: SchoolYear, status: EnrolmentStatus, *,
              ended_on: date | None = None, end_reason: str = "", team: str = "Ryd") -> None:
        activated = year.starts_on if status in (EnrolmentStatus.ACTIVE,
                                                 EnrolmentStatus.ENDED) else None
        enrolment = Enrolment(person_id=person.id, team_id=self.teams[team].id,
                              school_year_id=year.id, status=status, applied_on=year.starts_on,
                              activated_on=activated, ended_on=ended_on, end_reason=end_reason)
        self.session.add(enrolment)
        self.session.flush()
        record(self.session, None, "create", "enrolment", enrolment.id,
               changes={"status": [None, status.value], "end_reason": [None, end_reason]},
               persons=[person.id])
        if end_reason:
            next(p for p in self.purged if p.person_id == person.id).contact.add(end_reason)

    def approved_walk(self, day: date, persons: list[Person]):
        """A completed walk approved despite missing training (the confirmation is logged)."""
        walk = factories.walk(self.session, self.teams["Ryd"], day, persons,
                              status=WalkStatus.COMPLETED)
        return approve_walk(self.session, None, walk.id, version=walk.version,
                            confirm_training=True)

    def pay(self, month: str, person: Person, walk) -> None:
        factories.pay_line(self.session, month, person, walk)


def _build(session) -> World:
    """Build the ten persons of the data-protection audit and what touched them."""
    world = World(session)
    y17, y18, y19, y21, y22, y23, y24 = (world.year(y) for y in (2017, 2018, 2019, 2021, 2022,
                                                                  2023, 2024))
    ottilia = world.person("Ottilia", "Gammelgaard", date(2001, 2, 3), phone="0705551001",
                           email="ottilia.gammelgaard@example.se")
    world.guardian(ottilia, "Ragnhild Gammelgaard", "0705551101", "ragnhild@example.se")
    world.enrol(ottilia, y17, EnrolmentStatus.ENDED, ended_on=date(2018, 6, 15))
    world.pay("2018-05", ottilia, world.approved_walk(date(2018, 5, 20), [ottilia]))

    leopold = world.person("Leopold", "Nittonhjelm", date(2002, 4, 5), phone="0705551002",
                           email="leopold.n@example.se")
    world.enrol(leopold, y18, EnrolmentStatus.ENDED, ended_on=date(2019, 5, 31))
    world.pay("2019-05", leopold, world.approved_walk(date(2019, 5, 10), [leopold]))
    world.purged[-1].pay_lines_kept = True  # last paid 2019: kept through 2026-12-31

    eleonora = world.person("Eleonora", "Slutstromsdotter", date(2006, 3, 14),
                            phone="0705551003", email="eleonora.s@example.se",
                            address="Rydsvagen 17", school="Katedralskolan Lkpg",
                            notes="Allergisk mot jordnotter")
    world.guardian(eleonora, "Marianne Slutstromsdotter", "0705551103", "marianne@example.se")
    world.enrol(eleonora, y24, EnrolmentStatus.ENDED, ended_on=date(2024, 10, 31),
                end_reason="Flyttade till Kiruna")
    walk_2024 = world.approved_walk(date(2024, 9, 10), [eleonora])
    world.pay("2024-09", eleonora, walk_2024)
    world.purged[-1].pay_lines_kept = True
    training = factories.event(session, world.teams["Ryd"], date(2024, 9, 20), [eleonora])
    training.notes = "Eleonora Slutstromsdotter behöver skjuts hem, ring 0705551103."

    dagobert = world.person("Dagobert", "Avbojdsson", date(2006, 11, 12), phone="0705551004")
    world.enrol(dagobert, y22, EnrolmentStatus.DECLINED, team="Berga")
    world.enrol(dagobert, y23, EnrolmentStatus.DECLINED)

    serafina = world.person("Serafina", "Sokandesson", date(2006, 1, 20), phone="0705551005")
    world.enrol(serafina, y23, EnrolmentStatus.APPLICANT)  # never handled

    evert = world.person("Evert", "Evigaktivsson", date(2004, 6, 1), phone="0705551006")
    world.enrol(evert, y21, EnrolmentStatus.ACTIVE)  # never ended

    vendela = world.person("Vendela", "Vantelistsson", date(2005, 8, 8), phone="0705551007")
    world.enrol(vendela, y22, EnrolmentStatus.WAITLISTED)

    world.person("Nikodemus", "Utaninskrivning", date(2005, 1, 2), phone="0705551008",
                 created=datetime(2023, 1, 10, 9, 0))

    roland = world.person("Roland", "Exportfeldt", date(2004, 9, 9), phone="0705551009",
                          email="roland.e@example.se")
    world.enrol(roland, y22, EnrolmentStatus.ENDED, ended_on=date(2023, 6, 10))
    world.approved_walk(date(2023, 5, 5), [roland]).note = (
        "Roland Exportfeldt tappade reflexvästen vid torget.")
    download = roster_download(session, world.admin, world.teams["Ryd"], y22, today=TODAY)
    record(session, world.admin, "export", "roster", "ryd/2022", note=download.filename,
           persons=download.person_ids)
    walks = walk_log_download(session, world.admin, date(2023, 5, 1), date(2023, 5, 31), None)
    record(session, world.admin, "export", "walk_log", "2023-05", note=walks.filename,
           persons=walks.person_ids)

    ingrid = world.person("Ingegerd", "Nittiotalsson", date(2003, 7, 7), phone="0705551010",
                          email="ingegerd@example.se")
    world.enrol(ingrid, y19, EnrolmentStatus.ENDED, ended_on=date(2020, 3, 1))
    world.pay("2019-11", ingrid, world.approved_walk(date(2019, 11, 8), [ingrid]))
    world.purged[-1].pay_lines_kept = True
    export_workbook(session, world.payroll, "2019-11", io.BytesIO())

    current = session.scalars(select(SchoolYear).where(SchoolYear.label == "2026/27")).one()
    alvina = world.person("Alvina", "Kvarstannarsson", date(2007, 5, 5), due=False,
                          phone="0705552001")
    world.enrol(alvina, current, EnrolmentStatus.ACTIVE)
    bodil = world.person("Bodil", "Granslinjesson", date(2007, 6, 6), due=False,
                         phone="0705552002")
    world.enrol(bodil, y24, EnrolmentStatus.ENDED, ended_on=date(2024, 11, 25))

    settings = session.get(Settings, 1)
    settings.deletion_decision_ref = DECISION_REF
    record(session, None, "update", "settings", 1)
    return world


@pytest.fixture
def file_app(tmp_path: Path, clock):
    """An app on its own SQLite file, with data committed as production would have it."""

    def make(*, build_default_off_first: bool = True):
        url = f"sqlite:///{tmp_path / 'polare.sqlite3'}"
        application = make_test_app(url, str(tmp_path / "instance"),
                                    POLARE_CHECKPOINT_WAIT_MS=5000)
        with application.app_context():
            # insert=True: runs before Polare's own pragmas, as a build default would apply.
            event.listen(flask_db.engine, "connect", _disable_secure_delete_by_default,
                         insert=build_default_off_first)
            flask_db.create_all()
            seed_reference_data(flask_db.session, TODAY)
            seed_all_fixed()
            flask_db.session.commit()
            world = _build(flask_db.session)
            flask_db.session.commit()
            flask_db.session.remove()
        clock.local(TODAY)
        return application, world, tmp_path / "polare.sqlite3"

    return make


def _close_years_and_purge(application) -> None:
    runner = application.test_cli_runner()
    closed = runner.invoke(args=["roster", "close-years"])
    assert closed.exit_code == 0, closed.output
    purged = runner.invoke(args=["gdpr", "purge"])
    assert purged.exit_code == 0, purged.output
    assert "Varning" not in purged.output


def _file_bytes(database: Path) -> bytes:
    """Return the database file, its WAL and shared memory, lower-cased, as one byte string."""
    data = b""
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{database}{suffix}")
        if path.exists():
            data += path.read_bytes()
    return data.lower()


def _leftovers(world: World, data: bytes) -> dict[str, list[str]]:
    found = {}
    for polare in world.purged:
        needles = set(polare.contact)
        if not polare.pay_lines_kept:
            needles |= polare.names | polare.numbers
        hits = sorted(n for n in needles if n and n.lower().encode() in data)
        if hits:
            found[str(polare.person_id)] = hits
    return found


def test_purge_leaves_no_name_number_phone_or_email_of_the_purged_in_the_file(file_app):
    application, world, database = file_app()
    _close_years_and_purge(application)
    data = _file_bytes(database)
    assert _leftovers(world, data) == {}
    assert b"kvarstannarsson" in data  # the active polare is kept, so the search can find


def test_purge_purges_the_ten_persons_and_keeps_the_others(file_app):
    application, world, _database = file_app()
    _close_years_and_purge(application)
    with application.app_context():
        anonymised = set(flask_db.session.scalars(
            select(Person.id).where(Person.anonymised_at.is_not(None))))
    assert anonymised == {p.person_id for p in world.purged}
    assert len(anonymised) == 10


def test_pay_lines_inside_the_seven_year_keep_still_carry_name_and_number(file_app):
    application, world, database = file_app()
    _close_years_and_purge(application)
    kept = {p.person_id for p in world.purged if p.pay_lines_kept}
    with application.app_context():
        lines = flask_db.session.scalars(select(PayLine).where(PayLine.person_id.in_(kept))).all()
        numbers = {line.personnummer for line in lines}
    assert len(lines) == 3
    assert None not in numbers
    data = _file_bytes(database)
    assert all(number.encode() in data for number in numbers)


def test_after_a_purge_the_wal_is_empty(file_app):
    application, _world, database = file_app()
    _close_years_and_purge(application)
    wal = Path(f"{database}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_without_polares_secure_delete_pragma_the_file_would_keep_purged_names(file_app):
    """The control: the search finds what a build without secure delete leaves behind."""
    application, world, database = file_app(build_default_off_first=False)
    _close_years_and_purge(application)
    assert _leftovers(world, _file_bytes(database)) != {}


def test_figures_and_payroll_totals_are_unchanged_by_the_purge(file_app):
    application, _world, _database = file_app()
    runner = application.test_cli_runner()
    assert runner.invoke(args=["roster", "close-years"]).exit_code == 0
    with application.app_context():
        before = statistics(flask_db.session)
        flask_db.session.remove()
    assert runner.invoke(args=["gdpr", "purge"]).exit_code == 0
    with application.app_context():
        assert statistics(flask_db.session) == before


def test_database_files_are_readable_by_their_owner_only(file_app):
    _application, _world, database = file_app()
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{database}{suffix}")
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
