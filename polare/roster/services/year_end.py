"""Closing a school year: its open enrolments end or are declined once the year is over.

An enrolment left open after its year (an applicant nobody handled, a polare never ended)
would keep its person from retention for ever. The day after a school year's last day, its
active enrolments end on that last day and its applicants and waitlisted are declined as not
handled ("ej hanterad"). A daily command (`flask roster close-years`) does it, and so does the
first request after the year ends; each change is audited and listed for the coordinator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, exists, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from polare.audit.models import AuditEntry
from polare.audit.services import changes_between, record, snapshot
from polare.org.models import SchoolYear
from polare.roster.models import Enrolment, EnrolmentStatus
from polare.roster.services.enrolments import AUDIT_STATUS_NAMES, ENROLMENT_FIELDS

YEAR_END_ACTION = "year_end"
#: End reason of an active enrolment closed at the end of its year.
YEAR_ENDED_REASON = "läsåret slut"
#: End reason of an applicant or waitlisted enrolment declined at the end of its year.
UNHANDLED_REASON = "ej hanterad"
OPEN_STATUSES = (EnrolmentStatus.APPLICANT, EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITLISTED)
#: How long the roster lists the enrolments closed at a year's end.
SHOWN_FOR = timedelta(days=60)


@dataclass(frozen=True)
class ClosedEnrolment:
    """An enrolment that the end of its school year closed."""

    enrolment_id: int
    person_id: int
    school_year: str
    old_status: EnrolmentStatus
    new_status: EnrolmentStatus


def open_enrolments_of_ended_years(session: Session, *, on: date) -> bool:
    """Tell whether any enrolment is still open in a school year that ended before the day."""
    return bool(session.scalar(select(exists().where(
        Enrolment.school_year_id == SchoolYear.id, Enrolment.status.in_(OPEN_STATUSES),
        SchoolYear.ends_on < on))))


def _close(enrolment: Enrolment, year: SchoolYear) -> EnrolmentStatus:
    if enrolment.status == EnrolmentStatus.ACTIVE:
        enrolment.status = EnrolmentStatus.ENDED
        enrolment.ended_on = max(year.ends_on, enrolment.activated_on or year.ends_on)
        enrolment.end_reason = enrolment.end_reason or YEAR_ENDED_REASON
    else:
        enrolment.status = EnrolmentStatus.DECLINED
        enrolment.end_reason = enrolment.end_reason or UNHANDLED_REASON
    return enrolment.status


def close_ended_years(session: Session, actor: object, *, on: date) -> list[ClosedEnrolment]:
    """Close every enrolment still open in a school year that ended before the day; audit each."""
    enrolments = session.scalars(
        select(Enrolment).join(SchoolYear, SchoolYear.id == Enrolment.school_year_id)
        .where(Enrolment.status.in_(OPEN_STATUSES), SchoolYear.ends_on < on)
        .options(contains_eager(Enrolment.school_year))
        .order_by(SchoolYear.starts_on, Enrolment.id)
        .with_for_update(of=Enrolment)
        .execution_options(populate_existing=True)
    ).all()
    closed = []
    for enrolment in enrolments:
        year = enrolment.school_year
        before = snapshot(enrolment, ENROLMENT_FIELDS)
        old = enrolment.status
        new = _close(enrolment, year)
        session.flush()
        record(session, actor, YEAR_END_ACTION, "enrolment", enrolment.id,
               changes=changes_between(before, snapshot(enrolment, ENROLMENT_FIELDS)),
               note=(f"{AUDIT_STATUS_NAMES[old]} → {AUDIT_STATUS_NAMES[new]}: läsåret "
                     f"{year.label} slutade {year.ends_on.isoformat()}"),
               persons=[enrolment.person_id])
        closed.append(ClosedEnrolment(enrolment.id, enrolment.person_id, year.label, old, new))
    return closed


@dataclass(frozen=True)
class RecentlyClosed:
    """An enrolment of the team closed at its year's end, as the roster lists it."""

    enrolment: Enrolment
    closed_at: datetime
    old_status: EnrolmentStatus


def recently_closed(session: Session, team_id: int, *, now: datetime) -> list[RecentlyClosed]:
    """Return the team's enrolments closed at a year's end in the last weeks, newest first."""
    rows = session.execute(
        select(Enrolment, AuditEntry.at, AuditEntry.changes)
        .join(AuditEntry, AuditEntry.entity_id == cast(Enrolment.id, String))
        .where(AuditEntry.entity == "enrolment", AuditEntry.action == YEAR_END_ACTION,
               AuditEntry.at >= now - SHOWN_FOR, Enrolment.team_id == team_id)
        .options(joinedload(Enrolment.person), joinedload(Enrolment.school_year))
        .order_by(AuditEntry.at.desc(), Enrolment.id)
    ).all()
    return [
        RecentlyClosed(enrolment, at, EnrolmentStatus((changes or {})["status"][0]))
        for enrolment, at, changes in rows
    ]
