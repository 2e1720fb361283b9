"""Running an import: read the file, check and apply every row, keep all or nothing.

Rows are applied through the same services as the forms, each inside a savepoint, so that a
rule depending on earlier rows (the cap, overlapping walks) sees them. A row that breaks a
rule is undone and reported, and checking goes on; if any row was bad, the whole import is
undone at the end. The caller commits a successful import, or rolls back.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import PureWindowsPath

from sqlalchemy.orm import Session

from exports import ImportFileError, read_table
from polare.audit.services import record
from polare.auth.models import User
from polare.clock import LOCAL_TZ
from polare.errors import PermissionDeniedError
from polare.imports.cells import Lookups
from polare.imports.context import ImportContext
from polare.imports.kinds import get_kind, may_import
from polare.imports.report import ImportResult
from polare.imports.text import _

#: Longer names are cut from the start, so the extension is kept.
MAX_FILENAME = 120
#: More rows than this in one file is refused unread (split the file).
MAX_ROWS = 5000


def run_import(
    session: Session, actor: User, kind_key: str, filename: str, data: bytes, *,
    today: date, now: datetime,
) -> ImportResult:
    """Import the file as `actor`; return the result, whose errors mean nothing was kept.

    Raises ImportFileError when the file cannot be read as a whole (type, headers, size) and
    PermissionDeniedError when the actor may not import this kind.
    """
    filename = shown_filename(filename)
    kind = get_kind(kind_key)
    if not may_import(actor, kind):
        raise PermissionDeniedError(_("Du får inte importera %(kind)s.", kind=str(kind.label)))
    table = read_table(filename, data, kind.headers, optional_headers=kind.optional_headers)
    if not table.rows:
        raise ImportFileError(_("Filen har rubriker men inga rader att importera."))
    if len(table.rows) > MAX_ROWS:
        raise ImportFileError(_("Filen har %(rows)s rader; högst %(max)s rader importeras åt "
                                "gången. Dela upp filen.", rows=len(table.rows), max=MAX_ROWS))
    result = ImportResult(kind=kind.key, filename=filename, rows=len(table.rows))
    ctx = ImportContext(session=session, actor=actor, today=today, now=now, result=result,
                        lookups=Lookups(session))
    everything = session.begin_nested()
    try:
        kind.importer(ctx, table.rows)
    except BaseException:
        everything.rollback()
        raise
    if result.errors:
        everything.rollback()
        return result
    record(session, actor, "import", "import", kind.key,
           changes={"rows": [None, result.rows], "new": [None, result.new_rows],
                    "changed": [None, result.changed_rows],
                    "existing": [None, result.existing_rows],
                    **{f"created[{key}]": [None, count]
                       for key, count in sorted(result.created.items())}},
           note=_("Import av %(file)s.", file=filename))
    everything.commit()
    return result


def shown_filename(name: str) -> str:
    """Return the file's own name as sent by a browser, safe to show and to log."""
    base = PureWindowsPath(name).name  # splits on both '/' and '\\'
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return cleaned[-MAX_FILENAME:] or "fil"


def local_now() -> datetime:
    """Return the local time in Sweden, naive like the walks' times."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None)
