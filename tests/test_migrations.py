"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
import sqlite3
import uuid
from datetime import date
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, select, text

from polare.admin.cli import seed_all
from polare.admin.demo import load_demo
from polare.audit.models import AuditEntry, AuditEntryPerson
from polare.extensions import db
from polare.org.models import SchoolYear, Team
from polare.pay.models import PayPeriod
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from tests.conftest import TODAY, make_test_app
from tests.privacy import factories


def _upgrade_and_compare(url: str, tmp_path) -> list:
    app = make_test_app(url, str(tmp_path))
    with app.app_context():
        upgrade(directory=os.path.join(app.root_path, "..", "migrations"))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    return diff


def test_upgrade_from_empty_sqlite_matches_the_models(tmp_path):
    assert _upgrade_and_compare(f"sqlite:///{tmp_path / 'migrated.sqlite3'}", tmp_path) == []


def test_upgrade_from_empty_postgresql_matches_the_models(postgres_only, tmp_path):
    name = f"polare_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_only, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(postgres_only).set(database=name).render_as_string(hide_password=False)
        assert _upgrade_and_compare(url, tmp_path) == []
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("table", ["pay_lines", "enrolments", "walks", "audit_entries"])
def test_core_tables_exist_after_upgrade(tmp_path, table):
    url = f"sqlite:///{tmp_path / 'tables.sqlite3'}"
    app = make_test_app(url, str(tmp_path))
    with app.app_context():
        upgrade(directory=os.path.join(app.root_path, "..", "migrations"))
        with db.engine.connect() as connection:
            found = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type='table' AND name=:t"),
                {"t": table},
            ).scalar()
        db.engine.dispose()
    assert found == table


def test_upgrade_links_existing_audit_entries_to_the_person_they_are_filed_under(tmp_path):
    url = f"sqlite:///{tmp_path / 'linked.sqlite3'}"
    app = make_test_app(url, str(tmp_path))
    directory = os.path.join(app.root_path, "..", "migrations")
    with app.app_context():
        upgrade(directory=directory, revision="c41d7e2a9b10")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO persons (id, birth_date, first_name, last_name, sort_key, phone, "
                "email, address, school, notes, prior_years, created_at) VALUES (7, "
                "'2008-03-14', 'Elsa', 'Ek', 'ek elsa', '', '', '', '', '', 0, "
                "'2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO audit_entries (id, at, username, action, entity, entity_id, note) "
                "VALUES (1, '2026-01-01 00:00:00', 'u', 'create', 'person', '7', '')"))
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            links = connection.execute(text(
                "SELECT entry_id, person_id FROM audit_entry_persons")).all()
        db.engine.dispose()
    assert [tuple(link) for link in links] == [(1, 7)]


#: The schema of the last release before the migrations that follow it were written.
RELEASED_REVISION = "c41d7e2a9b10"


