"""Scratch databases of one benchmark run, and a description of the machine it ran on."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path
from types import TracebackType

import psutil
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError


class Scratch:
    """Databases made for one run and removed after it: SQLite files, or PostgreSQL databases
    named polare_bench_<name> on the server of `server_url`."""

    def __init__(self, workdir: Path, server_url: str | None, *, keep: bool = False) -> None:
        self.workdir = workdir
        #: None for SQLite (a SQLite URL only says so: the files live in the scratch folder).
        self.server_url = server_url if server_url and server_url.startswith("postgresql") \
            else None
        self.keep = keep
        self.made: list[str] = []
        self.unavailable_reason = ""

    @property
    def postgres(self) -> bool:
        return self.server_url is not None

    @property
    def available(self) -> bool:
        return not self.unavailable_reason

    def __enter__(self) -> Scratch:
        if self.postgres:
            try:
                self._execute("SELECT 1")
            except OperationalError as error:
                self.unavailable_reason = f"PostgreSQL unreachable: {error.orig}"
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.keep:
            return
        for name in self.made:
            if self.postgres:
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{name}{suffix}").unlink(missing_ok=True)

    def _execute(self, statement: str) -> str | None:
        engine = create_engine(self.server_url or "", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                result = connection.execute(text(statement))
                return result.scalar() if result.returns_rows else None
        finally:
            engine.dispose()

    def database(self, name: str) -> str:
        """Return the URL of a new, empty database for this run."""
        if not self.postgres:
            path = self.workdir / f"{name}.sqlite3"
            self.made.append(str(path))
            return f"sqlite:///{path}"
        database = f"polare_bench_{name}"
        self._execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{database}"')
        self.made.append(database)
        url = make_url(self.server_url).set(database=database)
        return url.render_as_string(hide_password=False)

    def version(self) -> str:
        """Return the database's name and version."""
        if not self.postgres:
            return f"SQLite {sqlite3.sqlite_version}"
        if not self.available:
            return "PostgreSQL (unreachable)"
        return (self._execute("SHOW server_version") or "").join(("PostgreSQL ", ""))


def cpu_model() -> str:
    """Return the processor's model name."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(*database_versions: str) -> dict[str, str]:
    """Describe the machine and the software the figures were measured with."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return {
        "cpus": str(os.cpu_count()),
        "cpu model": cpu_model(),
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "system": platform.platform(),
        "databases": "; ".join(database_versions),
        "load average at start": load,
    }
