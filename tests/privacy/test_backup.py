"""Backups: a consistent SQLite copy while writes go on, restored with every row; pg_dump."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import stat
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, insert, inspect, make_url, select, text
from sqlalchemy.engine import Engine

from polare.audit.models import AuditEntry
from polare.database import configure_engine
from polare.extensions import db as flask_db
from polare.privacy.backup import (
    BackupError,
    backup_sqlite,
    pg_dump_command,
    pg_restore_command,
)
from tests.conftest import make_test_app, skip_or_fail

#: Rows written before the backup starts.
SEEDED_ROWS = 300


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    configure_engine(engine)
    return engine


def _rows(engine: Engine) -> dict[int, tuple]:
    with engine.connect() as conn:
        return {row[0]: tuple(row) for row in conn.execute(
            select(AuditEntry.id, AuditEntry.action, AuditEntry.entity, AuditEntry.note))}


class Writer(threading.Thread):
    """Insert one committed row after another until told to stop."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(daemon=True)
        self.engine, self.stop, self.committed = engine, threading.Event(), 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with self.engine.begin() as conn:
                    conn.execute(insert(AuditEntry), [
                        {"action": "write", "entity": "test", "note": f"row {self.committed}-{i}"}
                        for i in range(5)])
                self.committed += 5
        except BaseException as error:  # reported by the test
            self.error = error


@pytest.fixture
def live_database(tmp_path: Path):
    """An SQLite database with the app's schema and committed rows; disposed afterwards."""
    path = tmp_path / "live.sqlite3"
    engine = _sqlite_engine(path)
    flask_db.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(AuditEntry), [{"action": "seed", "entity": "test", "note": f"{i}"}
                                          for i in range(SEEDED_ROWS)])
    yield path, engine
    engine.dispose()


def test_backup_while_another_connection_writes_restores_every_row(tmp_path, live_database):
    source, engine = live_database
    writer = Writer(engine)
    writer.start()
    while writer.committed < 50 and writer.error is None:
        threading.Event().wait(0.01)
    committed_before = SEEDED_ROWS + writer.committed
    target = tmp_path / "backup.sqlite3"
    try:
        info = backup_sqlite(source, target)
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None
    assert writer.committed > 50  # the writer kept going while the copy was made

    restored = tmp_path / "restored" / "polare.sqlite3"
    restored.parent.mkdir()
    shutil.copy(info.path, restored)
    restored_engine = _sqlite_engine(restored)
    try:
        copied, live = _rows(restored_engine), _rows(engine)
    finally:
        restored_engine.dispose()
    assert len(copied) >= committed_before
    assert sorted(copied) == list(range(1, len(copied) + 1))  # one moment: no gaps
    assert all(live[row_id] == row for row_id, row in copied.items())


def test_backup_is_one_self_contained_file_readable_by_the_owner_only(tmp_path, live_database):
    source, _engine = live_database
    info = backup_sqlite(source, tmp_path / "copy.sqlite3")
    assert stat.S_IMODE(os.stat(info.path).st_mode) == 0o600
    assert not (tmp_path / "copy.sqlite3-wal").exists()
    assert info.tables == len(flask_db.metadata.tables)


def test_backup_is_never_readable_by_others_while_it_is_written(tmp_path, live_database,
                                                                 monkeypatch):
    source, _engine = live_database
    modes = []
    real_connect = sqlite3.connect

    def connect_and_note_the_mode(database, *args, **kwargs):
        connection = real_connect(database, *args, **kwargs)
        if Path(database).name.endswith(".part"):
            modes.append(stat.S_IMODE(os.stat(database).st_mode))
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect_and_note_the_mode)
    previous = os.umask(0o022)
    try:
        backup_sqlite(source, tmp_path / "copy.sqlite3")
    finally:
        os.umask(previous)
    assert modes == [0o600]


def test_backup_refuses_to_overwrite_a_file(tmp_path, live_database):
    source, _engine = live_database
    target = tmp_path / "taken.sqlite3"
    target.write_text("old backup")
    with pytest.raises(BackupError, match="finns redan"):
        backup_sqlite(source, target)
    assert target.read_text() == "old backup"


def test_backup_command_copies_the_sqlite_database_of_the_app(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'app.sqlite3'}", str(tmp_path))
    with app.app_context():
        flask_db.create_all()
        try:
            result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "out.sqlite3")])
        finally:
            flask_db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert "Säkerhetskopia klar" in result.output
    check = _sqlite_engine(tmp_path / "out.sqlite3")
    try:
        assert set(inspect(check).get_table_names()) >= {"persons", "pay_lines", "audit_entries"}
    finally:
        check.dispose()


def test_pg_dump_command_names_the_database_but_not_the_password():
    url = make_url("postgresql+psycopg://polare:hemligt@db.example:5432/polare")
    command = pg_dump_command(url, "/backups/polare 2026-11-25.dump")
    assert command == ("pg_dump --format=custom --no-owner --no-privileges "
                       "--file='/backups/polare 2026-11-25.dump' "
                       "postgresql://polare@db.example:5432/polare")
    assert "hemligt" not in pg_restore_command(url, "x.dump")


def test_backup_command_on_postgresql_prints_pg_dump_and_fails(app, postgres_only, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "polare.dump")])
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.output
    password = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).password
    assert not password or password not in result.output


def _table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for table in flask_db.metadata.sorted_tables}
    finally:
        engine.dispose()


def _run(command: str, url: str) -> None:
    env = {**os.environ}
    password = make_url(url).password
    if password:
        env["PGPASSWORD"] = password
    subprocess.run(shlex.split(command), check=True, env=env, capture_output=True)  # noqa: S603


def test_pg_dump_and_pg_restore_as_documented_bring_back_every_row(app, postgres_only,
                                                                   tmp_path):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        skip_or_fail("needs pg_dump and pg_restore on PATH", "POLARE_REQUIRE_POSTGRES")
    source_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    restored_name = f"polare_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_only, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{restored_name}"'))
    restored_url = source_url.set(database=restored_name)
    try:
        dump = str(tmp_path / "polare.dump")
        _run(pg_dump_command(source_url, dump), postgres_only)
        _run(pg_restore_command(restored_url, dump), postgres_only)
        source = _table_counts(source_url.render_as_string(hide_password=False))
        restored = _table_counts(restored_url.render_as_string(hide_password=False))
        assert restored == source
        assert source["districts"] > 0
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)'))
        admin.dispose()
