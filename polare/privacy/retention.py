"""Retention (gallring): anonymise polare whose last enrolment ended long enough ago.

A person is due when none of their enrolments is open (applicant, active or waitlisted) and the
last one closed more than `Settings.retention_months` before the day: an ended enrolment
closes on its end date, a declined one at the end of its school year. A person who never had
an enrolment is due counted from when the record was created. Anonymising keeps the birth
date, enrolments, attendance and walks (aggregate statistics stay the same) and removes
names, personnummer, contact details, school, notes, end reasons and guardians, and the
person's names and details wherever the notes of their walks and events quote them.

Name and personnummer on pay lines are accounting records: they are kept until 7 full years
after the end of the year of the person's last payment (last paid in 2019: kept through
2026-12-31) and anonymised only after that, once the person is anonymised. Amounts are never
touched, so payroll totals stay the same.
"""

from __future__ import annotations

import hashlib
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from polare.audit.services import record
from polare.clock import utcnow
from polare.database import Overwritten, overwrite_deleted_data
from polare.errors import ConflictError, DomainError
from polare.events.models import Event, Invitation
from polare.org.models import SchoolYear
from polare.org.services import get_settings
from polare.pay.models import PayLine, PayPeriod
from polare.privacy.redaction import (
    PersonalTrace,
    personnummer_forms,
    redact_person_trace,
    redact_quotes,
    redact_text,
)
from polare.recruitment.applications import erase_applications
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.roster.sorting import swedish_sort_key
from polare.walks.models import Participation, Walk

ANONYMISED_NAME = "Anonymiserad"
#: Full calendar years pay lines keep name and personnummer after the year of the last payment.
ACCOUNTING_YEARS = 7
OPEN_STATUSES = (EnrolmentStatus.APPLICANT, EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITLISTED)
#: The tables a purge changes: their old row versions are overwritten after it (VACUUM).
PURGED_TABLES = ("persons", "guardians", "enrolments", "applications", "consent_requests",
                 "walks", "events", "pay_lines", "audit_entries")


@dataclass(frozen=True)
class PersonDue:
    """A person whose data is to be anonymised."""

    person_id: int
    name: str
    birth_year: int
    #: The day the last enrolment closed, or None when the person never had one.
    last_closed: date | None
    #: The day the retention time is counted from (last_closed, or the record's creation).
    counted_from: date


@dataclass(frozen=True)
class PayLinesDue:
    """A person whose pay lines have outlived the accounting retention time."""

    person_id: int
    name: str
    last_payment_year: int
    line_count: int

    @property
    def kept_through(self) -> date:
        return accounting_kept_through(self.last_payment_year)


