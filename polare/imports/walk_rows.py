"""Import kind `nattvandringar`: past walks with their participants, through the walks services.

One row per participant. Rows with the same Datum, Team, Stadsdel and Start are one walk and
must agree on its other columns (Slut, Ansvarig, Träffade, Samtal, Status). Each participant
is checked by the walks' own rules (active enrolment on the date, no overlapping walk, also
walks earlier in the same file); then the walk is planned, logged and completed, and a
`godkänd` walk is approved by the importing user. Approving a walk whose polare lack required
training needs a confirmation: the import gives it and says so in the audit log.

A walk already in Polare is left as it is: the file must say what Polare says about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from exports import Row, parse_date, parse_time
from polare.audit.services import record
from polare.auth.access import can_access_team, team_ids_for
from polare.auth.models import Role, User
from polare.errors import DomainError
from polare.imports.cells import (
    Cells,
    Column,
    choice_parser,
    personnummer_parser,
    whole_number,
)
from polare.imports.context import ImportContext, RowState, Tally
from polare.imports.persons import known_polare
from polare.imports.report import RowProblem, blame
from polare.org.models import District, Team
from polare.roster.models import Person
from polare.roster.services.visibility import visible_person_by_personnummer
from polare.walks import rules
from polare.walks.models import ParticipationStatus, Walk, WalkStatus
from polare.walks.planning import WalkPlan, plan_walk
from polare.walks.workflow import WalkLog, approve_walk, complete_walk, log_walk, training_gaps

COLUMNS = (
    Column("Datum", _l("Kvällen nattvandringen började (ÅÅÅÅ-MM-DD).")),
    Column("Team", _l("Ett av dina team.")),
    Column("Stadsdel", _l("Stadsdelen ni gick i.")),
    Column("Start", _l("Starttid (TT:MM).")),
    Column("Slut", _l("Sluttid (TT:MM); en tid före starten är nästa morgon. Högst 12 timmar.")),
    Column("Ansvarig", _l("Användarnamn för ansvarig personal; flera skiljs med kommatecken.")),
    Column("Träffade", _l("Antal ungdomar ni mötte.")),
    Column("Samtal", _l("Antal ungdomar ni pratade med, högst lika många som ni mötte.")),
    Column("Status", _l("genomförd eller godkänd. En godkänd nattvandring godkänns av dig.")),
    Column("Personnummer", _l("Polarens personnummer; polaren ska vara aktiv det datumet.")),
    Column("Närvaro", _l("närvarande eller frånvarande.")),
)
HEADERS = tuple(column.name for column in COLUMNS)

#: The statuses as spreadsheets write them: Swedish in every language, so a file goes back in.
STATUS_WORDS = {
    WalkStatus.PLANNED: "planerad",
    WalkStatus.COMPLETED: "genomförd",
    WalkStatus.APPROVED: "godkänd",
    WalkStatus.CANCELLED: "inställd",
}
STATUSES = {STATUS_WORDS[status]: status for status in (WalkStatus.COMPLETED, WalkStatus.APPROVED)}
ATTENDANCE = {"närvarande": ParticipationStatus.ATTENDED,
              "frånvarande": ParticipationStatus.ABSENT}
#: The walk's own columns, which every row of one walk must agree on.
WALK_COLUMNS = ("Slut", "Ansvarig", "Träffade", "Samtal", "Status")
FIELD_COLUMNS = {
    "end_time": "Slut", "start_time": "Start", "staff_ids": "Ansvarig", "youths_met": "Träffade",
    "youths_talked": "Samtal", "district_id": "Stadsdel", "team_id": "Team",
    "person_ids": "Personnummer", "joined_person_id": "Personnummer", "attendance": "Närvaro",
    "confirm_training": "Status",
}


@dataclass(frozen=True)
class WalkRow:
    """One row of the file, parsed."""

    number: int
    day: date
    team: Team
    district: District
    start: time
    end: time
    staff: tuple[User, ...]
    met: int
    talked: int
    status: WalkStatus
    personnummer: str
    attendance: ParticipationStatus

    @property
    def walk_key(self) -> tuple[object, ...]:
        """Return what identifies the row's walk."""
        return (self.day, self.team.id, self.district.id, self.start)

    def walk_values(self) -> dict[str, object]:
        """Return the walk's own columns as the rows must agree on them."""
        return {"Slut": self.end, "Ansvarig": frozenset(u.id for u in self.staff),
                "Träffade": self.met, "Samtal": self.talked, "Status": self.status}

    def shown(self, column: str) -> str:
        """Return a walk column as the file writes it, for messages."""
        if column == "Slut":
            return self.end.strftime("%H:%M")
        if column == "Ansvarig":
            return ", ".join(user.username for user in self.staff)
        if column == "Status":
            return STATUS_WORDS[self.status]
        return str(self.walk_values()[column])


