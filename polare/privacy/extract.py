"""Registerutdrag: everything stored about one person, as a workbook (GDPR art. 15).

One sheet per kind of record, with every stored column: the person, guardians, enrolments,
invitations to events, walks, the months the follow-up counts them as a walker, pay lines,
applications and consent links, every audit entry that refers to the person (by id, or filed
under one of their records) and every disclosure: each export whose file held their data,
when, which file and the role of who downloaded it. User text is written as text, never as a
formula (exports.xlsx).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from exports.xlsx import Sheet, write_workbook
from polare.audit.models import AuditEntry, AuditEntryPerson
from polare.audit.services import record
from polare.auth.services import usernames_by_id
from polare.errors import NotFoundError
from polare.events.models import Event, Invitation
from polare.org.models import Team
from polare.pay.models import PayLine, PayPeriod
from polare.recruitment.extract import recruitment_sheets
from polare.reports.models import FollowUpWalker
from polare.roster.models import Enrolment, Guardian, Person
from polare.walks.models import Participation, Walk

ENROLMENT_STATUS = {"applicant": "sökande", "active": "aktiv", "waitlisted": "väntelista",
                    "declined": "avböjd", "ended": "avslutad"}
ATTENDANCE = {"invited": "inbjuden", "scheduled": "planerad", "attended": "närvarande",
              "absent": "frånvarande"}
WALK_STATUS = {"planned": "planerad", "completed": "genomförd", "approved": "godkänd",
               "cancelled": "inställd"}
LINE_KIND = {"ordinary": "ordinarie", "late": "efterregistrering", "correction": "rättelse"}
ROLE_NAMES = {"admin": "administratör", "coordinator": "samordnare", "supervisor": "arbetsledare",
              "payroll": "lön", "": "systemet"}
#: Audit actions that handed a file with the person's data to someone.
DISCLOSURE_ACTIONS = ("export", "download")
EXPORT_KINDS = {"roster": "Polarelista", "walk_log": "Nattvandringslogg",
                "pay_period": "Löneunderlag", "person": "Registerutdrag",
                "workbook": "Arbetsbok"}


@dataclass(frozen=True)
class ExtractSummary:
    """How many records of each kind are stored about a person."""

    guardians: int
    enrolments: int
    invitations: int
    participations: int
    pay_lines: int
    audit_entries: int
    disclosures: int


def _yes_no(value: bool) -> str:
    return "Ja" if value else "Nej"


def _person_sheet(person: Person) -> Sheet:
    rows: list[tuple[str, Any]] = [
        ("Id", person.id),
        ("Personnummer", person.personnummer or ""),
        ("Förnamn", person.first_name),
        ("Efternamn", person.last_name),
        ("Födelsedatum", person.birth_date),
        ("Telefon", person.phone),
        ("E-post", person.email),
        ("Adress", person.address),
        ("Skola", person.school),
        ("Anteckningar", person.notes),
        ("År i verksamheten före systemet", person.prior_years),
        ("Registrerad", person.created_at),
        ("Anonymiserad", person.anonymised_at),
    ]
    return Sheet("Person", ("Uppgift", "Värde"), rows, widths=(32, 60))


def _guardian_sheet(person: Person) -> Sheet:
    rows = [(g.name, g.relation, g.phone, g.email) for g in person.guardians]
    return Sheet("Vårdnadshavare", ("Namn", "Relation", "Telefon", "E-post"), rows)


def _enrolment_rows(session: Session, person_id: int) -> Iterator[tuple[Any, ...]]:
    enrolments = session.scalars(
        select(Enrolment).where(Enrolment.person_id == person_id)
        .options(joinedload(Enrolment.team), joinedload(Enrolment.school_year),
                 joinedload(Enrolment.consent_guardian))
        .order_by(Enrolment.applied_on, Enrolment.id)
    ).all()
    registrars = usernames_by_id(session, [e.consent_registered_by_id for e in enrolments])
    for e in enrolments:
        yield (e.school_year.label, e.team.name, ENROLMENT_STATUS.get(e.status.value, e.status),
               e.applied_on, e.activated_on, e.ended_on, e.end_reason, e.consent_date,
               e.consent_guardian.name if e.consent_guardian else "",
               registrars.get(e.consent_registered_by_id, ""), e.consent_registered_at,
               e.waitlisted_at, e.created_at)


def _enrolment_sheet(session: Session, person_id: int) -> Sheet:
    headers = ("Läsår", "Team", "Status", "Anmäld", "Aktiverad", "Avslutad", "Orsak",
               "Samtycke daterat", "Samtycke från", "Samtycke registrerat av",
               "Samtycke registrerat", "På väntelista sedan", "Registrerad")
    return Sheet("Inskrivningar", headers, _enrolment_rows(session, person_id))


def _invitation_rows(session: Session, person_id: int) -> Iterator[tuple[Any, ...]]:
    invitations = session.scalars(
        select(Invitation).join(Invitation.event).where(Invitation.person_id == person_id)
        .options(joinedload(Invitation.event).joinedload(Event.type),
                 joinedload(Invitation.event).joinedload(Event.team))
        .order_by(Event.event_date, Invitation.id)
    ).all()
    markers = usernames_by_id(session, [inv.marked_by_id for inv in invitations])
    for inv in invitations:
        event = inv.event
        yield (event.event_date, event.start_time, event.title, event.type.name,
               event.team.name if event.team else "Alla team", event.place,
               ATTENDANCE.get(inv.status.value, inv.status), markers.get(inv.marked_by_id, ""),
               inv.marked_at, _yes_no(event.cancelled))


def _invitation_sheet(session: Session, person_id: int) -> Sheet:
    headers = ("Datum", "Tid", "Titel", "Typ", "Team", "Plats", "Närvaro", "Närvaro markerad av",
               "Närvaro markerad (UTC)", "Inställd")
    return Sheet("Utbildningar och träffar", headers, _invitation_rows(session, person_id))


def _participation_rows(session: Session, person_id: int) -> Iterator[tuple[Any, ...]]:
    participations = session.scalars(
        select(Participation).join(Participation.walk)
        .where(Participation.person_id == person_id)
        .options(joinedload(Participation.walk).joinedload(Walk.team),
                 joinedload(Participation.walk).joinedload(Walk.district))
        .order_by(Walk.walk_date, Participation.id)
    ).all()
    for p in participations:
        walk = p.walk
        yield (walk.walk_date, walk.start_time, walk.end_time, walk.team.name,
               walk.district.name, walk.meeting_point, WALK_STATUS.get(walk.status.value, ""),
               ATTENDANCE.get(p.status.value, p.status), _yes_no(p.joined_on_night))


def _participation_sheet(session: Session, person_id: int) -> Sheet:
    headers = ("Datum", "Start", "Slut", "Team", "Stadsdel", "Mötesplats", "Passets status",
               "Närvaro", "Tillkom under kvällen")
    return Sheet("Nattvandringar", headers, _participation_rows(session, person_id))


def _follow_up_sheet(session: Session, person_id: int) -> Sheet:
    """The months the person is counted as a walker of a team in the follow-up figures."""
    rows = session.execute(
        select(FollowUpWalker.month, Team.name).distinct()
        .join(Team, Team.id == FollowUpWalker.team_id)
        .where(FollowUpWalker.person_id == person_id)
        .order_by(FollowUpWalker.month, Team.name)
    ).all()
    return Sheet("Uppföljning", ("Månad", "Räknad som nattvandrare i team"),
                 [tuple(row) for row in rows])


def _pay_line_rows(session: Session, person_id: int) -> Iterator[tuple[Any, ...]]:
    rows = session.execute(
        select(PayLine, PayPeriod.month).join(PayPeriod, PayPeriod.id == PayLine.period_id)
        .where(PayLine.person_id == person_id).order_by(PayPeriod.month, PayLine.id)
    ).all()
    for line, month in rows:
        yield (month, LINE_KIND.get(line.kind.value, line.kind), line.walk_date,
               line.start_time, line.end_time, line.team_name, line.cost_centre,
               line.district_name, line.personnummer or "", line.first_name, line.last_name,
               line.age, line.years, line.rate_version_id, line.band_label,
               line.band_age_from, line.band_age_to, line.band_years_from, line.band_years_to,
               line.amount, line.id, line.line_no, line.refers_to_id, line.reason,
               line.created_at)


def _pay_line_sheet(session: Session, person_id: int) -> Sheet:
    headers = ("Period", "Typ", "Datum", "Start", "Slut", "Team", "Kostnadsställe", "Stadsdel",
               "Personnummer", "Förnamn", "Efternamn", "Ålder", "År i verksamheten",
               "Tabellversion", "Band", "Bandets ålder från", "Bandets ålder till",
               "Bandets år från", "Bandets år till", "Belopp", "Rad", "Radnummer i perioden",
               "Avser rad", "Orsak", "Skapad")
    return Sheet("Arvoden", headers, _pay_line_rows(session, person_id))


def _audit_clause(session: Session, person_id: int):
    """Return a WHERE clause for the audit entries referring to the person.

    An entry refers to her when it names her id (audit_entry_persons) or is filed under one of
    her records (entries written before persons were referred to by id).
    """
    related = {
        "person": [person_id],
        "enrolment": session.scalars(select(Enrolment.id).where(Enrolment.person_id == person_id)),
        "invitation": session.scalars(
            select(Invitation.id).where(Invitation.person_id == person_id)),
        "participation": session.scalars(
            select(Participation.id).where(Participation.person_id == person_id)),
        "pay_line": session.scalars(select(PayLine.id).where(PayLine.person_id == person_id)),
    }
    clauses = [AuditEntry.id.in_(
        select(AuditEntryPerson.entry_id).where(AuditEntryPerson.person_id == person_id))]
    for entity, ids in related.items():
        id_texts = [str(i) for i in ids]
        if id_texts:
            clauses.append((AuditEntry.entity == entity) & AuditEntry.entity_id.in_(id_texts))
    return or_(*clauses)


def _audit_rows(session: Session, person_id: int) -> Iterator[tuple[Any, ...]]:
    entries = session.scalars(
        select(AuditEntry).where(_audit_clause(session, person_id))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    for entry in entries:
        changes = json.dumps(entry.changes, ensure_ascii=False) if entry.changes else ""
        yield (entry.at, entry.username, entry.action, entry.entity, entry.entity_id,
               changes, entry.note)


def _audit_sheet(session: Session, person_id: int) -> Sheet:
    headers = ("Tid (UTC)", "Användare", "Åtgärd", "Objekt", "Id", "Ändringar", "Notering")
    return Sheet("Logg", headers, _audit_rows(session, person_id),
                 widths=(18, 16, 14, 14, 10, 60, 40))


def _disclosure_clause(person_id: int):
    """Return a WHERE clause for the exports whose file held the person's data."""
    return AuditEntry.action.in_(DISCLOSURE_ACTIONS) & AuditEntry.id.in_(
        select(AuditEntryPerson.entry_id).where(AuditEntryPerson.person_id == person_id))


