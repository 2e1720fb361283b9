"""Engine set-up: SQLite pragmas and immediate write transactions; PostgreSQL as is.

SQLite ignores SELECT ... FOR UPDATE and Python 3.11's driver starts transactions late, so two
requests could both count 19 active polare and both activate. Following SQLAlchemy's pysqlite
recipe, the driver's own transaction handling is switched off and every transaction that may
write begins with BEGIN IMMEDIATE, which takes the database's write lock at once. Read-only
requests (GET, HEAD) begin a deferred transaction so they do not queue behind writers.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from flask import Flask, request
from sqlalchemy import Engine, event

#: False while serving a read-only request; writes then begin a deferred transaction.
immediate_transactions: ContextVar[bool] = ContextVar("immediate_transactions", default=True)

SQLITE_BUSY_TIMEOUT_MS = 15_000


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


def _mark_read_only_requests() -> None:
    immediate_transactions.set(request.method not in {"GET", "HEAD", "OPTIONS"})


def init_database(app: Flask, engine: Engine) -> None:
    """Configure the engine and mark each request as read-only or writing."""
    configure_engine(engine)
    app.before_request(_mark_read_only_requests)
