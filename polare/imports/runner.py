"""Running an import: read the file, check and apply every row, keep all or nothing.

Reading (`read_import`) touches no database, so the page and the command read and check the
file's shape before their write transaction begins: on SQLite a writing transaction holds the
database's write lock from its first statement, and parsing a large workbook must not keep
other users waiting.

Rows are applied through the same services as the forms, each inside a savepoint, so that a
rule depending on earlier rows (the cap, overlapping walks) sees them. A row that breaks a
rule is undone and reported, and checking goes on; if any row was bad, the whole import is
undone at the end. The caller commits a successful import; of a refused one it keeps only the
audit of the lookups the file made (`keep_only_lookups`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PureWindowsPath

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from exports import ImportFileError, Row, read_table
from exports.errors import TooManyRowsError
from polare.audit.services import record
from polare.auth.models import User
from polare.errors import DomainError, PermissionDeniedError
from polare.imports.cells import Lookups
from polare.imports.context import ImportContext
from polare.imports.kinds import ImportKind, get_kind, may_import
from polare.imports.report import ImportResult
from polare.privacy.access_log import audit_personnummer_lookup

#: Longer names are cut from the start, so the extension is kept.
MAX_FILENAME = 120
#: Reading stops at the data row after this many: the file is refused (split the file).
MAX_ROWS = 5000


@dataclass(frozen=True)
class ImportFile:
    """An uploaded file read into rows, its headers and size checked; not yet applied."""

    kind: ImportKind
    filename: str
    rows: list[Row]


def read_import(kind_key: str, filename: str, data: bytes) -> ImportFile:
    """Read and shape-check the file of `kind_key`, without touching the database.

    Raises ImportFileError when the file cannot be read as a whole (type, headers, no rows, more
    than MAX_ROWS rows) and NotFoundError for an unknown kind.
    """
    filename = shown_filename(filename)
    kind = get_kind(kind_key)
    try:
        table = read_table(filename, data, kind.headers, max_rows=MAX_ROWS,
                           optional_headers=kind.optional_headers)
    except TooManyRowsError as error:
        raise ImportFileError(DomainError("imports.too_many_rows",
                                          max=error.max_rows).message) from error
    if not table.rows:
        raise ImportFileError(DomainError("imports.no_rows").message)
    return ImportFile(kind=kind, filename=filename, rows=table.rows)


def end_reading(session: Session) -> None:
    """End the request's read-only transaction, so that none is open while a file is parsed.

    The page calls this before `read_import` and `polare.database.begin_writing` after it:
    nothing has been written by then, so the commit only lets go of the read snapshot.
    """
    session.commit()


def run_import(
    session: Session, actor: User, kind_key: str, filename: str, data: bytes, *,
    today: date, now: datetime,
) -> ImportResult:
    """Read the file and import it as `actor` (see `read_import` and `apply_import`)."""
    _ensure_may_import(actor, get_kind(kind_key))
    return apply_import(session, actor, read_import(kind_key, filename, data),
                        today=today, now=now)


def apply_import(
    session: Session, actor: User, upload: ImportFile, *, today: date, now: datetime,
) -> ImportResult:
    """Import the read file as `actor`; return the result, whose errors mean nothing was kept.

    Raises PermissionDeniedError when the actor may not import this kind.
    """
    kind, filename = upload.kind, upload.filename
    _ensure_may_import(actor, kind)
    result = ImportResult(kind=kind.key, filename=filename, rows=len(upload.rows))
    ctx = ImportContext(session=session, actor=actor, today=today, now=now, result=result,
                        lookups=Lookups(session))
    everything = session.begin_nested()
    try:
        kind.importer(ctx, upload.rows)
    except BaseException:
        everything.rollback()
        raise
    if result.errors:
        everything.rollback()
        return result
    audit_lookups(session, actor, result)
    record(session, actor, "import", "import", kind.key,
           changes={"rows": [None, result.rows], "new": [None, result.new_rows],
                    "changed": [None, result.changed_rows],
                    "existing": [None, result.existing_rows],
                    **{f"created[{key}]": [None, count]
                       for key, count in sorted(result.created.items())}},
           note=_("Import av %(file)s.", file=result.logged_filename),
           persons=result.person_ids)
    everything.commit()
    return result


def audit_lookups(session: Session, actor: User, result: ImportResult) -> None:
    """Audit each match of the file on a person outside the importer's teams."""
    for person_id in sorted(result.looked_up):
        audit_personnummer_lookup(session, actor, person_id, "import")


def keep_only_lookups(session: Session, actor: User, result: ImportResult) -> None:
    """Undo everything of a refused import but the audit of its lookups.

    The matches were made whether or not the import is kept, so the caller's unit of work
    keeps their audit entries and nothing else (not even the form's one-time key).
    """
    session.rollback()
    audit_lookups(session, actor, result)


def _ensure_may_import(actor: User, kind: ImportKind) -> None:
    if not may_import(actor, kind):
        raise PermissionDeniedError("imports.kind_not_allowed", kind=str(kind.label))


def shown_filename(name: str) -> str:
    """Return the file's own name as sent by a browser, safe to show and to log."""
    base = PureWindowsPath(name).name  # splits on both '/' and '\\'
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return cleaned[-MAX_FILENAME:] or "fil"