def _disclosure_rows(session: Session, person_id: int) -> Iterator[tuple[Any, ...]]:
    entries = session.scalars(
        select(AuditEntry).where(_disclosure_clause(person_id))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    for entry in entries:
        yield (entry.at, EXPORT_KINDS.get(entry.entity, entry.entity), entry.note,
               ROLE_NAMES.get(entry.actor_role, entry.actor_role), entry.username)


def _disclosure_sheet(session: Session, person_id: int) -> Sheet:
    headers = ("Tid (UTC)", "Utlämnat som", "Fil", "Mottagarens roll", "Användare")
    return Sheet("Utlämnanden", headers, _disclosure_rows(session, person_id),
                 widths=(18, 20, 60, 18, 16))


def extract_sheets(session: Session, person: Person) -> list[Sheet]:
    """Return the sheets of a person's registerutdrag (rows are read as they are written)."""
    return [
        _person_sheet(person),
        _guardian_sheet(person),
        _enrolment_sheet(session, person.id),
        _invitation_sheet(session, person.id),
        _participation_sheet(session, person.id),
        _follow_up_sheet(session, person.id),
        _pay_line_sheet(session, person.id),
        *recruitment_sheets(session, person.id),
        _audit_sheet(session, person.id),
        _disclosure_sheet(session, person.id),
    ]


def extract_filename(person: Person, on: date) -> str:
    """Return the file name of the workbook (the id, never a name or personnummer)."""
    return f"registerutdrag-{person.id}-{on.isoformat()}.xlsx"


def export_extract(
    session: Session, actor: object, person_id: int, *, on: date
) -> tuple[str, bytes]:
    """Write the person's registerutdrag and audit the export; return file name and bytes."""
    person = session.scalars(
        select(Person).where(Person.id == person_id).options(selectinload(Person.guardians))
    ).one_or_none()
    if person is None:
        raise NotFoundError("privacy.person_not_found")
    filename = extract_filename(person, on)
    written = write_workbook(extract_sheets(session, person))
    counts = ", ".join(f"{title}: {n}" for title, n in written.row_counts.items())
    record(session, actor, "export", "person", person.id,
           note=f"Registerutdrag {filename} ({counts})")
    return filename, written.data or b""


def extract_summary(session: Session, person_id: int) -> ExtractSummary:
    """Count what is stored about a person, for the page before the download."""

    def count(column: Any, *where: Any) -> int:
        return session.scalar(select(func.count(column)).where(*where)) or 0

    return ExtractSummary(
        guardians=count(Guardian.id, Guardian.person_id == person_id),
        enrolments=count(Enrolment.id, Enrolment.person_id == person_id),
        invitations=count(Invitation.id, Invitation.person_id == person_id),
        participations=count(Participation.id, Participation.person_id == person_id),
        pay_lines=count(PayLine.id, PayLine.person_id == person_id),
        audit_entries=count(AuditEntry.id, _audit_clause(session, person_id)),
        disclosures=count(AuditEntry.id, _disclosure_clause(person_id)),
    )
