"""The audit log: who did what to which record, when, with old and new values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from polare.clock import utcnow
from polare.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: Kept as text so the entry still reads after the user is gone ("cli" for commands).
    username: Mapped[str] = mapped_column(String(80), default="")
    #: The user's role when they acted ("" for the system/CLI): a disclosure names the recipient.
    actor_role: Mapped[str] = mapped_column(String(20), default="", server_default="")
    #: create, update, delete, approve, close, export, login, logout, view, purge, ...
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    #: {"field": [old, new], ...} for changed fields.
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Free text; never a polare's name or number (persons are referred to by `persons`).
    note: Mapped[str] = mapped_column(Text, default="")

    persons: Mapped[list[AuditEntryPerson]] = relationship(
        cascade="all, delete-orphan", order_by="AuditEntryPerson.person_id"
    )


class AuditEntryPerson(db.Model):
    """A polare an audit entry touched: a walk's participants, an import's rows, an export's."""

    __tablename__ = "audit_entry_persons"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("audit_entries.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
