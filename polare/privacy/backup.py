"""Backups: a consistent copy of the SQLite database while the app runs; pg_dump advice.

SQLite's online backup API copies the database page by page inside one read transaction, so
the copy is the database as it was at one moment even while requests write (WAL mode lets
them). The copy is written next to the target under a temporary name, checked with
`PRAGMA integrity_check` (it is readable by the owner only from the start: it holds personal
data) and then renamed into place, so a half-written file never carries the target's name.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from polare.errors import DomainError

#: Backups hold personal data: readable and writable by the owner only.
BACKUP_FILE_MODE = 0o600
_BUSY_TIMEOUT_MS = 15_000


class BackupError(DomainError):
    """A backup could not be made; the code says why."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size_bytes: int
    tables: int


def sqlite_database_path(url: URL) -> Path:
    """Return the file of an SQLite database URL (an in-memory database has none)."""
    if not url.database or url.database == ":memory:":
        raise BackupError("privacy.database_in_memory")
    return Path(url.database)


def backup_sqlite(source: Path, target: Path) -> BackupInfo:
    """Copy the SQLite database `source` consistently to the new file `target`."""
    if not source.is_file():
        raise BackupError("privacy.database_file_missing", path=str(source))
    if target.exists():
        raise BackupError("privacy.backup_exists", path=str(target))
    if not target.parent.is_dir():
        raise BackupError("privacy.folder_missing", path=str(target.parent))
    partial = target.with_name(f".{target.name}.part")
    partial.unlink(missing_ok=True)
    try:
        # Readable by the owner only from the first byte, not once the copy is done.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_FILE_MODE))
        tables = _copy(source, partial)
        partial.chmod(BACKUP_FILE_MODE)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupInfo(path=target, size_bytes=target.stat().st_size, tables=tables)


def _copy(source: Path, partial: Path) -> int:
    """Copy in one backup step (one read transaction); return the number of tables."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
        src.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        src.backup(dst)
        # A single self-contained file: no -wal or -shm beside it is needed to restore it.
        dst.execute("PRAGMA journal_mode = DELETE")
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError("privacy.backup_damaged", result=result)
        return dst.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]


def libpq_url(url: URL) -> str:
    """Return the URL as PostgreSQL's own tools take it, without the password.

    pg_dump and pg_restore read the password from PGPASSWORD or ~/.pgpass, so it is never
    printed or left in the shell history.
    """
    return URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                      database=url.database, query=url.query).render_as_string()


def pg_dump_command(url: URL, target: str) -> str:
    """Return the pg_dump command that backs up the PostgreSQL database of `url` to `target`."""
    return " ".join([
        "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
        f"--file={shlex.quote(target)}", shlex.quote(libpq_url(url)),
    ])


def pg_restore_command(url: URL, source: str) -> str:
    """Return the pg_restore command that restores `source` into the (empty) database of `url`."""
    return " ".join([
        "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
        f"--dbname={shlex.quote(libpq_url(url))}", shlex.quote(source),
    ])
