"""Attesting a closed pay period, or reopening it until then (SPEC §7).

A closed month is attested by a second person with attesträtt and is then final. Until then
the closer or an attestant may reopen the latest closed month with a reason: its frozen lines
are removed and it is recomputed from the data like any open month.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

import payroll
from polare.audit.services import record
from polare.auth.models import User
from polare.clock import utcnow
from polare.errors import DomainError, PermissionDeniedError
from polare.pay.models import PayLine, PayPeriod, PeriodStatus
from polare.pay.services.facts import latest_closed_month
from polare.pay.services.periods import check_month, lock_period


def _locked_closed(session: Session, month: str) -> PayPeriod:
    """Return the month's row locked, refusing a month that is not closed."""
    check_month(month)
    period = lock_period(session, month)
    if period.status == PeriodStatus.OPEN:
        raise DomainError("pay.period_not_closed", month=month)
    if period.status == PeriodStatus.ATTESTED:
        raise DomainError("pay.period_attested", month=month)
    return period


def _paid_persons(session: Session, period: PayPeriod) -> set[int]:
    """Return the polare the period's frozen lines pay (the audit entry refers to them)."""
    return set(session.scalars(
        select(PayLine.person_id).where(PayLine.period_id == period.id).distinct()))


def _refuse_attestation(period: PayPeriod | None, actor: User, month: str) -> None:
    """Refuse unless the month is closed, not attested, and the actor may attest its close."""
    if period is None or period.status == PeriodStatus.OPEN:
        raise DomainError("pay.period_not_closed", month=month)
    if period.status == PeriodStatus.ATTESTED:
        raise DomainError("pay.period_attested", month=month)
    if not actor.can_attest:
        raise PermissionDeniedError("pay.no_attest_right", name=actor.display_name)
    if period.closed_by_id is None:
        raise DomainError("pay.closed_by_nobody", month=month)
    if period.closed_by_id == actor.id:
        raise PermissionDeniedError("pay.attest_by_closer", month=month)


def attest_refusal(session: Session, actor: User, month: str) -> DomainError | None:
    """Return why the actor cannot attest the month as it stands (no lock); None if they can."""
    check_month(month)
    try:
        _refuse_attestation(
            session.scalar(select(PayPeriod).where(PayPeriod.month == month)), actor, month)
    except DomainError as refusal:
        return refusal
    return None


def attest_period(session: Session, actor: User, month: str) -> PayPeriod:
    """Attest a closed month as a second person with attesträtt: it becomes final."""
    check_month(month)
    period = lock_period(session, month)
    _refuse_attestation(period, actor, month)
    payroll.check_transition(period.status.value, PeriodStatus.ATTESTED.value)
    period.status = PeriodStatus.ATTESTED
    period.attested_by_id = actor.id
    period.attested_at = utcnow()
    session.flush()
    record(session, actor, "attest", "pay_period", period.id,
           changes={"status": ["closed", "attested"]}, note=month,
           persons=_paid_persons(session, period))
    return period


def reopen_period(session: Session, actor: User, month: str, reason: str) -> PayPeriod:
    """Reopen the latest closed month before it is attested: its lines are unfrozen.

    Only the closer or an attestant may, with a reason. The next month's row is locked first
    (as closing it does), so a reopening and the next month's close cannot both happen.
    """
    reason = reason.strip()
    if not reason:
        raise DomainError("pay.reopen_reason_missing", field="reason")
    lock_period(session, payroll.next_month(check_month(month)))
    period = _locked_closed(session, month)
    latest = latest_closed_month(session)
    if latest != month:
        raise DomainError("pay.reopen_out_of_turn", month=month, latest=latest)
    if actor.id != period.closed_by_id and not actor.can_attest:
        raise PermissionDeniedError("pay.reopen_not_allowed")
    payroll.check_transition(period.status.value, PeriodStatus.OPEN.value)
    unlocked_persons = _paid_persons(session, period)
    removed = session.execute(delete(PayLine).where(PayLine.period_id == period.id)).rowcount
    total = period.total
    period.status = PeriodStatus.OPEN
    period.closed_by_id = period.closed_at = period.total = None
    period.reopened_by_id = actor.id
    period.reopened_at = utcnow()
    period.reopen_reason = reason
    session.flush()
    record(session, actor, "reopen", "pay_period", period.id,
           changes={"status": ["closed", "open"], "total": [str(total), None]},
           note=f"{month}: {removed} rader upplåsta. {reason}", persons=unlocked_persons)
    return period
