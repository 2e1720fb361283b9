"""Night walks: who walked, where, when, what they saw."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from polare.auth.models import User
from polare.clock import utcnow
from polare.extensions import db, str_enum
from polare.names import TranslatedName
from polare.org.models import District, Team
from polare.roster.models import Person


class WalkStatus(enum.StrEnum):
    PLANNED = "planned"
    COMPLETED = "completed"
    APPROVED = "approved"
    CANCELLED = "cancelled"


#: The allowed moves of a walk; approved -> completed is "sent back" after a change.
WALK_TRANSITIONS: dict[WalkStatus, frozenset[WalkStatus]] = {
    WalkStatus.PLANNED: frozenset({WalkStatus.COMPLETED, WalkStatus.CANCELLED}),
    WalkStatus.COMPLETED: frozenset({WalkStatus.APPROVED, WalkStatus.CANCELLED}),
    WalkStatus.APPROVED: frozenset({WalkStatus.COMPLETED, WalkStatus.CANCELLED}),
    WalkStatus.CANCELLED: frozenset(),
}

walk_staff = Table(
    "walk_staff",
    db.metadata,
    Column("walk_id", ForeignKey("walks.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Walk(db.Model):
    __tablename__ = "walks"
    __table_args__ = (
        Index("ix_walks_team_date", "team_id", "walk_date"),
        Index("ix_walks_span", "starts_at", "ends_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("youths_met IS NULL OR youths_met >= 0", name="met_not_negative"),
        CheckConstraint(
            "youths_talked IS NULL OR (youths_talked >= 0 AND youths_talked <= youths_met)",
            name="talked_within_met",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    #: The evening the walk starts; a walk past midnight keeps this date.
    walk_date: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time]
    end_time: Mapped[time]
    #: walk_date + start_time, and the end (next morning when end <= start), for overlap checks.
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    meeting_point: Mapped[str] = mapped_column(String(160), default="")
    #: Not indexed: five values, most rows approved. SQLite has no statistics and would scan
    #: every approved walk through such an index rather than use a selective one.
    status: Mapped[WalkStatus] = mapped_column(str_enum(WalkStatus, 20), default=WalkStatus.PLANNED)
    youths_met: Mapped[int | None]
    youths_talked: Mapped[int | None]
    #: Observations; must not name the young people met.
    note: Mapped[str] = mapped_column(Text, default="")
    #: Walks planned together as a series share this identifier.
    series_id: Mapped[str | None] = mapped_column(String(36), index=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    #: Set when an approver confirmed approving despite missing required training.
    training_confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    training_confirmed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Optimistic lock: a save based on an older version is refused.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    team: Mapped[Team] = relationship()
    district: Mapped[District] = relationship()
    staff: Mapped[list[User]] = relationship(secondary=walk_staff, order_by=User.username)
    participations: Mapped[list[Participation]] = relationship(
        back_populates="walk", cascade="all, delete-orphan", order_by="Participation.id"
    )
    incidents: Mapped[list[WalkIncident]] = relationship(
        back_populates="walk", cascade="all, delete-orphan"
    )
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    @property
    def duration_hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    @property
    def outside_own_area(self) -> bool:
        return self.district.team_id != self.team_id


class ParticipationStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    ATTENDED = "attended"
    ABSENT = "absent"


class Participation(db.Model):
    """A polare on a walk; only attended participations in approved walks are paid."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("walk_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    walk_id: Mapped[int] = mapped_column(ForeignKey("walks.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    status: Mapped[ParticipationStatus] = mapped_column(
        str_enum(ParticipationStatus, 20),
        default=ParticipationStatus.SCHEDULED,
    )
    #: Added while logging: joined on the night without being planned.
    joined_on_night: Mapped[bool] = mapped_column(default=False)

    walk: Mapped[Walk] = relationship(back_populates="participations")
    person: Mapped[Person] = relationship()


class IncidentCategory(TranslatedName, db.Model):
    __tablename__ = "incident_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class WalkIncident(db.Model):
    """How many incidents of a category a walk observed."""

    __tablename__ = "walk_incidents"
    __table_args__ = (CheckConstraint("count > 0", name="count_positive"),)

    walk_id: Mapped[int] = mapped_column(
        ForeignKey("walks.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("incident_categories.id"), primary_key=True
    )
    count: Mapped[int] = mapped_column(default=1)

    walk: Mapped[Walk] = relationship(back_populates="incidents")
    category: Mapped[IncidentCategory] = relationship()
