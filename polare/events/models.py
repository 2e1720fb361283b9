"""Training and network events and who was invited and attended."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from polare.clock import utcnow
from polare.extensions import db, str_enum
from polare.names import TranslatedName
from polare.org.models import SchoolYear, Team
from polare.roster.models import Person


class EventType(TranslatedName, db.Model):
    __tablename__ = "event_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    #: Every active polare must have attended one event of a required type each school year.
    required: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("event_types.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    event_date: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time]
    end_time: Mapped[time | None]
    #: None means the event is for all teams.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_years.id"), index=True)
    place: Mapped[str] = mapped_column(String(160), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    cancelled: Mapped[bool] = mapped_column(default=False)
    #: The team that created the event: its coordinators (and admin) may change an all-team
    #: event. None for an all-team event made by an admin or the system: only admin changes it.
    organiser_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    type: Mapped[EventType] = relationship()
    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])
    organiser_team: Mapped[Team | None] = relationship(foreign_keys=[organiser_team_id])
    school_year: Mapped[SchoolYear] = relationship()
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class InvitationStatus(enum.StrEnum):
    INVITED = "invited"
    ATTENDED = "attended"
    ABSENT = "absent"


class Invitation(db.Model):
    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    status: Mapped[InvitationStatus] = mapped_column(
        str_enum(InvitationStatus, 20), default=InvitationStatus.INVITED
    )
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship(back_populates="invitations")
    person: Mapped[Person] = relationship()
