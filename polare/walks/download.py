"""The walk log of a period to download: one sheet of walks, one of participants.

The participants' sheet has the walk import template's columns first, so a log can go back in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from exports import Sheet, write_workbook
from exports.xlsx import TEXT_FORMAT
from polare.auth.access import team_filter
from polare.auth.models import User
from polare.clock import to_local
from polare.imports.walk_rows import HEADERS as WALK_ROW_HEADERS
from polare.imports.walk_rows import STATUS_WORDS
from polare.org.models import Team
from polare.roster.download import (
    Download,
    download_of,
    file_part,
    full_personnummer_of,
    personnummer_shown,
)
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkIncident

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
    full = full_personnummer_of(session, viewer, person_ids)
    sheets = [
        Sheet(title="Nattvandringar", headers=WALK_HEADERS, rows=(_walk_row(w) for w in walks)),
        Sheet(title="Deltagare", headers=PARTICIPANT_HEADERS,
              rows=_participant_rows(walks, full), number_formats={9: TEXT_FORMAT}),
    ]
    scope = f"-{file_part(team.name)}" if team is not None else ""
    filename = f"nattvandringar{scope}-{first.isoformat()}-{last.isoformat()}.xlsx"
    return download_of(filename, write_workbook(sheets), person_ids)


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
                STATUS_WORDS[walk.status], personnummer_shown(person, person.id in full),
                ATTENDANCE_WORDS[participation.status], person.full_name,
            ]