@dataclass(frozen=True)
class PurgePlan:
    """What a purge on `on` would change; the dry run shows it, the purge carries it out."""

    on: date
    retention_months: int
    #: A person is due when their retention time is counted from a day before this.
    cutoff: date
    decision_ref: str
    persons: tuple[PersonDue, ...] = ()
    pay_lines: tuple[PayLinesDue, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.persons and not self.pay_lines

    @property
    def latest_purgeable_payment_year(self) -> int:
        """Pay lines of persons last paid in this year or earlier are due."""
        return self.on.year - ACCOUNTING_YEARS - 1

    @property
    def token(self) -> str:
        """Return a fingerprint of the plan, so a purge runs exactly what was reviewed."""
        text = "|".join([
            self.on.isoformat(),
            ",".join(str(due.person_id) for due in self.persons),
            ",".join(f"{due.person_id}:{due.line_count}" for due in self.pay_lines),
        ])
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PurgeResult:
    decision_ref: str
    persons: int
    pay_line_persons: int
    pay_lines: int
    audit_entries_redacted: int


def months_before(day: date, months: int) -> date:
    """Return the same day `months` calendar months earlier (clamped to the month's end)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def accounting_kept_through(last_payment_year: int) -> date:
    """Return the last day pay lines of a person last paid in that year must be kept."""
    return date(last_payment_year + ACCOUNTING_YEARS, 12, 31)


def _persons_due(session: Session, cutoff: date) -> list[PersonDue]:
    closed_on = func.coalesce(Enrolment.ended_on, SchoolYear.ends_on)
    last_closed = func.max(closed_on)
    open_count = func.sum(case((Enrolment.status.in_(OPEN_STATUSES), 1), else_=0))
    enrolment_count = func.count(Enrolment.id)
    created_cutoff = datetime.combine(cutoff, datetime.min.time())
    rows = session.execute(
        select(Person.id, Person.first_name, Person.last_name, Person.birth_date,
               Person.created_at, last_closed)
        .outerjoin(Enrolment, Enrolment.person_id == Person.id)
        .outerjoin(SchoolYear, SchoolYear.id == Enrolment.school_year_id)
        .where(Person.anonymised_at.is_(None))
        .group_by(Person.id)
        .having(func.coalesce(open_count, 0) == 0)
        .having(or_(
            and_(enrolment_count > 0, last_closed < cutoff),
            and_(enrolment_count == 0, Person.created_at < created_cutoff),
        ))
        .order_by(Person.id)
    )
    return [
        PersonDue(
            person_id=person_id, name=f"{first} {last}".strip(), birth_year=birth.year,
            last_closed=closed, counted_from=closed or created.date(),
        )
        for person_id, first, last, birth, created, closed in rows
    ]


def _line_not_anonymised():
    return or_(PayLine.personnummer.is_not(None), PayLine.first_name != ANONYMISED_NAME,
               PayLine.last_name != "")


def _pay_lines_due(
    session: Session, on: date, newly_anonymised: Iterable[int]
) -> list[PayLinesDue]:
    latest_year = on.year - ACCOUNTING_YEARS - 1
    pending = func.sum(case((_line_not_anonymised(), 1), else_=0))
    last_month = func.max(PayPeriod.month)
    rows = session.execute(
        select(PayLine.person_id, Person.anonymised_at, func.max(PayLine.first_name),
               func.max(PayLine.last_name), last_month, pending)
        .join(PayPeriod, PayPeriod.id == PayLine.period_id)
        .join(Person, Person.id == PayLine.person_id)
        .group_by(PayLine.person_id, Person.anonymised_at)
        .having(pending > 0)
        .having(last_month < f"{latest_year + 1:04d}-01")
        .order_by(PayLine.person_id)
    )
    newly = set(newly_anonymised)
    return [
        PayLinesDue(person_id=person_id, name=f"{first} {last}".strip(),
                    last_payment_year=int(month[:4]), line_count=int(count))
        for person_id, anonymised_at, first, last, month, count in rows
        if anonymised_at is not None or person_id in newly
    ]


def plan_purge(session: Session, *, on: date) -> PurgePlan:
    """Return what a purge on the day would anonymise; changes nothing."""
    settings = get_settings(session)
    cutoff = months_before(on, settings.retention_months)
    persons = _persons_due(session, cutoff)
    pay_lines = _pay_lines_due(session, on, (due.person_id for due in persons))
    return PurgePlan(
        on=on, retention_months=settings.retention_months, cutoff=cutoff,
        decision_ref=settings.deletion_decision_ref.strip(), persons=tuple(persons),
        pay_lines=tuple(pay_lines),
    )


def _trace_of(session: Session, person: Person) -> PersonalTrace:
    enrolment_ids = frozenset(enrolment.id for enrolment in person.enrolments)
    invitation_ids = frozenset(session.scalars(
        select(Invitation.id).where(Invitation.person_id == person.id)))
    participation_ids = frozenset(session.scalars(
        select(Participation.id).where(Participation.person_id == person.id)))
    strings = {person.first_name, person.last_name, person.full_name, person.phone,
               person.email, person.address, person.notes}
    for guardian in person.guardians:
        strings.update({guardian.name, guardian.phone, guardian.email})
    strings.update(enrolment.end_reason for enrolment in person.enrolments)
    return PersonalTrace(
        records={
            "person": frozenset({person.id}),
            "enrolment": enrolment_ids,
            "invitation": invitation_ids,
            "participation": participation_ids,
            "guardian": frozenset(guardian.id for guardian in person.guardians),
        },
        strings=frozenset(s for s in strings if s),
        personnummer_forms=personnummer_forms(person.personnummer),
        person_ids=frozenset({person.id}),
    )


def _redact_notes(session: Session, person_id: int, trace: PersonalTrace) -> int:
    """Take the person's names and details out of the notes of their walks and events.

    A walk's entries refer to its polare, so the purge redacts them already; an event's
    history is redacted here. Return how many audit entries changed.
    """
    walks = session.scalars(
        select(Walk).join(Participation, Participation.walk_id == Walk.id)
        .where(Participation.person_id == person_id, Walk.note != ""))
    for walk in walks:
        if (note := redact_text(walk.note, trace)) != walk.note:
            walk.note = note
    events = session.scalars(
        select(Event).join(Invitation, Invitation.event_id == Event.id)
        .where(Invitation.person_id == person_id)).all()
    for event in events:
        if (notes := redact_text(event.notes, trace)) != event.notes:
            event.notes = notes
    session.flush()
    return redact_quotes(session, "event", (event.id for event in events), trace)


def _anonymise_person(
    session: Session, actor: object, person: Person, due: PersonDue, ref: str, now: datetime
) -> int:
    """Anonymise one person, redact their audit trail and record the purge."""
    trace = _trace_of(session, person)
    guardian_count = len(person.guardians)
    for enrolment in person.enrolments:
        enrolment.consent_guardian_id = None
        enrolment.end_reason = ""
    person.guardians.clear()  # their consent links go with them (ON DELETE CASCADE)
    erase_applications(session, person.id)
    person.personnummer = None
    person.first_name, person.last_name = ANONYMISED_NAME, ""
    person.sort_key = swedish_sort_key("", ANONYMISED_NAME)
    person.phone = person.email = person.address = person.school = person.notes = ""
    person.anonymised_at = now
    session.flush()
    redacted = redact_person_trace(session, trace)
    redacted += _redact_notes(session, person.id, trace)
    counted = (f"sista inskrivningen avslutad {due.last_closed.isoformat()}" if due.last_closed
               else f"ingen inskrivning, registrerad {due.counted_from.isoformat()}")
    record(session, actor, "purge", "person", person.id,
           changes={"anonymised_at": [None, now.isoformat()]},
           note=(f"Gallringsbeslut {ref}: namn, personnummer, kontaktuppgifter, skola, "
                 f"anteckningar och {guardian_count} vårdnadshavare borttagna ({counted})."))
    return redacted


def _anonymise_pay_lines(session: Session, actor: object, due: PayLinesDue, ref: str) -> int:
    """Anonymise the name and personnummer on a person's pay lines and record it."""
    lines = session.scalars(
        select(PayLine).where(PayLine.person_id == due.person_id, _line_not_anonymised())
    ).all()
    forms: set[str] = set()
    for line in lines:
        forms |= personnummer_forms(line.personnummer)
        line.personnummer = None
        line.first_name, line.last_name = ANONYMISED_NAME, ""
    session.flush()
    redacted = redact_person_trace(session, PersonalTrace(
        records={"pay_line": frozenset(line.id for line in lines)},
        strings=frozenset(), personnummer_forms=frozenset(forms)))
    record(session, actor, "purge", "person", due.person_id,
           changes={"pay_lines_anonymised": [0, len(lines)]},
           note=(f"Gallringsbeslut {ref}: namn och personnummer på {len(lines)} lönerader "
                 f"anonymiserade (sista utbetalning {due.last_payment_year}, bevarade till och "
                 f"med {due.kept_through.isoformat()})."))
    return redacted


def _lock_persons(session: Session, person_ids: list[int]) -> dict[int, Person]:
    """Lock the persons' rows so no enrolment can be added to them while they are purged."""
    if not person_ids:
        return {}
    persons = session.scalars(
        select(Person).where(Person.id.in_(person_ids))
        .options(selectinload(Person.guardians), selectinload(Person.enrolments))
        .with_for_update(of=Person)
        .execution_options(populate_existing=True)  # what was read before the lock may be old
    ).all()
    return {person.id: person for person in persons}


def overwrite_purged_data(engine: Engine, *, wait_ms: int) -> Overwritten:
    """After a committed purge, overwrite what it deleted in the database files."""
    return overwrite_deleted_data(engine, PURGED_TABLES, wait_ms=wait_ms)


def run_purge(
    session: Session, actor: object, *, on: date, expected_token: str | None = None
) -> PurgeResult:
    """Anonymise everything due on the day under the deletion decision; audit each purge."""
    settings = get_settings(session)
    ref = settings.deletion_decision_ref.strip()
    if not ref:
        raise DomainError("privacy.decision_missing", field="confirm")
    persons: dict[int, Person] = {}
    while True:  # plan until every person in the plan was locked before it was planned
        plan = plan_purge(session, on=on)
        unlocked = [due.person_id for due in plan.persons if due.person_id not in persons]
        if not unlocked:
            break
        persons |= _lock_persons(session, unlocked)
    if expected_token is not None and plan.token != expected_token:
        raise ConflictError("privacy.plan_changed")
    now = utcnow()
    redacted = 0
    for due in plan.persons:
        redacted += _anonymise_person(session, actor, persons[due.person_id], due, ref, now)
    line_count = 0
    for due in plan.pay_lines:
        redacted += _anonymise_pay_lines(session, actor, due, ref)
        line_count += due.line_count
    if not plan.is_empty:
        record(session, actor, "purge", "retention", on.isoformat(),
               note=(f"Gallring enligt {ref}: {len(plan.persons)} personer anonymiserade, "
                     f"lönerader för {len(plan.pay_lines)} personer anonymiserade."))
    return PurgeResult(
        decision_ref=ref, persons=len(plan.persons), pay_line_persons=len(plan.pay_lines),
        pay_lines=line_count, audit_entries_redacted=redacted,
    )
