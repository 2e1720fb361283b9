"""Inputs of the follow-up reports that admin keeps: employer contributions and budgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from polare.dbtypes import ExactDecimal
from polare.extensions import db

#: Kronor with öre, stored exactly on every database (integer öre on SQLite).
MONEY = ExactDecimal(12, 2)


class EmployerContributionRate(db.Model):
    """Arbetsgivaravgift rate for an age (on 1 January of the year) over a date range."""

    __tablename__ = "employer_contribution_rates"
    __table_args__ = (
        CheckConstraint("rate_percent >= 0", name="rate_not_negative"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    age_from: Mapped[int]
    age_to: Mapped[int | None]
    rate_percent: Mapped[Decimal] = mapped_column(ExactDecimal(5, 2))
    #: Seeded example values, to be checked against the current law before use.
    is_example: Mapped[bool] = mapped_column(default=False)


class Budget(db.Model):
    """The stipend budget of a school year, drawn as a line on the cost chart."""

    __tablename__ = "budgets"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_years.id"), unique=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)


class FollowUpFigures:
    """The figures a follow-up cell holds and a country month sums (a declarative mixin)."""

    walks: Mapped[int] = mapped_column(default=0)
    seconds: Mapped[int] = mapped_column(default=0)
    polarpass: Mapped[int] = mapped_column(default=0)
    met: Mapped[int] = mapped_column(default=0)
    talked: Mapped[int] = mapped_column(default=0)
    #: Walks planned (not counted above).
    planned: Mapped[int] = mapped_column(default=0)
    stipends: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    contributions: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    #: True when some stipends come from the preview of an open pay period.
    previewed: Mapped[bool] = mapped_column(default=False)
    #: True when an example contribution rate priced some stipend.
    examples_used: Mapped[bool] = mapped_column(default=False)
    #: Stipends no contribution rate covers: 'age:YYYY-MM-DD' items, space-separated.
    unpriced: Mapped[str] = mapped_column(Text, default="")


class FollowUpCell(FollowUpFigures, db.Model):
    """The follow-up figures of one team, district and month, kept by `reports.aggregates`."""

    __tablename__ = "follow_up_cells"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    district_id: Mapped[int] = mapped_column(
        ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True)
    #: 'YYYY-MM' of the walks' dates.
    month: Mapped[str] = mapped_column(String(7), primary_key=True, index=True)
    #: Walks completed but not yet approved (not counted in the figures).
    awaiting: Mapped[int] = mapped_column(default=0)
    #: True when some stipend line (frozen or previewed) falls in the cell, even when its
    #: lines add up to nothing (a line paid and taken back): the report shows its row.
    costed: Mapped[bool] = mapped_column(default=False, server_default=false())


class FollowUpMonth(FollowUpFigures, db.Model):
    """The whole country's follow-up figures of one month: every team's cells summed (the
    flags: any cell's; the gaps: every cell's, sorted).

    Kept by `reports.aggregates` whenever a rebuild changes a month's cells, so that pages of
    every team read one row per month instead of a row per team and district.
    """

    __tablename__ = "follow_up_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    #: Distinct polare who walked in the month, with any team.
    polare: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Raised at every recount (a month whose cells all went keeps its row, with zeros), so
    #: a count over several months (`FollowUpSpan`) knows when it was made from these rows.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")


class FollowUpMonthIncident(db.Model):
    """The whole country's incidents of a category in a month, recounted with the month."""

    __tablename__ = "follow_up_month_incidents"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("incident_categories.id", ondelete="CASCADE"), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class FollowUpSpan(db.Model):
    """The distinct polare of the whole country over a range of months, counted once.

    Distinct polare do not add up over months, so the first country report of a range
    counts them from the walkers and keeps the count here with the revisions of the
    range's months (`stamp`); the count is current while those revisions are unchanged.
    """

    __tablename__ = "follow_up_spans"

    first_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    last_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    stamp: Mapped[str] = mapped_column(Text)
    polare: Mapped[int]


class FollowUpEventMonth(db.Model):
    """Whether the country's event counts of a month (`FollowUpEvent`) are current.

    Every change to an event or its invitations raises `version` of the event's month (old
    and new) in its own transaction; the counts were made from the data of `built_version`.
    """

    __tablename__ = "follow_up_event_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    built_version: Mapped[int | None]


class FollowUpEvent(db.Model):
    """The whole country's events of a type held in a month: held, invited and attended."""

    __tablename__ = "follow_up_events"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    type_id: Mapped[int] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), primary_key=True)
    held: Mapped[int] = mapped_column(default=0)
    invited: Mapped[int] = mapped_column(default=0)
    attended: Mapped[int] = mapped_column(default=0)


class FollowUpWalker(db.Model):
    """A polare who walked (attended a counted walk) with a team in a district in a month.

    Distinct polare do not add up, so a report counts them from these rows for each of its
    breakdowns (team, district, month, total).
    """

    __tablename__ = "follow_up_walkers"
    #: Distinct polare per month of the whole country, read in month and person order.
    __table_args__ = (Index("ix_follow_up_walkers_month_person", "month", "person_id"),)

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True, index=True)
    district_id: Mapped[int] = mapped_column(
        ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)


class FollowUpIncident(db.Model):
    """Incidents of a category on a team's counted walks in a district in a month."""

    __tablename__ = "follow_up_incidents"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    district_id: Mapped[int] = mapped_column(
        ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True, index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("incident_categories.id", ondelete="CASCADE"), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class FollowUpTeam(db.Model):
    """Whether a team's aggregates are current, and its open pay period's preliminary total.

    Every change that moves a team's figures raises `version` in its own transaction; the
    aggregates were built from the data of `built_version`, for `built_for` (the current
    month, the latest closed pay period, which decide which months are previewed, and the
    open period the start pages report).
    """

    __tablename__ = "follow_up_teams"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    built_version: Mapped[int | None]
    built_for: Mapped[str] = mapped_column(String(32), default="")
    #: The open period the start pages report when built, and the team's stipends in it.
    open_period: Mapped[str] = mapped_column(String(7), default="")
    open_stipends: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    #: Errors of the previews that left lines out: 'YYYY-MM: message' lines.
    preview_errors: Mapped[str] = mapped_column(Text, default="")
    #: Active polare, and those lacking required training, in the school year of the build.
    roster_year_id: Mapped[int | None]
    #: Completed walks waiting for approval, of every month.
    awaiting: Mapped[int] = mapped_column(default=0, server_default="0")
    active: Mapped[int] = mapped_column(default=0)
    missing_training: Mapped[int] = mapped_column(default=0)