def import_walks(ctx: ImportContext, rows: Sequence[Row]) -> None:
    """Check every row, then apply each walk in the order it first appears in the file."""
    groups: dict[tuple[object, ...], list[WalkRow]] = {}
    for row in rows:
        parsed = _parse(ctx, row)
        if parsed is not None:
            groups.setdefault(parsed.walk_key, []).append(parsed)
    for group in groups.values():
        good = _agreeing(ctx, group)
        if good:
            _import_walk(ctx, good)


def _parse(ctx: ImportContext, row: Row) -> WalkRow | None:
    """Return the row's values, or None (with its problems recorded) when one is bad."""
    cells = Cells(row)
    values = {
        "day": cells.get("Datum", parse_date),
        "team": cells.get("Team", ctx.lookups.team),
        "district": cells.get("Stadsdel", ctx.lookups.district),
        "start": cells.get("Start", parse_time),
        "end": cells.get("Slut", parse_time),
        "staff": cells.get("Ansvarig", ctx.lookups.users),
        "met": cells.get("Träffade", whole_number),
        "talked": cells.get("Samtal", whole_number),
        "status": cells.get("Status", choice_parser(STATUSES)),
        "personnummer": cells.get("Personnummer", personnummer_parser(ctx.today)),
        "attendance": cells.get("Närvaro", choice_parser(ATTENDANCE)),
    }
    team = values["team"]
    unseen = [user.username for user in values["staff"] or ()
              if isinstance(user, User) and not _sees_user(ctx.actor, user)]
    if isinstance(team, Team) and not can_access_team(ctx.actor, team.id):
        cells.refuse("Team", DomainError("imports.not_your_team"))
    elif unseen:  # answered as a username that does not exist: no name, no team
        cells.refuse("Ansvarig", DomainError("imports.unknown_user", name=unseen[0]))
    if not ctx.accepts(cells):
        return None
    return WalkRow(number=row.number, **values)  # type: ignore[arg-type]


def _sees_user(actor: User, user: User) -> bool:
    """Tell whether the importer works with the user: admin, or a team in common."""
    scope = team_ids_for(actor)
    return scope is None or user.role == Role.ADMIN or any(t.id in scope for t in user.teams)


def _agreeing(ctx: ImportContext, group: list[WalkRow]) -> list[WalkRow]:
    """Return the rows that agree with the walk's first row and name a new participant."""
    first = group[0]
    good, seen = [first], {first.personnummer: first.number}
    for row in group[1:]:
        problems = [
            (column, DomainError("imports.walk_rows_differ", row=first.number,
                                 value=first.shown(column), column=column))
            for column in WALK_COLUMNS
            if row.walk_values()[column] != first.walk_values()[column]
        ]
        earlier = seen.setdefault(row.personnummer, row.number)
        if earlier != row.number:
            problems.append(("Personnummer",
                             DomainError("imports.walk_person_repeated", row=earlier)))
        if problems:
            ctx.result.add_problem([row.number], RowProblem(problems))
        else:
            good.append(row)
    return good


def _import_walk(ctx: ImportContext, rows: list[WalkRow]) -> None:
    """Check the walk and its participants, then save it (or compare it with Polare's)."""
    numbers = [row.number for row in rows]
    first = rows[0]
    try:
        _check_walk(ctx, first)
    except RowProblem as problem:
        ctx.result.add_problem(numbers, problem)
        return
    existing = _existing_walk(ctx, first)
    if existing is not None:
        _compare(ctx, existing, rows)
        return
    participants: dict[int, ParticipationStatus] = {}
    for row in rows:
        try:
            participants[_check_participant(ctx, row).id] = row.attendance
        except RowProblem as problem:
            ctx.result.add_problem([row.number], problem)
    tally = ctx.attempt(numbers, lambda: _save(ctx, first, participants))
    if tally is not None:
        ctx.count(len(rows), tally)


def _check_walk(ctx: ImportContext, row: WalkRow) -> None:
    """Refuse a walk whose span, staff or counts break the walks' rules."""
    with blame("Datum", FIELD_COLUMNS):
        rules.walk_span(row.day, row.start, row.end)
        rules.check_staff(ctx.session, row.team.id, [user.id for user in row.staff])
        rules.check_counts(row.met, row.talked)


