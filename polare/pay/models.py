"""Stored inputs and frozen outputs of the stipend payroll."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from polare.clock import utcnow
from polare.dbtypes import ExactDecimal
from polare.extensions import db, str_enum
from polare.names import localized

#: Exact on every database (integer öre on SQLite, where NUMERIC would hold a float).
MONEY = ExactDecimal(12, 2)


class RateVersion(db.Model):
    """A stipend rate table in force from a date until the next version."""

    __tablename__ = "rate_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(unique=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    #: The label and note in English; empty: the Swedish ones are shown to English readers.
    label_en: Mapped[str] = mapped_column(String(120), default="", server_default="")
    note_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Set when made by indexation from another version.
    indexed_from_id: Mapped[int | None] = mapped_column(ForeignKey("rate_versions.id"))
    index_percent: Mapped[Decimal | None] = mapped_column(ExactDecimal(6, 2))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def shown_label(self) -> str:
        """Return the label in the reader's language."""
        return localized(self.label, self.label_en)

    @property
    def shown_note(self) -> str:
        """Return the note in the reader's language."""
        return localized(self.note, self.note_en)
    #: The decision behind the amounts (e.g. a diarienummer); empty for example tables.
    decision_reference: Mapped[str] = mapped_column(String(120), default="", server_default="")
    decision_date: Mapped[date | None]
    #: users.id of who recorded the decision. No foreign key: one would need SQLite to copy
    #: this parent table, and its rows' children would go with the old copy.
    decided_by_id: Mapped[int | None]
    decided_at: Mapped[datetime | None]

    @property
    def decided(self) -> bool:
        """Tell whether the version carries its decision; only then may a month using it close."""
        return bool(self.decision_reference) and self.decision_date is not None

    rows: Mapped[list[RateRow]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        order_by="(RateRow.age_from, RateRow.years_from)",
    )


class RateRow(db.Model):
    """One band: ages and years in programme (bounds inclusive, None = open) and its amount."""

    __tablename__ = "rate_rows"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("age_to IS NULL OR age_to >= age_from", name="age_band"),
        CheckConstraint(
            "years_from >= 1 AND (years_to IS NULL OR years_to >= years_from)",
            name="years_band",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("rate_versions.id", ondelete="CASCADE"), index=True
    )
    age_from: Mapped[int]
    age_to: Mapped[int | None]
    years_from: Mapped[int]
    years_to: Mapped[int | None]
    amount: Mapped[Decimal] = mapped_column(MONEY)

    version: Mapped[RateVersion] = relationship(back_populates="rows")


class PeriodStatus(enum.StrEnum):
    OPEN = "open"
    #: Closed and frozen, waiting for a second person to attest it.
    CLOSED = "closed"
    #: Attested: final, never changed, never reopened.
    ATTESTED = "attested"


class PayPeriod(db.Model):
    """A calendar month of payroll; its row is also locked while closing or paying into it."""

    __tablename__ = "pay_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 'YYYY-MM'.
    month: Mapped[str] = mapped_column(String(7), unique=True)
    status: Mapped[PeriodStatus] = mapped_column(
        str_enum(PeriodStatus, 10), default=PeriodStatus.OPEN
    )
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None]
    total: Mapped[Decimal | None] = mapped_column(MONEY)
    #: users.id of the attestant, and below of who reopened the period last. No foreign keys:
    #: one would need SQLite to copy this parent table (see the migration e5a7c3d1f2b4).
    attested_by_id: Mapped[int | None]
    attested_at: Mapped[datetime | None]
    #: The latest reopening (each one is also in the audit log).
    reopened_by_id: Mapped[int | None]
    reopened_at: Mapped[datetime | None]
    reopen_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")

    lines: Mapped[list[PayLine]] = relationship(back_populates="period", order_by="PayLine.id")


class LineKind(enum.StrEnum):
    ORDINARY = "ordinary"
    LATE = "late"
    CORRECTION = "correction"


class PayLine(db.Model):
    """A frozen line of a closed period; never edited, only corrected by later lines."""

    __tablename__ = "pay_lines"
    __table_args__ = (
        # Nothing is paid twice: one ordinary or late line per participation, whatever races.
        Index(
            "uq_pay_lines_participation_paid",
            "participation_id",
            unique=True,
            sqlite_where=text("kind != 'correction'"),
            postgresql_where=text("kind != 'correction'"),
        ),
        Index("ix_pay_lines_person", "person_id"),
        #: Every line of a participation (corrections included), for corrections and history.
        Index("ix_pay_lines_participation", "participation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("pay_periods.id"), index=True)
    kind: Mapped[LineKind] = mapped_column(str_enum(LineKind, 20))
    #: participations.id at the time; deliberately no foreign key, the participation may go.
    participation_id: Mapped[int]
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    walk_id: Mapped[int] = mapped_column(ForeignKey("walks.id"), index=True)
    walk_date: Mapped[date]
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    team_name: Mapped[str] = mapped_column(String(80), default="")
    cost_centre: Mapped[str] = mapped_column(String(40), default="")
    district_name: Mapped[str] = mapped_column(String(80), default="")
    #: Kept for the accounting retention period even after the person is anonymised.
    personnummer: Mapped[str | None] = mapped_column(String(13))
    first_name: Mapped[str] = mapped_column(String(80), default="")
    last_name: Mapped[str] = mapped_column(String(80), default="")
    age: Mapped[int]
    years: Mapped[int]
    rate_version_id: Mapped[int | None] = mapped_column(ForeignKey("rate_versions.id"))
    #: The band in Swedish words, as the payroll file and the pay rules write it.
    band_label: Mapped[str] = mapped_column(String(120), default="")
    #: The band's bounds (None: open-ended; all None on a line whose band is not known).
    band_age_from: Mapped[int | None]
    band_age_to: Mapped[int | None]
    band_years_from: Mapped[int | None]
    band_years_to: Mapped[int | None]
    amount: Mapped[Decimal] = mapped_column(MONEY)
    #: For corrections: the ordinary or late line this one corrects.
    refers_to_id: Mapped[int | None] = mapped_column(ForeignKey("pay_lines.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    #: The line's row number (Rad) in its period's Underlag, from 1.
    line_no: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    period: Mapped[PayPeriod] = relationship(back_populates="lines")


class PayrollExport(db.Model):
    """A payroll workbook that was downloaded, so the final file can be told apart."""

    __tablename__ = "payroll_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    period_status: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(80))
    row_count: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
