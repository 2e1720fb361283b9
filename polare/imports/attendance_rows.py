"""Import kind `narvaro`: event attendance, through the events services.

Rows with the same Datum, Start, Typ, Titel and Team are one event: it is found in Polare
(not cancelled) or created by the first of its rows. Each row invites its polare, if not yet
invited, and marks them present or absent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exports import Row, parse_date, parse_text, parse_time
from exports.readers import CellValue
from polare.auth.access import can_access_team
from polare.errors import DomainError
from polare.events.attendance import invite_persons, mark_attendance
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.events.services import create_event
from polare.imports.cells import Cells, Column, choice_parser, personnummer_parser, text_parser
from polare.imports.context import ImportContext, RowState, Tally
from polare.imports.persons import known_polare
from polare.imports.report import blame
from polare.org.models import Team
from polare.roster.models import Person

COLUMNS = (
    Column("Datum", _l("Aktivitetens datum (ÅÅÅÅ-MM-DD), i dag eller tidigare.")),
    Column("Start", _l("Starttid (TT:MM).")),
    Column("Typ", _l("Aktivitetstyp, t.ex. Ledarskapsutbildning eller Nätverksträff.")),
    Column("Titel", _l("Aktivitetens namn.")),
    Column("Team", _l("Ett av dina team, eller alla för en aktivitet för alla team.")),
    Column("Personnummer", _l("Polarens personnummer; polaren ska vara anmäld det läsåret.")),
    Column("Närvaro", _l("närvarande eller frånvarande.")),
)
HEADERS = tuple(column.name for column in COLUMNS)

ALL_TEAMS_WORDS = frozenset({"alla", "alla team"})
MARKS = {"närvarande": InvitationStatus.ATTENDED, "frånvarande": InvitationStatus.ABSENT}
EVENT_COLUMNS = {"type_id": "Typ", "team_id": "Team", "event_date": "Datum",
                 "end_time": "Start", "title": "Titel"}


@dataclass(frozen=True)
class AttendanceRow:
    """One row of the file, parsed."""

    number: int
    day: date
    start: time
    event_type: EventType
    title: str
    team: Team | None
    personnummer: str
    status: InvitationStatus

    @property
    def event_key(self) -> tuple[object, ...]:
        """Return what identifies the row's event."""
        return (self.day, self.start, self.event_type.id, self.title.casefold(),
                self.team.id if self.team else None)


def import_attendance(ctx: ImportContext, rows: Sequence[Row]) -> None:
    """Check every row, then apply the good ones in file order."""
    for row in _parse_all(ctx, rows):
        tally = ctx.attempt([row.number], lambda row=row: _apply(ctx, row))
        if tally is not None:
            ctx.count(1, tally)


def _parse_all(ctx: ImportContext, rows: Sequence[Row]) -> list[AttendanceRow]:
    """Parse the rows, refusing a person twice at one event; return the good rows."""
    good = []
    seen: dict[tuple[object, ...], int] = {}
    for row in rows:
        cells = Cells(row)
        parsed = _parse(ctx, cells)
        if parsed is not None:
            earlier = seen.setdefault((*parsed.event_key, parsed.personnummer), row.number)
            if earlier != row.number:
                cells.refuse("Personnummer",
                             DomainError("imports.invitation_repeated", row=earlier))
        if not ctx.accepts(cells):
            continue
        assert parsed is not None  # noqa: S101 (no problems means every cell parsed)
        good.append(parsed)
    return good


def _parse(ctx: ImportContext, cells: Cells) -> AttendanceRow | None:
    """Return the row's values, or None when one is missing or bad."""
    values = {
        "day": cells.get("Datum", parse_date),
        "start": cells.get("Start", parse_time),
        "event_type": cells.get("Typ", ctx.lookups.event_type),
        "title": cells.get("Titel", text_parser("Titel", 160)),
        "personnummer": cells.get("Personnummer", personnummer_parser(ctx.today)),
        "status": cells.get("Närvaro", choice_parser(MARKS)),
    }
    team = cells.get("Team", lambda value: _team(ctx, value))
    if team and not can_access_team(ctx.actor, team.id):
        cells.refuse("Team", DomainError("imports.not_your_team"))
    if cells.problems:
        return None
    return AttendanceRow(number=cells.number, team=team or None, **values)  # type: ignore[arg-type]


def _team(ctx: ImportContext, value: CellValue) -> Team | bool:
    """Return the team named in the cell, or False for an event for all teams."""
    if parse_text(value).strip().casefold() in ALL_TEAMS_WORDS:
        return False
    return ctx.lookups.team(value)


def _apply(ctx: ImportContext, row: AttendanceRow) -> Tally:
    """Find or create the event, invite the polare and mark their attendance."""
    tally = Tally()
    event = _event(ctx, row, tally)
    person = known_polare(ctx, row.personnummer)
    ctx.result.person_ids.add(person.id)
    invitation = _invitation(ctx, event, person)
    if invitation is None:
        with blame("Personnummer"):
            invite_persons(ctx.session, ctx.actor, event, [person.id])
        tally.add("invitation")
        invitation = _invitation(ctx, event, person)
    if invitation is not None and invitation.status != row.status:
        with blame("Datum", {"status": "Närvaro"}):
            mark_attendance(ctx.session, ctx.actor, event, person.id, row.status, on=ctx.today)
        tally.add("attendance", RowState.CHANGED)
    return tally


def _event(ctx: ImportContext, row: AttendanceRow, tally: Tally) -> Event:
    """Return the row's event: the one in Polare with the same key, or a new one."""
    team_id = row.team.id if row.team else None
    candidates = ctx.session.scalars(select(Event).where(
        Event.type_id == row.event_type.id, Event.event_date == row.day,
        Event.start_time == row.start, Event.cancelled.is_(False),
        Event.team_id == team_id if team_id is not None else Event.team_id.is_(None),
    ).order_by(Event.id))
    event = next((e for e in candidates if e.title.casefold() == row.title.casefold()), None)
    if event is not None:
        return event
    with blame("Datum", EVENT_COLUMNS):
        event = create_event(ctx.session, ctx.actor, type_id=row.event_type.id,
                             title=row.title, event_date=row.day, start_time=row.start,
                             end_time=None, team_id=team_id)
    tally.add("event")
    return event


def _invitation(ctx: ImportContext, event: Event, person: Person) -> Invitation | None:
    """Return the person's invitation to the event, if any."""
    return ctx.session.scalar(select(Invitation).where(
        Invitation.event_id == event.id, Invitation.person_id == person.id))
