"""Inputs of the follow-up reports that admin keeps: employer contributions and budgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from polare.extensions import db


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
    rate_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    #: Seeded example values, to be checked against the current law before use.
    is_example: Mapped[bool] = mapped_column(default=False)


class Budget(db.Model):
    """The stipend budget of a school year, drawn as a line on the cost chart."""

    __tablename__ = "budgets"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_years.id"), unique=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
