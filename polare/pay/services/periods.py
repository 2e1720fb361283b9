"""Pay periods: preview, close, and the list of months (SPEC §7).

Months are closed one by one from the first pay period, each after its last day (attesting
and reopening are in `attestation`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.orm import Session

import payroll
from polare.audit.services import record
from polare.auth.models import User
from polare.batch import cycle_collection_paused
from polare.clock import local_today, utcnow
from polare.errors import ConflictError, DomainError
from polare.pay.models import LineKind, PayLine, PayPeriod, PeriodStatus
from polare.pay.services.details import (
    LineDetail,
    Summary,
    details_of_result,
    stored_line_details,
    summarise,
    version_names,
)
from polare.pay.services.facts import (
    CLOSED_STATUSES,
    Facts,
    first_pay_period,
    load_facts,
    month_span,
    pay_calendar,
    persons_of_teams,
    stored_lines,
)
from polare.pay.wording import close_refusal_of
from polare.upserts import upsert
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkStatus


@dataclass(frozen=True)
class PeriodPreview:
    """A period's lines (computed when open, frozen when closed), errors and sums."""

    month: str
    status: PeriodStatus
    #: The stored row, if the period has one.
    period: PayPeriod | None
    lines: tuple[LineDetail, ...]
    errors: tuple[str, ...]
    summary: Summary
    latest_closed: str | None
    #: Why the period cannot be closed now; None when it can.
    refusal: DomainError | None
    first_period: str | None = None
    #: Before the first pay period: the lines are shown, never paid by Polare.
    outside: bool = False

    @property
    def close_refusal(self) -> str | None:
        """Say in the reader's language why the period cannot be closed now; None when it can."""
        return self.refusal.message if self.refusal is not None else None

    @property
    def is_open(self) -> bool:
        """Tell whether the period is open (its lines are preliminary)."""
        return self.status == PeriodStatus.OPEN

    @property
    def is_attested(self) -> bool:
        """Tell whether the period is attested: final."""
        return self.status == PeriodStatus.ATTESTED

    @property
    def is_next_to_close(self) -> bool:
        """Tell whether the period is the month to close next (once its last day has passed)."""
        return self.month == payroll.next_to_close(self.latest_closed, self.first_period)

    @cached_property
    def digest(self) -> str:
        """Return the lines' fingerprint: closing is refused if they changed since the review."""
        return lines_digest(self.lines)


@dataclass(frozen=True)
class PeriodRow:
    """A month as the list of periods shows it."""

    month: str
    status: PeriodStatus
    payable_walks: int
    total: Decimal | None
    closed_at: datetime | None
    closed_by: str
    #: The month to close next (once its last day has passed).
    closable_next: bool
    #: Before the first pay period: outside Polare's payroll.
    outside: bool = False
    attested_at: datetime | None = None
    attested_by: str = ""
    #: An open month's total as the data stands now (it may still change).
    preliminary: Decimal | None = None


def check_month(month: str) -> str:
    """Return the month if written 'YYYY-MM', else raise a DomainError."""
    try:
        payroll.parse_month(month)
    except payroll.InvalidMonthError as error:
        raise DomainError("pay.not_a_month", field="month", month=month) from error
    return month