def _check_participant(ctx: ImportContext, row: WalkRow) -> Person:
    """Return the row's polare if they may walk then: enrolled and not on an overlapping walk."""
    person = known_polare(ctx, row.personnummer)
    starts_at, ends_at = rules.walk_span(row.day, row.start, row.end)
    with blame("Personnummer"):
        rules.check_enrolments(ctx.session, {person.id: person}, row.day)
        rules.check_active_in_actor_teams(ctx.session, ctx.actor, {person.id: person}, row.day)
        rules.check_overlaps(ctx.session, {person.id: person}, starts_at, ends_at)
    return person


def _save(ctx: ImportContext, row: WalkRow,
          participants: dict[int, ParticipationStatus]) -> Tally:
    """Plan, log and complete the walk, and approve it when the file says godkänd."""
    session, actor = ctx.session, ctx.actor
    with blame("Datum", FIELD_COLUMNS):
        walk = plan_walk(session, actor, WalkPlan(
            team_id=row.team.id, walk_date=row.day, start_time=row.start, end_time=row.end,
            district_id=row.district.id, meeting_point="",
            staff_ids=[user.id for user in row.staff], person_ids=list(participants)))
        walk = log_walk(session, actor, walk.id, WalkLog(
            attendance=participants, youths_met=row.met, youths_talked=row.talked,
            incidents={}), version=walk.version)
        walk = complete_walk(session, actor, walk.id, version=walk.version, now=ctx.now)
        note = _("Importerad från %(file)s.", file=ctx.result.logged_filename)
        if row.status == WalkStatus.APPROVED:
            note += " " + _approve(ctx, walk)
    ctx.result.person_ids.update(participants)
    record(session, actor, "import", "walk", walk.id, note=note, persons=participants)
    tally = Tally()
    tally.add("walk")
    tally.add("participation", count=len(participants))
    if row.status == WalkStatus.APPROVED:
        tally.add("approval")
    return tally


def _approve(ctx: ImportContext, walk: Walk) -> str:
    """Approve the walk as the importing user; return what the audit note should say."""
    gaps = training_gaps(ctx.session, walk)
    approve_walk(ctx.session, ctx.actor, walk.id, version=walk.version,
                 confirm_training=bool(gaps))
    if not gaps:
        return _("Godkänd av importen.")
    names = ", ".join(sorted(p.person.full_name for p in walk.participations
                             if p.person_id in gaps))
    ctx.result.notes.append(_(
        "Nattvandringen %(day)s %(start)s (%(team)s) godkändes fast %(names)s saknar "
        "obligatorisk utbildning; importen bekräftade det.",
        day=walk.walk_date.isoformat(), start=walk.start_time.strftime("%H:%M"),
        team=walk.team.name, names=names))
    return _("Godkänd av importen, som också bekräftade att %(count)s polare saknar "
             "obligatorisk utbildning.", count=len(gaps))


def _existing_walk(ctx: ImportContext, row: WalkRow) -> Walk | None:
    """Return the walk in Polare (not cancelled) with the row's date, team, district and start."""
    return ctx.session.scalar(
        select(Walk)
        .options(selectinload(Walk.staff), selectinload(Walk.participations))
        .where(Walk.team_id == row.team.id, Walk.walk_date == row.day,
               Walk.district_id == row.district.id, Walk.start_time == row.start,
               Walk.status != WalkStatus.CANCELLED)
        .order_by(Walk.id).limit(1)
    )


def _compare(ctx: ImportContext, walk: Walk, rows: list[WalkRow]) -> None:
    """Count the rows that match a walk already in Polare; refuse the ones that do not."""
    stored = {"Slut": walk.end_time, "Ansvarig": frozenset(user.id for user in walk.staff),
              "Träffade": walk.youths_met, "Samtal": walk.youths_talked, "Status": walk.status}
    walk_problems = [
        (column, DomainError("imports.walk_exists_differently", column=column))
        for column, value in rows[0].walk_values().items() if stored[column] != value
    ]
    on_walk = {p.person_id: p.status for p in walk.participations}
    matching = 0
    for row in rows:
        problems = list(walk_problems)
        person = visible_person_by_personnummer(ctx.session, ctx.actor, row.personnummer)
        person_id = person.id if person is not None else None
        if person_id not in on_walk:
            problems.append(("Personnummer", DomainError("imports.walk_person_absent")))
        elif on_walk[person_id] != row.attendance:
            problems.append(("Närvaro", DomainError("imports.walk_attendance_differs")))
        if problems:
            ctx.result.add_problem([row.number], RowProblem(problems))
        else:
            matching += 1
    ctx.count(matching, Tally(RowState.EXISTING))
