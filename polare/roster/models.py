"""Polare (persons), their guardians and their enrolments in a team and school year."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from polare.clock import utcnow
from polare.extensions import db, str_enum
from polare.org.models import SchoolYear, Team

if TYPE_CHECKING:
    from polare.auth.models import User


class Person(db.Model):
    __tablename__ = "persons"
    __table_args__ = (CheckConstraint("prior_years >= 0", name="prior_years_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Canonical 'YYYYMMDD-NNNN'; None once anonymised.
    personnummer: Mapped[str | None] = mapped_column(String(13), unique=True)
    #: From the personnummer; kept after anonymisation for age statistics.
    birth_date: Mapped[date]
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    #: Swedish collation key of "last first" (Å, Ä, Ö after Z) for sorting in SQL.
    sort_key: Mapped[str] = mapped_column(String(200), index=True)
    #: E.164, e.g. +46701234567.
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    school: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: School years served before the system was introduced.
    prior_years: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    anonymised_at: Mapped[datetime | None]

    guardians: Mapped[list[Guardian]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Guardian.id"
    )
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="person", foreign_keys="Enrolment.person_id"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Guardian(db.Model):
    """A vårdnadshavare of a polare."""

    __tablename__ = "guardians"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    relation: Mapped[str] = mapped_column(String(40), default="")

    person: Mapped[Person] = relationship(back_populates="guardians")


class EnrolmentStatus(enum.StrEnum):
    APPLICANT = "applicant"
    ACTIVE = "active"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    ENDED = "ended"


#: The allowed moves of an enrolment; anything else is refused by the service.
ENROLMENT_TRANSITIONS: dict[EnrolmentStatus, frozenset[EnrolmentStatus]] = {
    EnrolmentStatus.APPLICANT: frozenset(
        {EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITLISTED, EnrolmentStatus.DECLINED}
    ),
    EnrolmentStatus.WAITLISTED: frozenset({EnrolmentStatus.ACTIVE, EnrolmentStatus.DECLINED}),
    EnrolmentStatus.ACTIVE: frozenset({EnrolmentStatus.ENDED}),
    EnrolmentStatus.DECLINED: frozenset(),
    EnrolmentStatus.ENDED: frozenset(),
}


class Enrolment(db.Model):
    """A person's place in a team for one school year."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("person_id", "team_id", "school_year_id"),
        Index("ix_enrolments_team_year_status", "team_id", "school_year_id", "status"),
        CheckConstraint(
            "ended_on IS NULL OR activated_on IS NULL OR ended_on >= activated_on",
            name="ends_after_activation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_years.id"), index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(
        str_enum(EnrolmentStatus, 20), default=EnrolmentStatus.APPLICANT
    )
    applied_on: Mapped[date]
    #: Set when the enrolment becomes active; never cleared (it "was ever active").
    activated_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(String(200), default="")
    #: When waitlisted: the waiting list is ordered by this time.
    waitlisted_at: Mapped[datetime | None]
    #: Written guardian consent (vårdnadshavares samtycke), needed under 18.
    consent_date: Mapped[date | None]
    consent_guardian_id: Mapped[int | None] = mapped_column(
        ForeignKey("guardians.id", ondelete="SET NULL")
    )
    consent_registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    consent_registered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="enrolments", foreign_keys=[person_id])
    team: Mapped[Team] = relationship()
    school_year: Mapped[SchoolYear] = relationship()
    consent_guardian: Mapped[Guardian | None] = relationship()
    #: Who registered the consent, for the person page (read only: the id is what is set).
    consent_registered_by: Mapped[User | None] = relationship(viewonly=True)

    def is_active_on(self, day: date) -> bool:
        """Tell whether the enrolment is active on the day (SPEC §3)."""
        return (
            self.activated_on is not None
            and self.activated_on <= day
            and (self.ended_on is None or self.ended_on > day)
            and self.school_year.contains(day)
        )