def _copy_rows(source: sqlite3.Connection, target: sqlite3.Connection) -> dict[str, int]:
    """Copy the source's rows into the target's tables, in the target's columns; count them."""
    counts = {}
    tables = [name for (name,) in target.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'alembic_version'")]
    for table in tables:
        columns = target.execute(f'PRAGMA table_info("{table}")').fetchall()
        present = {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}
        names = [c[1] for c in columns if c[1] in present]
        # A column the newer schema dropped (e.g. a counter) gets a neutral value.
        filler = [c[1] for c in columns if c[1] not in present and c[3] and c[4] is None]
        if not names:  # a table the newer schema no longer has
            counts[table] = 0
            continue
        # Table and column names come from sqlite_master and table_info, not from input.
        selected = ", ".join(f'"{name}"' for name in names)
        rows = source.execute(f'SELECT {selected} FROM "{table}"').fetchall()  # noqa: S608
        inserted = ", ".join(f'"{name}"' for name in names + filler)
        marks = ", ".join("?" for _ in names + filler)
        target.executemany(f'INSERT INTO "{table}" ({inserted}) VALUES ({marks})',  # noqa: S608
                           [(*row, *(0 for _ in filler)) for row in rows])
        counts[table] = len(rows)
    target.commit()
    return counts


def test_upgrading_a_database_in_use_keeps_every_row(tmp_path):
    """Batch migrations on SQLite rebuild tables: with foreign keys on, a rebuild of a table
    others refer to would delete or blank their rows. Upgrading a filled database loses none."""
    migrations = os.path.join(os.path.dirname(__file__), "..", "migrations")
    filled, released = tmp_path / "filled.sqlite3", tmp_path / "released.sqlite3"
    app = make_test_app(f"sqlite:///{filled}", str(tmp_path))
    with app.app_context():
        upgrade(directory=migrations)
        seed_all()
        load_demo(db.session, TODAY)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    old_app = make_test_app(f"sqlite:///{released}", str(tmp_path))
    with old_app.app_context():
        upgrade(directory=migrations, revision=RELEASED_REVISION)
        db.engine.dispose()
    with sqlite3.connect(filled) as source, sqlite3.connect(released) as target:
        before = _copy_rows(source, target)
    assert before["participations"] > 0
    assert before["user_teams"] > 0
    with old_app.app_context():
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            after = {table: connection.execute(
                         text(f'SELECT count(*) FROM "{table}"')).scalar()  # noqa: S608
                     for table in before
                     if connection.execute(text("SELECT 1 FROM sqlite_master WHERE name=:t"),
                                           {"t": table}).scalar()}
        db.engine.dispose()
    assert after == {table: before[table] for table in after}


def test_upgrade_turns_sqlite_real_amounts_into_exact_ore(tmp_path):
    url = f"sqlite:///{tmp_path / 'money.sqlite3'}"
    app = make_test_app(url, str(tmp_path))
    migrations = os.path.join(app.root_path, "..", "migrations")
    with app.app_context():
        upgrade(directory=migrations, revision="c41d7e2a9b10")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO rate_versions (id, effective_from, label, note, created_at) "
                "VALUES (1, '2024-08-01', '', '', '2024-08-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO rate_rows (version_id, age_from, years_from, amount) "
                "VALUES (1, 15, 1, 262.5)"))
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            stored = connection.execute(
                text("SELECT typeof(amount), amount FROM rate_rows")).one()
        from polare.pay.models import RateRow

        with app.app_context():
            amount = db.session.scalar(select(RateRow.amount))
        db.engine.dispose()
    assert tuple(stored) == ("integer", 26250)
    assert amount == Decimal("262.50")


def test_upgrade_turns_sqlite_real_report_amounts_into_exact_hundredths(tmp_path):
    url = f"sqlite:///{tmp_path / 'reports.sqlite3'}"
    app = make_test_app(url, str(tmp_path))
    migrations = os.path.join(app.root_path, "..", "migrations")
    with app.app_context():
        upgrade(directory=migrations, revision="f3c9a6d2e4b1")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO school_years (id, label, starts_on, ends_on) "
                "VALUES (1, '2026/27', '2026-08-01', '2027-07-31')"))
            connection.execute(text(
                "INSERT INTO budgets (school_year_id, amount) VALUES (1, 120000.55)"))
            connection.execute(text(
                "INSERT INTO employer_contribution_rates (label, valid_from, age_from, "
                "rate_percent, is_example) VALUES ('Allmän', '2026-01-01', 0, 31.42, 0)"))
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            stored = connection.execute(text(
                "SELECT typeof(amount), amount, typeof(rate_percent), rate_percent "
                "FROM budgets, employer_contribution_rates")).one()
        from polare.reports.models import Budget, EmployerContributionRate

        amounts = (db.session.scalar(select(Budget.amount)),
                   db.session.scalar(select(EmployerContributionRate.rate_percent)))
        db.session.remove()
        db.engine.dispose()
    assert tuple(stored) == ("integer", 12000055, "integer", 3142)
    assert amounts == (Decimal("120000.55"), Decimal("31.42"))


def test_upgrade_gives_existing_pay_lines_the_bounds_of_the_band_their_label_names(tmp_path):
    database = tmp_path / "bands.sqlite3"
    app = make_test_app(f"sqlite:///{database}", str(tmp_path))
    migrations = os.path.join(app.root_path, "..", "migrations")
    labels = ["15–17 år, 1 år i verksamheten", "18+ år, 2–3 år i verksamheten", "",
              "15–17 år, år 1"]
    with app.app_context():
        upgrade(directory=migrations, revision="b8e4c1d2a7f6")
        db.engine.dispose()
    with sqlite3.connect(database) as connection:  # foreign keys off: lines alone will do
        connection.executemany(
            "INSERT INTO pay_lines (id, period_id, kind, participation_id, person_id, walk_id, "
            "walk_date, team_name, cost_centre, district_name, first_name, last_name, age, "
            "years, band_label, amount, reason, created_at) VALUES (?, 1, 'ordinary', ?, 1, 1, "
            "'2026-11-05', '', '', '', '', '', 17, 1, ?, 20000, '', '2026-12-01 00:00:00')",
            [(n, n, label) for n, label in enumerate(labels, 1)])
    with app.app_context():
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            bounds = connection.execute(text(
                "SELECT band_age_from, band_age_to, band_years_from, band_years_to "
                "FROM pay_lines ORDER BY id")).all()
        db.engine.dispose()
    assert [tuple(row) for row in bounds] == [(15, 17, 1, 1), (18, None, 2, 3),
                                              (None, None, None, None),
                                              (None, None, None, None)]


