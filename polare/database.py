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
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from flask import Flask, current_app, request
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

F = TypeVar("F", bound=Callable[..., Any])

#: False while serving a read-only request; writes then begin a deferred transaction.
immediate_transactions: ContextVar[bool] = ContextVar("immediate_transactions", default=True)

SQLITE_BUSY_TIMEOUT_MS = 60_000


def _on_sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    mode = "IMMEDIATE" if immediate_transactions.get() else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def configure_engine(engine: Engine) -> None:
    """Apply the SQLite recipe to an engine (nothing to do for PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return
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
