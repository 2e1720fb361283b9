"""The kinds of file that can be imported: their columns, who may import them, their importer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from exports import Row
from polare.auth.models import Role, User
from polare.errors import NotFoundError
from polare.imports.attendance_rows import COLUMNS as ATTENDANCE_COLUMNS
from polare.imports.attendance_rows import import_attendance
from polare.imports.cells import Column
from polare.imports.context import ImportContext
from polare.imports.rate_rows import COLUMNS as RATE_COLUMNS
from polare.imports.rate_rows import import_rates
from polare.imports.roster_rows import COLUMNS as POLARE_COLUMNS
from polare.imports.roster_rows import import_polare
from polare.imports.walk_rows import COLUMNS as WALK_COLUMNS
from polare.imports.walk_rows import import_walks

STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
PAYROLL_ROLES = frozenset({Role.ADMIN, Role.PAYROLL})


@dataclass(frozen=True)
class ImportKind:
    """One kind of import: the name used in URLs and on the command line, and its columns."""

    key: str
    label: object
    description: object
    columns: tuple[Column, ...]
    roles: frozenset[Role]
    importer: Callable[[ImportContext, Sequence[Row]], None]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def optional_headers(self) -> tuple[str, ...]:
        """Return the columns a file may leave out."""
        return tuple(column.name for column in self.columns if column.optional)


KINDS = {kind.key: kind for kind in (
    ImportKind("polare", _l("Polare och anmälningar"),
               _l("En rad per anmälan: samma person kan stå på flera rader (flera läsår)."),
               POLARE_COLUMNS, STAFF_ROLES, import_polare),
    ImportKind("narvaro", _l("Närvaro på utbildningar och träffar"),
               _l("En rad per polare och aktivitet. Rader med samma datum, start, typ, titel "
                  "och team är samma aktivitet."),
               ATTENDANCE_COLUMNS, STAFF_ROLES, import_attendance),
    ImportKind("nattvandringar", _l("Genomförda nattvandringar"),
               _l("En rad per deltagande polare. Rader med samma datum, team, stadsdel och "
                  "start är samma nattvandring och ska ha samma sluttid, ansvariga, antal och "
                  "status."),
               WALK_COLUMNS, STAFF_ROLES, import_walks),
    ImportKind("arvodestabell", _l("Arvodestabell"),
               _l("En rad per åldersgrupp och antal år. Rader med samma Giltig från är en "
                  "tabellversion."),
               RATE_COLUMNS, PAYROLL_ROLES, import_rates),
)}


def may_import(user: User, kind: ImportKind) -> bool:
    """Tell whether the user's role may import the kind."""
    return user.role in kind.roles


def kinds_for(user: User) -> list[ImportKind]:
    """Return the kinds the user may import, in display order."""
    return [kind for kind in KINDS.values() if may_import(user, kind)]


def get_kind(key: str) -> ImportKind:
    """Return the kind named `key`, or raise NotFoundError."""
    kind = KINDS.get(key)
    if kind is None:
        raise NotFoundError("imports.kind_unknown", key=key, keys=", ".join(KINDS))
    return kind
