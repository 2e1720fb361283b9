"""Bulk writing: explicit ids, rows buffered per table and written parents first.

SQLite gets the driver's executemany with each value bound by SQLAlchemy's own bind processor
(so it stores exactly what the ORM would); PostgreSQL gets COPY. The schema is made by the
app's migrations, as `flask db upgrade` does.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, text

ROOT = Path(__file__).resolve().parent.parent

#: Buffered rows written at once (and per COPY / executemany).
FLUSH_ROWS = 50_000

#: Tables in the order rows must reach the database (parents first).
TABLE_ORDER = (
    "settings", "event_types", "incident_categories", "teams", "districts", "school_years",
    "team_years", "users", "user_teams", "rate_versions", "rate_rows", "pay_periods",
    "employer_contribution_rates", "persons", "guardians", "enrolments", "events",
    "invitations", "walks", "walk_staff", "participations", "walk_incidents", "pay_lines",
)


class Ids:
    """Explicit primary keys, counted per table from 1 (the database starts empty)."""

    def __init__(self) -> None:
        self._last: dict[str, int] = defaultdict(int)

    def next(self, table: str) -> int:
        """Return the next id of the table."""
        self._last[table] += 1
        return self._last[table]


class Writer:
    """Buffers rows per table and writes them parents first, in large batches."""

    def __init__(self, connection: Connection, tables: dict[str, Table]) -> None:
        self.connection = connection
        self.tables = tables
        self.postgres = connection.dialect.name == "postgresql"
        self.buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.buffered = 0
        self.written: dict[str, int] = defaultdict(int)

    def add(self, table: str, row: dict[str, Any]) -> None:
        """Queue a row; write everything queued once enough is waiting."""
        self.buffers[table].append(row)
        self.buffered += 1
        if self.buffered >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write every queued row, parents before children."""
        for name in TABLE_ORDER:
            rows = self.buffers.pop(name, None)
            if rows:
                self._write(name, rows)
                self.written[name] += len(rows)
        self.buffered = 0

    def _write(self, name: str, rows: list[dict[str, Any]]) -> None:
        if self.postgres:
            self._copy(name, rows)
        else:
            self._executemany(name, rows)

    def _executemany(self, name: str, rows: list[dict[str, Any]]) -> None:
        """Insert through the driver's executemany, values bound as SQLAlchemy binds them.

        Core's own executemany spends most of its time building a parameter dict per row;
        here each column's bind processor (dates to ISO text, Decimal to REAL, ...) runs
        directly, so SQLite stores exactly what an ORM insert would have stored.
        """
        table = self.tables[name]
        dialect = self.connection.dialect
        compiled = table.insert().compile(dialect=dialect, column_keys=list(rows[0]))
        columns = list(compiled.positiontup or ())
        processors = [
            (index, processor) for index, column in enumerate(columns)
            if (processor := table.c[column].type.dialect_impl(dialect).bind_processor(dialect))
        ]
        memos: dict[int, dict[Any, Any]] = {index: {} for index, _ in processors}
        values = []
        for row in rows:
            record = [row[column] for column in columns]
            for index, processor in processors:
                value = record[index]
                if value is not None:
                    memo = memos[index]
                    bound = memo.get(value)
                    if bound is None:
                        bound = memo[value] = processor(value)
                    record[index] = bound
            values.append(tuple(record))
        self.connection.exec_driver_sql(compiled.string, values)

    def _copy(self, name: str, rows: list[dict[str, Any]]) -> None:
        columns = list(rows[0])
        raw = self.connection.connection.driver_connection
        statement = f"COPY {name} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])


def create_schema(database_url: str, app_config: dict[str, Any] | None = None) -> None:
    """Create the schema on an empty database as `flask db upgrade` does."""
    import flask_migrate

    from polare import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "benchmark-schema", **(app_config or {})})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        from polare.extensions import db

        db.engine.dispose()


def run_daily_jobs(database_url: str, app_config: dict[str, Any] | None = None) -> None:
    """Run what a running installation's daily jobs have done, with the app's own commands:
    close the school years that have ended (`flask roster close-years`, which the first
    request would do otherwise, inside the measurements) and build the follow-up aggregates
    (`flask reports rebuild`)."""
    from polare import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "benchmark-aggregates", **(app_config or {})})
    for command in (["roster", "close-years"], ["reports", "rebuild"]):
        result = app.test_cli_runner().invoke(args=command)
        if result.exit_code != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {result.output}"
                               ) from result.exception
    with app.app_context():
        from polare.extensions import db

        db.engine.dispose()


def model_tables() -> dict[str, Table]:
    """Return the app's tables by name."""
    from polare.extensions import db

    __import__("polare.models")
    return dict(db.metadata.tables)


def reset_sequences(connection: Connection, tables: dict[str, Table]) -> None:
    """Move PostgreSQL's id sequences past the explicit ids written."""
    for name in TABLE_ORDER:
        table = tables[name]
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        # The names come from TABLE_ORDER above, never from input.
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
            f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))


def bench_engine(database_url: str) -> Engine:
    """Return an engine for bulk writing (SQLite: WAL, no fsync while loading)."""
    engine = create_engine(database_url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.close()

    return engine


def tidy(engine: Engine) -> None:
    """PostgreSQL: VACUUM ANALYZE, as autovacuum would soon; SQLite: fold the WAL back in.

    SQLite gets no ANALYZE: the app never runs one, so the benchmark plans as production does.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
