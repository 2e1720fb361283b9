"""Spreadsheets to download: a team's roster for a school year, and the walk log of a period.

The rows are built here from the database; `exports.xlsx` writes them (user text as text).
Personnummer are shown in full or masked as the viewer may see them (SPEC §11).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from exports import Sheet, WrittenWorkbook, write_workbook
from exports.xlsx import TEXT_FORMAT
from polare.auth.access import can_see_full_personnummer, team_filter
from polare.auth.models import User
from polare.clock import to_local
from polare.imports.roster_rows import HEADERS as POLARE_HEADERS
from polare.imports.walk_rows import HEADERS as WALK_ROW_HEADERS
from polare.imports.walk_rows import STATUS_WORDS
from polare.org.models import SchoolYear, Team
from polare.roster.identity import format_phone_se, mask_personnummer
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.roster.services import reference_day, years_in_programme_by_person
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkIncident

#: The roster has the import template's columns first, so a list can go back in.
ROSTER_HEADERS = (*POLARE_HEADERS, "Slutdatum", "Slutorsak", "År i verksamheten")
ENROLMENT_WORDS = {
    EnrolmentStatus.APPLICANT: "sökande",
    EnrolmentStatus.ACTIVE: "aktiv",
    EnrolmentStatus.WAITLISTED: "väntelista",
    EnrolmentStatus.DECLINED: "avböjd",
    EnrolmentStatus.ENDED: "avslutad",
}
WALK_HEADERS = (
    "Datum", "Team", "Stadsdel", "Utanför eget område", "Start", "Slut", "Timmar", "Mötesplats",
    "Ansvarig", "Status", "Träffade", "Samtal", "Närvarande polare", "Frånvarande polare",
    "Händelser", "Anteckning", "Godkänd av", "Godkänd",
)
#: One row per participant, with the import template's columns first.
PARTICIPANT_HEADERS = (*WALK_ROW_HEADERS, "Namn")
ATTENDANCE_WORDS = {
    ParticipationStatus.SCHEDULED: "ej markerad",
    ParticipationStatus.ATTENDED: "närvarande",
    ParticipationStatus.ABSENT: "frånvarande",
}
HOURS = Decimal("0.01")


@dataclass(frozen=True)
class Download:
    """A written workbook, its file name and how many rows of data it holds."""

    filename: str
    data: bytes
    rows: int
    #: The polare whose data the workbook holds (its disclosure is audited with them).
    person_ids: frozenset[int] = frozenset()


def _personnummer(person: Person, full: bool) -> str:
    if not person.personnummer:
        return ""
    return person.personnummer if full else mask_personnummer(person.personnummer)


def _phone(stored: str) -> str:
    return format_phone_se(stored) if stored else ""


def _file_part(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text)


def _written(filename: str, written: WrittenWorkbook, person_ids: Collection[int]) -> Download:
    assert written.data is not None  # noqa: S101 (written to memory, not to a file)
    return Download(filename, written.data, sum(written.row_counts.values()),
                    frozenset(person_ids))


def roster_download(session: Session, viewer: User, team: Team, year: SchoolYear, *,
                    today: date) -> Download:
    """Return the team's enrolments of the school year as a workbook, one row each."""
    enrolments = list(session.scalars(
        select(Enrolment).join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.team_id == team.id, Enrolment.school_year_id == year.id)
        .options(joinedload(Enrolment.person).selectinload(Person.guardians),
                 joinedload(Enrolment.consent_guardian))
        .order_by(Person.sort_key, Person.id)
    ))
    years = years_in_programme_by_person(
        session, [e.person_id for e in enrolments], reference_day(year, today))
    full = can_see_full_personnummer(viewer, [team.id])

    def rows() -> Iterator[list[Any]]:
        for enrolment in enrolments:
            person = enrolment.person
            guardian = enrolment.consent_guardian or next(iter(person.guardians), None)
            yield [
                _personnummer(person, full), person.first_name, person.last_name,
                _phone(person.phone), person.email, team.name, year.label,
                ENROLMENT_WORDS[enrolment.status], enrolment.activated_on,
                guardian.name if guardian else "", _phone(guardian.phone) if guardian else "",
                enrolment.consent_date, person.prior_years, enrolment.ended_on,
                enrolment.end_reason, years[person.id],
            ]

    sheet = Sheet(title="Polare", headers=ROSTER_HEADERS, rows=rows(),
                  number_formats={0: TEXT_FORMAT, 3: TEXT_FORMAT})
    filename = f"polare-{_file_part(team.name)}-{_file_part(year.label)}.xlsx"
    return _written(filename, write_workbook([sheet]), [e.person_id for e in enrolments])


