"""Engine set-up: SQLite pragmas and immediate write transactions; PostgreSQL as is.

SQLite ignores SELECT ... FOR UPDATE and Python 3.11's driver starts transactions late, so two
requests could both count 19 active polare and both activate. Following SQLAlchemy's pysqlite
recipe, the driver's own transaction handling is switched off and every transaction that may
write begins with BEGIN IMMEDIATE, which takes the database's write lock at once. Read-only
requests (GET, HEAD) begin a deferred transaction so they do not queue behind writers, and so
do the POSTs of views marked `reads_before_writing` (an import parses its file first): such a
view calls `begin_writing` once its slow, database-free work is done.

Writers wait for each other: the busy timeout is longer than the longest writing transaction
(applying a 5,000-row import), so none fails with "database is locked".

Deleted data must not survive in the file: every SQLite connection sets `secure_delete`, so
freed cells and pages are overwritten with zeros whatever the SQLite build's default, and
`overwrite_deleted_data` (run after a purge) checkpoints the WAL into the database and empties
it, or VACUUMs the changed tables on PostgreSQL. The database files are readable by their
owner only: the file is created 0600 before SQLite opens it (its -wal and -shm files take the
database file's mode) and files left from before are narrowed to 0600 when connecting.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, request
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

#: False while serving a read-only request; writes then begin a deferred transaction.
immediate_transactions: ContextVar[bool] = ContextVar("immediate_transactions", default=True)

SQLITE_BUSY_TIMEOUT_MS = 60_000
#: Database files hold personal data: readable and writable by their owner only.
DATABASE_FILE_MODE = 0o600
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _restrict_sqlite_files(database: str) -> None:
    """Narrow an SQLite database file and its companions to the owner (if we own them)."""
    for suffix in _SQLITE_COMPANIONS:
        path = Path(database + suffix)
        try:
            if path.is_file() and path.stat().st_mode & 0o777 != DATABASE_FILE_MODE:
                path.chmod(DATABASE_FILE_MODE)
        except OSError as error:  # another user's file: say so, do not stop the app
            log.warning("cannot restrict %s to its owner: %s", path, error)


def _on_sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    main_file = next((row[2] for row in cursor.execute("PRAGMA database_list")
                      if row[1] == "main"), "")
    if main_file:
        _restrict_sqlite_files(main_file)
    cursor.execute("PRAGMA foreign_keys = ON")
    # Overwrite deleted content with zeros, whatever the build's default (SQLITE_SECURE_DELETE).
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    mode = "IMMEDIATE" if immediate_transactions.get() else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def create_sqlite_file(database: str | None) -> None:
    """Create an SQLite database file readable by its owner only, before SQLite creates it."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.exists() or not path.parent.is_dir():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DATABASE_FILE_MODE))
    except FileExistsError:  # created meanwhile by another process
        return


def configure_engine(engine: Engine) -> None:
    """Apply the SQLite recipe to an engine (nothing to do for PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return
    create_sqlite_file(engine.url.database)
    if not event.contains(engine, "connect", _on_sqlite_connect):
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)


def reads_before_writing(view: F) -> F:
    """Mark a view whose POST reads (and parses) before it writes; see `begin_writing`."""
    view.reads_before_writing = True  # type: ignore[attr-defined]
    return view


def begin_writing(session: Session) -> None:
    """End the request's read-only transaction; the next one takes the write lock at once.

    Objects loaded so far are reloaded in the new transaction, so no decision rests on a
    snapshot older than the write lock.
    """
    session.commit()
    immediate_transactions.set(True)


def _mark_read_only_requests() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    immediate_transactions.set(request.method not in {"GET", "HEAD", "OPTIONS"}
                               and not getattr(view, "reads_before_writing", False))


def init_database(app: Flask, engine: Engine) -> None:
    """Configure the engine and mark each request as read-only or writing."""
    configure_engine(engine)
    app.before_request(_mark_read_only_requests)


@dataclass(frozen=True)
class Overwritten:
    """What `overwrite_deleted_data` did."""

    #: False when SQLite could not finish the checkpoint (readers kept it busy).
    complete: bool
    detail: str


def _checkpoint_sqlite(engine: Engine, wait_ms: int) -> Overwritten:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        busy, wal_pages, copied = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()
    finally:
        raw.close()
    if busy:
        return Overwritten(False, f"checkpoint busy: {copied} of {wal_pages} WAL pages copied")
    return Overwritten(True, "WAL checkpointed and truncated")


def _vacuum_postgresql(engine: Engine, tables: Iterable[str]) -> Overwritten:
    names = sorted(set(tables))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        preparer = engine.dialect.identifier_preparer
        for name in names:
            connection.exec_driver_sql(f"VACUUM {preparer.quote(name)}")
    return Overwritten(True, f"VACUUM {', '.join(names)}")


def overwrite_deleted_data(engine: Engine, tables: Iterable[str], *,
                           wait_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Overwritten:
    """After a committed purge, leave no old version of the changed rows in the live files.

    SQLite: checkpoint the WAL into the database (secure_delete has zeroed the freed space)
    and truncate it, waiting up to `wait_ms` for readers. PostgreSQL: VACUUM the tables, outside
    any transaction, so their dead row versions' space is marked free for reuse.
    """
    if engine.dialect.name == "sqlite":
        result = _checkpoint_sqlite(engine, wait_ms)
    elif engine.dialect.name == "postgresql":
        result = _vacuum_postgresql(engine, tables)
    else:
        result = Overwritten(False, f"nothing done for {engine.dialect.name}")
    if not result.complete:
        log.warning("purged data may remain in the database files: %s", result.detail)
    return result
