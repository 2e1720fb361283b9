"""Access logging: who was shown a full personnummer, who downloaded personal data.

Other domains call these from their routes (the request commits them, as any audit entry):

* `audit_personnummer_view` whenever a page shows a person's full personnummer;
* `audit_download` for every workbook (or other file) with personal data that is downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry
from polare.audit.services import record

#: AuditEntry.entity_id holds at most this many characters.
_ENTITY_ID_LENGTH = 40


def audit_personnummer_view(session: Session, actor: object, person_id: int) -> AuditEntry:
    """Record that the actor was shown the person's full personnummer."""
    return record(session, actor, "view", "person", person_id, note="personnummer")


def audit_download(session: Session, actor: object, what: str, details: str = "",
                   persons: Iterable[int] = ()) -> AuditEntry:
    """Record that the actor downloaded a file with personal data of `persons` (`what`: its kind).

    The persons make the download a disclosure in each one's registerutdrag.
    """
    return record(session, actor, "download", "workbook", what[:_ENTITY_ID_LENGTH], note=details,
                  persons=persons)


def audit_personnummer_lookup(
    session: Session, actor: object, person_id: int | None, how: str
) -> AuditEntry:
    """Record a lookup by full personnummer (`how`: search, new person, import) and its match."""
    return record(session, actor, "lookup", "person", "" if person_id is None else person_id,
                  note=f"personnummer {how}",
                  persons=() if person_id is None else (person_id,))
