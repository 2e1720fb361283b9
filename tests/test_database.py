"""The database files: deleted data overwritten, files readable by their owner only."""

from __future__ import annotations

import stat
from datetime import datetime

from sqlalchemy import create_engine, text

from polare.config import load_config
from polare.database import configure_engine, overwrite_deleted_data
from polare.privacy import retention


def _sqlite_engine(path):
    engine = create_engine(f"sqlite:///{path}")
    configure_engine(engine)
    return engine


def test_every_sqlite_connection_overwrites_deleted_content(tmp_path):
    engine = _sqlite_engine(tmp_path / "polare.sqlite3")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()


def test_sqlite_database_and_its_wal_are_created_readable_by_the_owner_only(tmp_path):
    database = tmp_path / "polare.sqlite3"
    engine = _sqlite_engine(database)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x TEXT)"))
        connection.execute(text("INSERT INTO t VALUES ('x')"))
        for suffix in ("", "-wal", "-shm"):
            mode = stat.S_IMODE((tmp_path / f"polare.sqlite3{suffix}").stat().st_mode)
            assert mode == 0o600, suffix
    engine.dispose()


def test_an_older_world_readable_database_is_narrowed_to_its_owner(tmp_path):
    database = tmp_path / "polare.sqlite3"
    database.touch(mode=0o644)
    database.chmod(0o644)
    engine = _sqlite_engine(database)
    with engine.connect():
        pass
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    engine.dispose()


def test_checkpoint_after_a_purge_empties_the_wal(tmp_path):
    database = tmp_path / "polare.sqlite3"
    engine = _sqlite_engine(database)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x TEXT)"))
        connection.execute(text("INSERT INTO t VALUES ('Greta Gammal')"))
        connection.execute(text("DELETE FROM t"))
    assert (tmp_path / "polare.sqlite3-wal").stat().st_size > 0
    result = overwrite_deleted_data(engine, ["t"], wait_ms=1000)
    assert result.complete
    assert (tmp_path / "polare.sqlite3-wal").stat().st_size == 0
    assert b"Greta Gammal" not in database.read_bytes()
    engine.dispose()


def test_generated_secret_key_is_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("POLARE_INSTANCE_DIR", str(tmp_path / "instance"))
    load_config()
    key_file = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_purge_vacuums_the_changed_tables_on_postgresql(app, postgres_only):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    started = datetime.now().astimezone()
    try:
        result = retention.overwrite_purged_data(engine, wait_ms=0)
        assert result.complete
        with engine.connect() as connection:
            vacuumed = set(connection.execute(text(
                "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum >= :started"),
                {"started": started}).scalars())
        assert set(retention.PURGED_TABLES) <= vacuumed
    finally:
        engine.dispose()