def walk_log_download(session: Session, viewer: User, first: date, last: date,
                      team: Team | None) -> Download:
    """Return the walks from `first` to `last` the viewer may see: one sheet of walks, one of
    participants."""
    query = (
        select(Walk)
        .where(Walk.walk_date >= first, Walk.walk_date <= last, team_filter(viewer, Walk.team_id))
        .options(joinedload(Walk.team), joinedload(Walk.district), selectinload(Walk.staff),
                 selectinload(Walk.participations).joinedload(Participation.person),
                 selectinload(Walk.incidents).joinedload(WalkIncident.category),
                 joinedload(Walk.approved_by))
        .order_by(Walk.walk_date, Walk.start_time, Walk.id)
    )
    if team is not None:
        query = query.where(Walk.team_id == team.id)
    walks = list(session.scalars(query))
    person_ids = {p.person_id for walk in walks for p in walk.participations}
    full = _full_personnummer(session, viewer, person_ids)
    sheets = [
        Sheet(title="Nattvandringar", headers=WALK_HEADERS, rows=(_walk_row(w) for w in walks)),
        Sheet(title="Deltagare", headers=PARTICIPANT_HEADERS,
              rows=_participant_rows(walks, full), number_formats={9: TEXT_FORMAT}),
    ]
    scope = f"-{_file_part(team.name)}" if team is not None else ""
    filename = f"nattvandringar{scope}-{first.isoformat()}-{last.isoformat()}.xlsx"
    return _written(filename, write_workbook(sheets), person_ids)


def _full_personnummer(session: Session, viewer: User, person_ids: Collection[int]) -> set[int]:
    """Return the persons whose personnummer the viewer may see in full."""
    teams: dict[int, set[int]] = defaultdict(set)
    if person_ids:
        for person_id, team_id in session.execute(
                select(Enrolment.person_id, Enrolment.team_id)
                .where(Enrolment.person_id.in_(person_ids)).distinct()):
            teams[person_id].add(team_id)
    return {pid for pid in person_ids if can_see_full_personnummer(viewer, teams[pid])}


def _local(moment: datetime | None) -> datetime | None:
    """Return a stored UTC time as local time in Sweden (naive, as Excel shows it)."""
    return None if moment is None else to_local(moment)


def _hours(walk: Walk) -> Decimal:
    """Return the walk's duration in hours, to two decimals."""
    seconds = Decimal(int((walk.ends_at - walk.starts_at).total_seconds()))
    return (seconds / 3600).quantize(HOURS)


def _walk_row(walk: Walk) -> list[Any]:
    attended = sum(p.status == ParticipationStatus.ATTENDED for p in walk.participations)
    absent = sum(p.status == ParticipationStatus.ABSENT for p in walk.participations)
    incidents = ", ".join(sorted(f"{i.category.name}: {i.count}" for i in walk.incidents))
    return [
        walk.walk_date, walk.team.name, walk.district.name,
        "Ja" if walk.outside_own_area else "Nej", walk.start_time, walk.end_time,
        _hours(walk), walk.meeting_point,
        ", ".join(user.username for user in walk.staff), STATUS_WORDS[walk.status],
        walk.youths_met, walk.youths_talked, attended, absent, incidents, walk.note,
        walk.approved_by.display_name if walk.approved_by else "", _local(walk.approved_at),
    ]


def _participant_rows(walks: list[Walk], full: set[int]) -> Iterator[list[Any]]:
    for walk in walks:
        staff = ", ".join(user.username for user in walk.staff)
        for participation in walk.participations:
            person = participation.person
            yield [
                walk.walk_date, walk.team.name, walk.district.name, walk.start_time,
                walk.end_time, staff, walk.youths_met, walk.youths_talked,
                STATUS_WORDS[walk.status], _personnummer(person, person.id in full),
                ATTENDANCE_WORDS[participation.status], person.full_name,
            ]