def lines_digest(lines: tuple[LineDetail, ...]) -> str:
    """Return a fingerprint of what the lines pay, stable for the same data."""
    text = "\n".join(
        f"{d.line.kind.value} {d.line.participation_id} {d.line.person_id} {d.line.amount} "
        f"{d.line.refers_to} {d.line.age} {d.line.years} {d.line.version_id}"
        for d in lines
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _computed(session: Session, month: str, persons: Collection[int] | None
              ) -> tuple[Facts, payroll.PeriodResult, tuple[LineDetail, ...]]:
    """Load and compute an open month."""
    facts = load_facts(session, month, persons=persons)
    result = facts.compute()
    return facts, result, details_of_result(result, facts, version_names(session))


def stored_details(session: Session, *conditions: ColumnElement[bool]) -> tuple[LineDetail, ...]:
    """Return the frozen lines matching the conditions, with their details."""
    rows = stored_lines(session, *conditions)
    corrected = (
        select(PayLine.participation_id).join(PayPeriod, PayLine.period_id == PayPeriod.id)
        .where(*conditions, PayLine.kind == LineKind.CORRECTION)
    )
    history: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for pid, month, amount in session.execute(
        select(PayLine.participation_id, PayPeriod.month, PayLine.amount)
        .join(PayPeriod, PayLine.period_id == PayPeriod.id)
        .where(PayLine.participation_id.in_(corrected))
    ):
        history[pid].append((month, amount))
    referred = select(PayLine.refers_to_id).join(
        PayPeriod, PayLine.period_id == PayPeriod.id).where(*conditions)
    referred_rows = {
        line_id: (month, line_no) for line_id, month, line_no in session.execute(
            select(PayLine.id, PayPeriod.month, PayLine.line_no)
            .join(PayPeriod, PayLine.period_id == PayPeriod.id).where(PayLine.id.in_(referred)))
    }
    return stored_line_details(rows, history, version_names(session), referred_rows)


def close_refusal(month: str, result: payroll.PeriodResult, facts: Facts,
                  today: date) -> DomainError | None:
    """Return the refusal to close the month now; None when it can be closed."""
    try:
        payroll.check_close(month, result, facts.latest_closed, first_period=facts.first_period,
                            today=today, versions=facts.versions)
    except payroll.ClosePeriodError as error:
        return close_refusal_of(error, month, result)
    return None


def _stored_preview(session: Session, month: str, period: PayPeriod | None,
                    persons: Collection[int] | None, latest: str | None,
                    first: str | None) -> PeriodPreview:
    """Return a closed period's frozen lines."""
    conditions = [PayPeriod.month == month]
    if persons is not None:
        conditions.append(PayLine.person_id.in_(persons))
    lines = stored_details(session, *conditions)
    status = period.status if period is not None else PeriodStatus.CLOSED
    return PeriodPreview(
        month=month, status=status, period=period, lines=lines, errors=(),
        summary=summarise(lines), latest_closed=latest,
        refusal=DomainError("pay.period_closed", month=month),
        first_period=first,
    )


@cycle_collection_paused()
def preview_period(session: Session, month: str, *, person_id: int | None = None,
                   team_ids: Collection[int] | None = None,
                   today: date | None = None) -> PeriodPreview:
    """Return a period's lines: recomputed from the data when open, as frozen when closed.

    A month before the first pay period shows what its walks would pay, never paid. With
    person_id, only that person's lines (the totals are then that person's). With team_ids,
    only the lines of the persons who walked with those teams (all their lines, other teams'
    walks included: the caller picks the walks it wants).
    """
    persons: Collection[int] | None = None
    if person_id is not None:
        persons = [person_id]
    elif team_ids is not None:
        persons = persons_of_teams(session, team_ids)
    check_month(month)
    latest, first = pay_calendar(session)
    period = session.scalar(select(PayPeriod).where(PayPeriod.month == month))
    if payroll.is_outside(month, first):
        facts = load_facts(session, month, persons=persons)
        facts.latest_closed, facts.first_period, facts.frozen = None, None, []
        result = facts.compute()
        lines = details_of_result(result, facts, version_names(session))
        return PeriodPreview(
            month=month, status=PeriodStatus.OPEN, period=period, lines=lines,
            errors=result.errors, summary=summarise(lines), latest_closed=latest,
            refusal=DomainError("pay.period_outside", month=month, first=first),
            first_period=first, outside=True,
        )
    if payroll.is_closed(month, latest):
        return _stored_preview(session, month, period, persons, latest, first)
    facts, result, lines = _computed(session, month, persons)
    return PeriodPreview(
        month=month, status=PeriodStatus.OPEN, period=period, lines=lines,
        errors=result.errors, summary=summarise(lines), latest_closed=latest,
        refusal=close_refusal(month, result, facts, today or local_today()),
        first_period=first,
    )


def lock_period(session: Session, month: str) -> PayPeriod:
    """Return the period's row locked for this transaction (SELECT … FOR UPDATE), made if missing.

    Closing a period and paying into it take this lock, so they queue behind each other. On
    SQLite the whole write transaction already holds the database's lock (BEGIN IMMEDIATE).
    """
    check_month(month)
    session.execute(
        upsert(session, PayPeriod).values(month=month, status=PeriodStatus.OPEN)
        .on_conflict_do_nothing(index_elements=["month"])
    )
    return session.scalars(
        select(PayPeriod).where(PayPeriod.month == month)
        .with_for_update().execution_options(populate_existing=True)
    ).one()


def _stored_row(period: PayPeriod, detail: LineDetail, line_no: int) -> dict[str, Any]:
    """Return the values of the frozen line of a computed line."""
    line = detail.line
    return {
        "period_id": period.id, "kind": LineKind(line.kind.value),
        "participation_id": line.participation_id, "person_id": line.person_id,
        "walk_id": line.walk_id, "walk_date": line.walk_date, "start_time": line.start,
        "end_time": line.end, "team_name": line.team, "cost_centre": detail.cost_centre,
        "district_name": line.district, "personnummer": detail.personnummer or None,
        "first_name": detail.first_name, "last_name": detail.last_name, "age": line.age,
        "years": line.years, "rate_version_id": line.version_id or None,
        "band_label": line.band_label, "amount": line.amount,
        "refers_to_id": line.refers_to, "reason": line.reason, "line_no": line_no,
        "band_age_from": line.band_age_from, "band_age_to": line.band_age_to,
        "band_years_from": line.band_years_from, "band_years_to": line.band_years_to,
    }


def _refuse_unless_open(period: PayPeriod) -> None:
    """Refuse to close a month that is already closed or attested."""
    if period.status == PeriodStatus.ATTESTED:
        raise DomainError("pay.period_attested", month=period.month)
    if period.status == PeriodStatus.CLOSED:
        raise DomainError("pay.period_closed", month=period.month)


@cycle_collection_paused()
def close_period(session: Session, actor: User | None, month: str, *,
                 expected_digest: str | None = None, today: date | None = None) -> PayPeriod:
    """Freeze a period's lines and close it, waiting for attestation; refuse if anything stops it.

    The period's row is locked first, then the lines are computed from the data as it is
    now, so a walk approved meanwhile is either in these lines or a late entry next period.
    With expected_digest, refuse if the lines differ from those the user reviewed.
    """
    check_month(month)
    period = lock_period(session, month)
    _refuse_unless_open(period)
    try:
        payroll.check_order(month, *pay_calendar(session))
    except payroll.ClosePeriodError as error:
        raise close_refusal_of(error, month, payroll.PeriodResult(month, (), ())) from error
    facts, result, lines = _computed(session, month, None)
    refusal = close_refusal(month, result, facts, today or local_today())
    if refusal is not None:
        raise refusal
    if expected_digest is not None and expected_digest != lines_digest(lines):
        raise ConflictError("pay.lines_changed")
    if lines:
        # One Core executemany: the ORM's bulk insert would take each of 60,000 rows through
        # the mapper first.
        session.connection().execute(insert(PayLine.__table__),
                                     [_stored_row(period, d, n) for n, d in enumerate(lines, 1)])
    total = payroll.grand_total(d.line for d in lines)
    period.status = PeriodStatus.CLOSED
    period.closed_by_id = getattr(actor, "id", None)
    period.closed_at = utcnow()
    period.total = total
    session.flush()
    record(session, actor, "close", "pay_period", period.id,
           changes={"status": ["open", "closed"], "total": [None, str(total)]},
           note=f"{month}: {len(lines)} rader", persons={d.line.person_id for d in lines})
    return period


def _payable_walks_per_month(session: Session) -> dict[str, int]:
    """Return the number of payable participations per month, from one grouped query."""
    per_month: dict[str, int] = defaultdict(int)
    for day, count in session.execute(
        select(Walk.walk_date, func.count(Participation.id))
        .join(Participation, Participation.walk_id == Walk.id)
        .where(Walk.status == WalkStatus.APPROVED,
               Participation.status == ParticipationStatus.ATTENDED)
        .group_by(Walk.walk_date)
    ):
        per_month[payroll.month_of(day)] += count
    return per_month


def _display_names(session: Session) -> dict[int, str]:
    """Return every user's display name by id (a handful of staff)."""
    return {user.id: user.display_name for user in session.scalars(select(User))}


def list_periods(session: Session, today: date) -> list[PeriodRow]:
    """Return every month with a period row, paid walks, or today, and the month to close
    next (walks or not): that one first, then newest first. Open months of the payroll up to
    today's carry their preliminary total."""
    payable = _payable_walks_per_month(session)
    stored = {period.month: period for period in session.scalars(select(PayPeriod))}
    names = _display_names(session)
    latest, first = pay_calendar(session)
    upcoming = payroll.next_to_close(latest, first)
    shown = {*payable, *stored, payroll.month_of(today)}
    if upcoming is not None and upcoming <= payroll.month_of(today):
        shown.add(upcoming)
    months = sorted(shown, reverse=True)
    rows = []
    for month in months:
        period = stored.get(month)
        status = period.status if period is not None else PeriodStatus.OPEN
        closed = status in CLOSED_STATUSES
        rows.append(PeriodRow(
            month=month, status=status, payable_walks=payable.get(month, 0),
            total=period.total if period is not None and closed else None,
            closed_at=period.closed_at if closed else None,
            closed_by=names.get(period.closed_by_id, "") if closed else "",
            closable_next=month == upcoming and payroll.last_day(month) < today,
            outside=payroll.is_outside(month, first),
            attested_at=period.attested_at if period is not None else None,
            attested_by=names.get(period.attested_by_id, "") if period is not None else "",
            preliminary=_preliminary_total(session, month, today)
            if not closed and not payroll.is_outside(month, first)
            and month <= payroll.month_of(today) else None,
        ))
    rows.sort(key=lambda row: row.month != upcoming)  # stable: the rest stay newest first
    return rows


def _preliminary_total(session: Session, month: str, today: date) -> Decimal:
    """Return what an open month would pay if it were closed with the data as it stands."""
    return preview_period(session, month, today=today).summary.total.amount


def outside_before(session: Session, month: str) -> int:
    """Return the payable participations before the first pay period: never paid by Polare."""
    first = first_pay_period(session)
    if first is None or month < first:
        return 0
    return session.scalar(
        select(func.count(Participation.id)).join(Walk, Participation.walk_id == Walk.id)
        .where(Walk.walk_date < month_span(first)[0], Walk.status == WalkStatus.APPROVED,
               Participation.status == ParticipationStatus.ATTENDED)
    ) or 0
