"""Event types of SPEC §4, seeded idempotently."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.audit.services import record
from polare.events.models import EventType

#: (Swedish name, English name, required)
EVENT_TYPES = (
    ("Ledarskapsutbildning", "Leadership training", True),
    ("Introduktion", "Introduction", False),
    ("Nätverksträff", "Network meeting", False),
    ("Informationstillfälle", "Information session", False),
    ("Föräldramöte", "Parent meeting", False),
    ("Övrigt", "Other", False),
)


def seed_event_types(session: Session) -> list[str]:
    """Create the missing event types; return their names."""
    created = []
    for order, (name, name_en, required) in enumerate(EVENT_TYPES):
        if session.scalar(select(EventType.id).where(EventType.name == name)):
            continue
        event_type = EventType(name=name, name_en=name_en, required=required, sort_order=order)
        session.add(event_type)
        session.flush()
        record(session, None, "create", "event_type", event_type.id,
               changes={"name": [None, name], "name_en": [None, name_en],
                        "required": [None, required]})
        created.append(f"aktivitetstyp {name}")
    return created