LEGACY_NAME = "Evert Evigaktivsson"


def _legacy(session, action: str, entity: str, entity_id, note: str = "",
            changes: dict | None = None) -> AuditEntry:
    """Add an audit entry as the code wrote it before persons were referred to by id."""
    entry = AuditEntry(username="u", action=action, entity=entity, entity_id=str(entity_id),
                       note=note, changes=changes)
    session.add(entry)
    session.flush()
    return entry


@pytest.fixture
def legacy_log(tmp_path):
    """A database at the revision before e6b2d9f4a1c8, holding entries that name no one."""
    app = make_test_app(f"sqlite:///{tmp_path / 'legacy.sqlite3'}", str(tmp_path),
                        POLARE_STRICT_AUDIT=False)
    migrations = os.path.join(app.root_path, "..", "migrations")
    with app.app_context():
        upgrade(directory=migrations, revision="f3c9a6d2e4b1")
        seed_all()
        session = db.session
        team = session.scalars(select(Team).where(Team.name == "Ryd")).one()
        year = session.scalars(select(SchoolYear).where(SchoolYear.starts_on <= TODAY,
                                                        SchoolYear.ends_on >= TODAY)).one()
        evert, alva = (Person(personnummer=None, birth_date=date(2008, 1, 1), first_name=first,
                              last_name=last, sort_key=last.lower())
                       for first, last in (LEGACY_NAME.split(), ("Alva", "Inbjudensson")))
        session.add_all([evert, alva])
        session.flush()
        session.add(Enrolment(person_id=evert.id, team_id=team.id, school_year_id=year.id,
                              status=EnrolmentStatus.ACTIVE, applied_on=year.starts_on))
        walk = factories.walk(session, team, date(2026, 10, 5), [evert])
        factories.pay_line(session, "2026-10", evert, walk)
        period = session.scalars(select(PayPeriod)).one()
        day = walk.walk_date.isoformat()
        entries = {
            "walk import": _legacy(
                session, "import", "walk", walk.id,
                f"Importerad från filen {LEGACY_NAME} närvaro.xlsx. Godkänd av importen, som "
                f"också bekräftade att {LEGACY_NAME} saknar obligatorisk utbildning."),
            "confirmation": _legacy(
                session, "confirm_training", "walk", walk.id,
                f"Godkänd trots saknad obligatorisk utbildning: {LEGACY_NAME}.",
                {f"missing_training[{evert.id}]": [None, "Ledarskapsutbildning"]}),
            "import": _legacy(session, "import", "import", "walks",
                              f"Import av {LEGACY_NAME} närvaro.xlsx.", {"rows": [None, 12]}),
            "invite": _legacy(session, "invite", "event", 1, "",
                              {"invited_person_ids": [None, [alva.id]]}),
            "roster download": _legacy(session, "export", "roster", f"{team.id}/{year.id}",
                                       "Polare Ryd 2026/27: 1 rader (polare-Ryd-2026-27.xlsx)"),
            "walk-log download": _legacy(
                session, "export", "walk_log", f"{day}/{day}",
                f"Nattvandringar Ryd: 1 rader (nattvandringar-Ryd-{day}-{day}.xlsx)"),
            "payroll download": _legacy(session, "export", "pay_period", "2026-10",
                                        "arvoden-2026-10.xlsx, 1 rader"),
            "close": _legacy(session, "close", "pay_period", period.id, "2026-10: 1 rader"),
        }
        ids = {what: entry.id for what, entry in entries.items()}
        persons = {"evert": evert.id, "alva": alva.id}
        session.commit()
        session.remove()
        yield app, migrations, ids, persons
        db.engine.dispose()


