"""A team's roster of a school year to download: the import template's columns first.

Also the pieces every download shares: the `Download`, personnummer shown in full or masked as
the viewer may see them (SPEC §11), phone numbers as written in Sweden, and file names. The
rows are built here from the database; `exports.xlsx` writes them (user text as text).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exports import Sheet, WrittenWorkbook, write_workbook
from exports.xlsx import TEXT_FORMAT
from polare.auth.access import can_see_full_personnummer
from polare.auth.models import User
from polare.imports.roster_rows import HEADERS as POLARE_HEADERS
from polare.org.models import SchoolYear, Team
from polare.roster.identity import format_phone_se, mask_personnummer
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.roster.services import reference_day, years_in_programme_by_person

#: The roster has the import template's columns first, so a list can go back in.
ROSTER_HEADERS = (*POLARE_HEADERS, "Slutdatum", "Slutorsak", "År i verksamheten")
ENROLMENT_WORDS = {
    EnrolmentStatus.APPLICANT: "sökande",
    EnrolmentStatus.ACTIVE: "aktiv",
    EnrolmentStatus.WAITLISTED: "väntelista",
    EnrolmentStatus.DECLINED: "avböjd",
    EnrolmentStatus.ENDED: "avslutad",
}


@dataclass(frozen=True)
class Download:
    """A written workbook, its file name and how many rows of data it holds."""

    filename: str
    data: bytes
    rows: int
    #: The polare whose data the workbook holds (its disclosure is audited with them).
    person_ids: frozenset[int] = frozenset()


def personnummer_shown(person: Person, full: bool) -> str:
    """The personnummer in full, or masked for a viewer who may not see it."""
    if not person.personnummer:
        return ""
    return person.personnummer if full else mask_personnummer(person.personnummer)


def phone_shown(stored: str) -> str:
    """A stored (E.164) number as Swedes write it."""
    return format_phone_se(stored) if stored else ""


def file_part(text: str) -> str:
    """Text made safe for a file name."""
    return "".join(ch if ch.isalnum() else "-" for ch in text)


def download_of(filename: str, written: WrittenWorkbook, person_ids: Collection[int]) -> Download:
    """The download of a workbook written to memory."""
    assert written.data is not None  # noqa: S101 (written to memory, not to a file)
    return Download(filename, written.data, sum(written.row_counts.values()),
                    frozenset(person_ids))


def full_personnummer_of(session: Session, viewer: User, person_ids: Collection[int]) -> set[int]:
    """Return the persons whose personnummer the viewer may see in full."""
    teams: dict[int, set[int]] = defaultdict(set)
    if person_ids:
        for person_id, team_id in session.execute(
                select(Enrolment.person_id, Enrolment.team_id)
                .where(Enrolment.person_id.in_(person_ids)).distinct()):
            teams[person_id].add(team_id)
    return {pid for pid in person_ids if can_see_full_personnummer(viewer, teams[pid])}


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
                personnummer_shown(person, full), person.first_name, person.last_name,
                phone_shown(person.phone), person.email, team.name, year.label,
                ENROLMENT_WORDS[enrolment.status], enrolment.activated_on,
                guardian.name if guardian else "", phone_shown(guardian.phone) if guardian else "",
                enrolment.consent_date, person.prior_years, enrolment.ended_on,
                enrolment.end_reason, years[person.id],
            ]

    sheet = Sheet(title="Polare", headers=ROSTER_HEADERS, rows=rows(),
                  number_formats={0: TEXT_FORMAT, 3: TEXT_FORMAT})
    filename = f"polare-{file_part(team.name)}-{file_part(year.label)}.xlsx"
    return download_of(filename, write_workbook([sheet]), [e.person_id for e in enrolments])
