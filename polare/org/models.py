"""Reference data: teams, districts, school years, team-years and settings."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from polare.extensions import db


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    #: Kostnadsställe written on every payroll line of the team.
    cost_centre: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)

    districts: Mapped[list[District]] = relationship(
        back_populates="team", order_by="District.name"
    )

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class District(db.Model):
    """A stadsdel; each belongs to one team's area."""

    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    #: True for the team's home district (the one it is named after).
    is_home: Mapped[bool] = mapped_column(default=False)

    team: Mapped[Team] = relationship(back_populates="districts")


class SchoolYear(db.Model):
    """A läsår; school years never overlap (checked by the service)."""

    __tablename__ = "school_years"
    __table_args__ = (CheckConstraint("starts_on < ends_on", name="starts_before_ends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(20), unique=True)
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date] = mapped_column(index=True)

    def contains(self, day: date) -> bool:
        """Tell whether the day lies within this school year."""
        return self.starts_on <= day <= self.ends_on


class TeamYear(db.Model):
    """A team in a school year: holds the cap and is the row locked when counting actives."""

    __tablename__ = "team_years"
    __table_args__ = (
        UniqueConstraint("team_id", "school_year_id"),
        CheckConstraint("cap >= 0", name="cap_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_years.id"), index=True)
    cap: Mapped[int] = mapped_column(default=20)

    team: Mapped[Team] = relationship()
    school_year: Mapped[SchoolYear] = relationship()


class Settings(db.Model):
    """The single row (id 1) of programme-wide settings, edited by admin."""

    __tablename__ = "settings"
    __table_args__ = (
        CheckConstraint("min_age <= max_age", name="age_range"),
        CheckConstraint("default_cap >= 0", name="cap_not_negative"),
        CheckConstraint("retention_months > 0", name="retention_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    default_cap: Mapped[int] = mapped_column(default=20)
    min_age: Mapped[int] = mapped_column(default=15)
    max_age: Mapped[int] = mapped_column(default=20)
    #: Löneart written on every row of the payroll file.
    pay_code: Mapped[str] = mapped_column(String(20), default="ARVODE")
    #: Polare under 18 on a walk ending after this time get a warning.
    minor_latest_end: Mapped[time] = mapped_column(default=time(22, 0))
    retention_months: Mapped[int] = mapped_column(default=24)
    #: Reference of the municipality's gallringsbeslut, quoted in every purge.
    deletion_decision_ref: Mapped[str] = mapped_column(String(120), default="")
    #: From this day on, the public form enrols applicants in the next school year.
    applications_next_year_from: Mapped[date | None]
    #: Första löneperiod 'YYYY-MM'; None: the earliest month with a payable participation.
    first_pay_period: Mapped[str | None] = mapped_column(String(7))