def test_upgrade_links_older_walk_invitation_export_and_payroll_entries_to_their_polare(
        legacy_log):
    app, migrations, ids, persons = legacy_log
    with app.app_context():
        upgrade(directory=migrations)
        links = db.session.execute(select(AuditEntryPerson.entry_id, AuditEntryPerson.person_id))
        referred = {entry_id: person_id for entry_id, person_id in links}
    assert {what: referred.get(entry_id) for what, entry_id in ids.items()} == {
        "walk import": persons["evert"], "confirmation": persons["evert"], "import": None,
        "invite": persons["alva"], "roster download": persons["evert"],
        "walk-log download": persons["evert"], "payroll download": persons["evert"],
        "close": persons["evert"],
    }


def test_upgrade_takes_names_and_uploaded_file_names_out_of_older_notes(legacy_log):
    app, migrations, ids, _persons = legacy_log
    with app.app_context():
        upgrade(directory=migrations)
        notes = dict(db.session.execute(select(AuditEntry.id, AuditEntry.note)).all())
    assert not [note for note in notes.values() if "Evert" in note]
    assert notes[ids["walk import"]] == (
        "Importerad från fil.xlsx. Godkänd av importen, som också bekräftade att 1 polare "
        "saknar obligatorisk utbildning.")
    assert notes[ids["confirmation"]] == (
        "Godkänd trots att 1 polare saknar obligatorisk utbildning.")
    assert notes[ids["import"]] == "Import av fil.xlsx (12 rader)."


def test_upgrade_gives_each_team_its_walks_awaiting_approval_from_the_built_cells(tmp_path):
    url = f"sqlite:///{tmp_path / 'awaiting.sqlite3'}"
    app = make_test_app(url, str(tmp_path))
    migrations = os.path.join(app.root_path, "..", "migrations")
    with app.app_context():
        upgrade(directory=migrations, revision="c4e8b2a9d317")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO teams (id, name, cost_centre, active) "
                                    "VALUES (1, 'Ryd', '', 1), (2, 'Berga', '', 1)"))
            connection.execute(text("INSERT INTO districts (id, team_id, name, is_home) "
                                    "VALUES (1, 1, 'Ryd centrum', 1), (2, 1, 'Malmslätt', 0)"))
            for district, month, awaiting in ((1, "2026-10", 2), (2, "2026-11", 1),
                                              (1, "2026-11", 0)):
                connection.execute(text(
                    "INSERT INTO follow_up_cells (team_id, district_id, month, walks, seconds, "
                    "polarpass, met, talked, planned, awaiting, stipends, contributions, "
                    "previewed, examples_used, unpriced) VALUES (1, :district, :month, 0, 0, 0, "
                    "0, 0, 0, :awaiting, 0, 0, 0, 0, '')"),
                    {"district": district, "month": month, "awaiting": awaiting})
            connection.execute(text("INSERT INTO follow_up_teams (team_id, version, built_for, "
                                    "open_period, open_stipends, preview_errors, active, "
                                    "missing_training) VALUES (1, 0, '', '', 0, '', 0, 0), "
                                    "(2, 0, '', '', 0, '', 0, 0)"))
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            awaiting = dict(connection.execute(text(
                "SELECT team_id, awaiting FROM follow_up_teams")).all())
        db.engine.dispose()
    assert awaiting == {1: 3, 2: 0}


def test_upgrade_to_country_month_rows_marks_every_team_for_a_rebuild(tmp_path):
    url = f"sqlite:///{tmp_path / 'months.sqlite3'}"
    app = make_test_app(url, str(tmp_path))
    migrations = os.path.join(app.root_path, "..", "migrations")
    with app.app_context():
        upgrade(directory=migrations, revision="b5d1e8f3a6c2")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO teams (id, name, cost_centre, active) "
                                    "VALUES (1, 'Ryd', '', 1)"))
            connection.execute(text(
                "INSERT INTO follow_up_teams (team_id, version, built_version, built_for, "
                "open_period, open_stipends, preview_errors, active, missing_training, "
                "awaiting) VALUES (1, 4, 4, '2026-11||2026-10', '', 0, '', 0, 0, 0)"))
        upgrade(directory=migrations)
        with db.engine.connect() as connection:
            built = connection.execute(text("SELECT built_version FROM follow_up_teams")).all()
        db.engine.dispose()
    assert built == [(None,)]
