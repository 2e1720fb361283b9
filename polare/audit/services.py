"""Writing audit entries; every service that changes data calls `record`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry, AuditEntryPerson


def _plain(value: Any) -> Any:
    """Turn a column value into something JSON can hold."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Return the named attributes of a record as JSON-ready values."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    session: Session,
    actor: Any,
    action: str,
    entity: str,
    entity_id: Any = "",
    *,
    changes: dict[str, Any] | None = None,
    note: str = "",
    persons: Iterable[int] = (),
) -> AuditEntry:
    """Add an audit entry for an action of `actor` (a User, or None for the system/CLI).

    `persons` are the ids of the polare the action touched; the note never names them. An
    entry about a person record refers to that person without being told. The entry is flushed
    and its persons inserted in one Core executemany: a close or an export refers to some 20,000
    polare, which as ORM objects held tens of megabytes until the commit.
    """
    person_ids = {int(person_id) for person_id in persons}
    if entity == "person" and str(entity_id).isdigit():
        person_ids.add(int(entity_id))
    role = getattr(actor, "role", None)
    entry = AuditEntry(
        user_id=getattr(actor, "id", None),
        username=getattr(actor, "username", None) or "system",
        actor_role=str(getattr(role, "value", role or "")),
        action=action,
        entity=entity,
        entity_id=str(entity_id) if entity_id is not None else "",
        changes=changes or None,
        note=note,
    )
    session.add(entry)
    if person_ids:
        session.flush()
        session.connection().execute(
            insert(AuditEntryPerson.__table__),
            [{"entry_id": entry.id, "person_id": person_id} for person_id in sorted(person_ids)],
        )
    return entry
