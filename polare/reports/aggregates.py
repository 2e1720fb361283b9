"""Follow-up aggregates per team and month, so country-wide pages never sum a million rows.

Each team has a version (`FollowUpTeam`). A session hook raises it, in the same transaction,
for every team whose figures a flush may move: a walk's old and new team, the team of a
participation's or incident's walk, the teams a person walked with when the person or their
enrolments change (age and years in the programme set the pay), and every team when pay rates,
contribution rates, school years or pay periods change. The aggregates of a team are current
while they were built from its current version, for the current month and latest closed pay
period (those decide which months are previewed).

The pages that read aggregates first rebuild the teams that are not current
(`refresh_teams`), from the source rows with the report's own queries, so both give identical
figures by construction; a rebuild costs what those teams' data cost. `flask reports rebuild`
rebuilds every team (after a restore, and in the benchmark generator). The state is all in
the database: any process, any worker, sees the same versions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from time import monotonic
from typing import Any

from sqlalchemy import (
    bindparam,
    case,
    delete,
    distinct,
    func,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

import payroll
from payroll.money import to_money
from polare.events.models import Event, EventType, Invitation
from polare.events.training import missing_required_training
from polare.org.models import SchoolYear, Team
from polare.org.services import school_year_on
from polare.pay.models import PayLine, PayPeriod, RateRow, RateVersion
from polare.pay.services.facts import PayCalendar, pay_calendar
from polare.reports.costs import (
    ZERO,
    CostItem,
    Previews,
    breakdown,
    contribution_rates,
    frozen_items,
    preview_items,
    preview_months,
)
from polare.reports.figures import EventCounts, counted_walks, event_counts, walk_cells
from polare.reports.models import (
    EmployerContributionRate,
    FollowUpCell,
    FollowUpEvent,
    FollowUpEventMonth,
    FollowUpIncident,
    FollowUpMonth,
    FollowUpMonthIncident,
    FollowUpSpan,
    FollowUpTeam,
    FollowUpWalker,
)
from polare.reports.periods import month_key, month_span, span_of_months
from polare.reports.scope import ReportScope
from polare.reports.sql import month_of
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.upserts import upsert
from polare.walks.models import (
    Participation,
    ParticipationStatus,
    Walk,
    WalkIncident,
    WalkStatus,
)

#: Changes to these move every team's figures (rates, ages, closed months, required types).
GLOBAL_MODELS = (PayPeriod, RateVersion, RateRow, EmployerContributionRate, SchoolYear,
                 EventType)
#: Teams rebuilt per batch: bounds the IN lists and the memory of one preview.
TEAM_BATCH = 200
#: Teams rebuilt per step of a page's time-bounded refresh (`refresh_teams(seconds=...)`).
REFRESH_BATCH = 25
ALL_TIME = (date(1900, 1, 1), date(9999, 12, 31))


# ---------------------------------------------------------------- invalidation


class Touched:
    """What a flush changed: teams, walks, persons and events, or everything."""

    def __init__(self) -> None:
        self.teams: set[int] = set()
        self.walks: set[int] = set()
        self.persons: set[int] = set()
        self.events: set[int] = set()
        #: Months of events changed (old and new dates), and events whose invitations changed.
        self.event_months: set[str] = set()
        self.invited_events: set[int] = set()
        self.everything = False

    def __bool__(self) -> bool:
        return bool(self.teams or self.walks or self.persons or self.events)


def _touched(session: Session) -> Touched:
    """Return what a flush touched that may move some team's figures."""
    touched = Touched()
    changed = [*session.new, *session.deleted,
               *(obj for obj in session.dirty if session.is_modified(obj))]
    for obj in changed:
        if isinstance(obj, Walk):
            touched.teams.update(_values(obj, "team_id"))
        elif isinstance(obj, Participation | WalkIncident):
            touched.walks.update(_values(obj, "walk_id"))
        elif isinstance(obj, Person):
            touched.persons.add(obj.id)
        elif isinstance(obj, Enrolment):
            touched.teams.update(_values(obj, "team_id"))
            touched.persons.update(_values(obj, "person_id"))
        elif isinstance(obj, Invitation):
            touched.persons.update(_values(obj, "person_id"))
            touched.invited_events.update(_values(obj, "event_id"))
        elif isinstance(obj, Event):
            touched.events.add(obj.id)
            if _counted_event_change(session, obj):
                touched.event_months.update(month_key(day) for day in _values(obj, "event_date"))
            touched.everything = touched.everything or obj in session.deleted
        elif isinstance(obj, GLOBAL_MODELS):
            touched.everything = True
    return touched


#: What of an event its month's counts depend on (a new title or note changes none).
EVENT_COUNTED = ("type_id", "event_date", "cancelled")


def _counted_event_change(session: Session, event: Event) -> bool:
    """Tell whether the flush adds, deletes or changes what an event's counts depend on."""
    if event in session.new or event in session.deleted:
        return True
    state = inspect(event)
    return any(state.attrs[name].history.has_changes() for name in EVENT_COUNTED)


def _values(obj: Any, name: str) -> set[int]:
    """Return an attribute's current value and the value it had before this flush."""
    history = getattr(type(obj), name).impl.get_history(
        obj._sa_instance_state, obj._sa_instance_state.dict)
    values = {*history.added, *history.unchanged, *history.deleted, getattr(obj, name, None)}
    return {value for value in values if value is not None}


def _bump_versions(session: Session, flush_context: object) -> None:
    """Raise the version of every team whose figures this flush may have moved."""
    touched = _touched(session)
    if touched.event_months or touched.invited_events:
        touch_event_months(session, touched.event_months, event_ids=touched.invited_events)
    if touched.everything:
        session.connection().execute(
            update(FollowUpTeam).values(version=FollowUpTeam.version + 1))
    elif touched:
        touch_teams(session, touched.teams, walks=touched.walks, persons=touched.persons,
                    events=touched.events)


def touch_teams(session: Session, team_ids: Collection[int], *,
                walks: Collection[int] = (), persons: Collection[int] = (),
                events: Collection[int] = ()) -> None:
    """Mark teams stale: these, those of the walks, those the persons walked with or are
    enrolled in, and those of the polare invited to the events.

    The session hook does this for every ORM change; bulk writes past the ORM call it.
    """
    bump = update(FollowUpTeam).values(version=FollowUpTeam.version + 1)
    connection = session.connection()
    conditions = []
    if team_ids:
        conditions.append(FollowUpTeam.team_id.in_(team_ids))
    if walks:
        conditions.append(FollowUpTeam.team_id.in_(
            select(Walk.team_id).where(Walk.id.in_(walks))))
    if persons:
        conditions.append(FollowUpTeam.team_id.in_(
            select(Walk.team_id).join(Participation, Participation.walk_id == Walk.id)
            .where(Participation.person_id.in_(persons))))
        conditions.append(FollowUpTeam.team_id.in_(
            select(Enrolment.team_id).where(Enrolment.person_id.in_(persons))))
    if events:
        conditions.append(FollowUpTeam.team_id.in_(
            select(Enrolment.team_id).join(Invitation,
                                           Invitation.person_id == Enrolment.person_id)
            .where(Invitation.event_id.in_(events))))
    if conditions:
        connection.execute(bump.where(or_(*conditions)))


def touch_event_months(session: Session, months: Collection[str] = (), *,
                       event_ids: Collection[int] = ()) -> None:
    """Mark the country's event counts stale in these months and in those of these events.

    A month's version row is made by the first change to it (an upsert), so a count being
    built at the same moment either sees the change or finds its row taken and gives up.
    The session hook does this for every ORM change; bulk writes past the ORM call it.
    """
    wanted = set(months)
    if event_ids:
        wanted.update(session.connection().scalars(select(month_of(Event.event_date))
                                                   .distinct().where(Event.id.in_(event_ids))))
    if not wanted:
        return
    rows = [{"month": month, "version": 1} for month in sorted(wanted)]
    session.connection().execute(
        upsert(session, FollowUpEventMonth).values(rows)
        .on_conflict_do_update(index_elements=["month"],
                               set_={"version": FollowUpEventMonth.__table__.c.version + 1}))


def _load_old_value(target: Any, value: Any, oldvalue: Any, initiator: Any) -> None:
    """Nothing to do: listening with active_history loads the value being replaced."""


#: Attributes whose old value names another team or event month to mark (a walk moved to
#: another team, an event to another month).
OLD_VALUES_NEEDED = (Walk.team_id, Participation.walk_id, WalkIncident.walk_id,
                     Enrolment.person_id, Event.event_date)


def install_aggregate_hooks() -> None:
    """Keep the aggregates' versions current on every flush of every session."""
    from sqlalchemy import event

    if not event.contains(Session, "after_flush", _bump_versions):
        event.listen(Session, "after_flush", _bump_versions)
        for attribute in OLD_VALUES_NEEDED:
            event.listen(attribute, "set", _load_old_value, active_history=True)


# ---------------------------------------------------------------- rebuilding


def built_for(session: Session, today: date, calendar: PayCalendar | None = None) -> str:
    """Return what aggregates built today depend on besides the data: the month, the last
    close and the open period the start page reports (which follows the first pay period).

    `calendar`: the pay calendar, when the caller has read it already (else it is read).
    """
    latest, first = calendar if calendar is not None else pay_calendar(session)
    shown = payroll.open_period_shown(latest, first, month_key(today))
    return f"{month_key(today)}|{latest or ''}|{shown}"


def stale_teams(session: Session, today: date, team_ids: Collection[int] | None = None,
                calendar: PayCalendar | None = None) -> dict[int, int]:
    """Return {team id: version} of the teams whose aggregates are not current."""
    key = built_for(session, today, calendar)
    query = (
        select(Team.id, func.coalesce(FollowUpTeam.version, 0))
        .outerjoin(FollowUpTeam, FollowUpTeam.team_id == Team.id)
        .where(or_(FollowUpTeam.team_id.is_(None), FollowUpTeam.built_version.is_(None),
                   FollowUpTeam.built_version != FollowUpTeam.version,
                   FollowUpTeam.built_for != key))
    )
    if team_ids is not None:
        query = query.where(Team.id.in_(team_ids))
    return dict(session.execute(query).all())


def refresh_teams(session: Session, today: date, team_ids: Collection[int] | None = None,
                  calendar: PayCalendar | None = None, *, seconds: float | None = None) -> bool:
    """Rebuild the aggregates of the teams that are not current; tell whether they now are.

    A page calls this before reading aggregates, and commits. Each batch of teams is written
    in a savepoint: when it fails (another request rebuilt the same teams or months at the
    same moment, or SQLite's write lock moved on since this read began), it is rolled back
    alone and the page computes its figures from the source instead, or says the figures are
    being built. `calendar`: the pay calendar, when the caller has read it already.

    `seconds` bounds the work of one request: after a month begins or a pay period closes
    every team of the country is stale, which takes minutes at 1,000 teams. The teams are
    then rebuilt `REFRESH_BATCH` at a time until that much time has passed, and what was
    built stays for the next request (False: some teams are left).
    """
    stale = stale_teams(session, today, team_ids, calendar)
    if not stale:
        return True
    deadline = None if seconds is None else monotonic() + seconds
    key = built_for(session, today, calendar)
    step = TEAM_BATCH if deadline is None else REFRESH_BATCH
    for number, batch in enumerate(_batches(stale, step)):
        if deadline is not None and number and monotonic() >= deadline:
            return False
        savepoint = session.begin_nested()
        try:
            _rebuild_batch(session, batch, today, key)
            savepoint.commit()
        except (IntegrityError, DBAPIError):
            savepoint.rollback()
            return False
    return True


def _batches(versions: dict[int, int], size: int) -> Iterator[dict[int, int]]:
    """Split {team id: version read} into batches of `size` teams, in the order of their ids."""
    ids = sorted(versions)
    for start in range(0, len(ids), size):
        yield {team: versions[team] for team in ids[start:start + size]}


@dataclass(frozen=True)
class Progress:
    """How many of the country's teams have current aggregates."""

    current: int
    total: int


def refresh_progress(session: Session, today: date,
                     calendar: PayCalendar | None = None) -> Progress:
    """Return how many teams' aggregates are current, of all teams."""
    total = session.scalar(select(func.count(Team.id))) or 0
    return Progress(total - len(stale_teams(session, today, None, calendar)), total)


def rebuild_all(session: Session, today: date) -> int:
    """Rebuild every team's aggregates and the country's event counts; return the number of
    teams."""
    versions = dict(session.execute(
        select(Team.id, func.coalesce(FollowUpTeam.version, 0))
        .outerjoin(FollowUpTeam, FollowUpTeam.team_id == Team.id)).all())
    key = built_for(session, today)
    for batch in _batches(versions, TEAM_BATCH):
        _rebuild_batch(session, batch, today, key)
    months = set(session.scalars(select(month_of(Event.event_date)).distinct()))
    months.update(session.scalars(select(FollowUpEventMonth.month)))
    if months:
        _rebuild_event_months(session, _event_versions(session, months))
    return len(versions)


# ---------------------------------------------------------------- the country's polare


def country_polare(session: Session, months: tuple[str, str], stamp: str) -> int:
    """Return the distinct polare of the whole country over the months (first, last).

    `stamp` names the revision of each of the range's country rows, read with them: the
    count kept for the range is used while it was made from the same revisions; otherwise
    the walkers are counted and the count kept (a request counting the same range at the
    same moment keeps its own and this one is left out).
    """
    span = FollowUpSpan
    key = (span.first_month == months[0], span.last_month == months[1])
    kept = session.scalar(select(span.polare).where(*key, span.stamp == stamp))
    if kept is not None:
        return kept
    polare = session.scalar(select(func.count(distinct(FollowUpWalker.person_id)))
                            .where(FollowUpWalker.month.between(*months))) or 0
    savepoint = session.begin_nested()
    try:
        connection = session.connection()
        connection.execute(delete(span).where(*key))
        connection.execute(insert(span).values(first_month=months[0], last_month=months[1],
                                               stamp=stamp, polare=polare))
        savepoint.commit()
    except (IntegrityError, DBAPIError):
        savepoint.rollback()
    return polare


# ---------------------------------------------------------------- the country's events


def country_event_counts(
    session: Session, months: Sequence[str]
) -> tuple[list[EventType], dict[tuple[int, str], EventCounts]] | None:
    """Return what `event_counts` gives for the whole country over the months, from the
    kept counts; None when they could not be brought up to date (the page counts afresh).

    Months whose counts are not current are recounted first, in a savepoint, as teams are.
    """
    versions = _event_versions(session, months)
    if versions:
        savepoint = session.begin_nested()
        try:
            _rebuild_event_months(session, versions)
            savepoint.commit()
        except (IntegrityError, DBAPIError):
            savepoint.rollback()
            return None
    counted = session.execute(
        select(EventType, FollowUpEvent.month, FollowUpEvent.held, FollowUpEvent.invited,
               FollowUpEvent.attended)
        .outerjoin(FollowUpEvent, (FollowUpEvent.type_id == EventType.id)
                   & FollowUpEvent.month.in_(months))
        .order_by(EventType.sort_order, EventType.name, EventType.id))
    types: dict[int, EventType] = {}
    events = {}
    for event_type, month, held, invited, attended in counted:
        types.setdefault(event_type.id, event_type)
        if month is not None:
            events[(event_type.id, month)] = EventCounts(held, invited, attended)
    return list(types.values()), events


def _event_versions(session: Session, months: Iterable[str]) -> dict[str, int]:
    """Return {month: version} of the months whose event counts are not current (a month
    never counted has version 0)."""
    wanted = sorted(set(months))
    kept = {month: (version, built) for month, version, built in session.execute(
        select(FollowUpEventMonth.month, FollowUpEventMonth.version,
               FollowUpEventMonth.built_version).where(FollowUpEventMonth.month.in_(wanted)))}
    return {month: kept.get(month, (0, None))[0] for month in wanted
            if month not in kept or kept[month][0] != kept[month][1]}


def _rebuild_event_months(session: Session, versions: dict[str, int]) -> None:
    """Recount the country's events of the months ({month: version read}) from the source."""
    months = sorted(versions)
    _types, counts = event_counts(session, ReportScope(*span_of_months(months[0], months[-1])))
    connection = session.connection()
    connection.execute(delete(FollowUpEvent).where(FollowUpEvent.month.in_(months)))
    _insert(connection, FollowUpEvent, [
        {"month": month, "type_id": type_id, "held": count.held, "invited": count.invited,
         "attended": count.attended}
        for (type_id, month), count in counts.items() if month in versions])
    kept = set(session.scalars(
        select(FollowUpEventMonth.month).where(FollowUpEventMonth.month.in_(months))))
    # A new row says "built from version 0"; a change meanwhile made the row (and this insert
    # fails, so the counts are not kept as current).
    _insert(connection, FollowUpEventMonth, [
        {"month": month, "version": 0, "built_version": 0}
        for month in months if month not in kept])
    built = [{"m": month, "v": versions[month]} for month in months if month in kept]
    if built:
        connection.execute(update(FollowUpEventMonth)
                           .where(FollowUpEventMonth.month == bindparam("m"))
                           .values(built_version=bindparam("v")), built)


def _rebuild_batch(session: Session, versions: dict[int, int], today: date, key: str) -> None:
    """Replace a batch of teams' ({id: version read}) cells, walkers, incidents and state."""
    teams = frozenset(versions)
    scope = ReportScope(*ALL_TIME, teams)
    cells = walk_cells(session, scope)
    costs, open_totals, errors = _costs(session, teams, today, key.split("|")[2])
    connection = session.connection()
    before = _month_contents(session, teams)
    for table in (FollowUpCell, FollowUpWalker, FollowUpIncident):
        connection.execute(delete(table).where(table.team_id.in_(teams)))
    waiting = _waiting(session, teams)
    rows = []
    for cell_key in cells.keys() | costs.keys() | waiting.keys():
        figures = cells.get(cell_key)
        team_id, district_id, month = cell_key
        planned, awaiting = waiting.get(cell_key, (0, 0))
        rows.append({
            "team_id": team_id, "district_id": district_id, "month": month,
            "walks": figures.walks if figures else 0,
            "seconds": figures.seconds if figures else 0,
            "polarpass": figures.polarpass if figures else 0,
            "met": figures.met if figures else 0,
            "talked": figures.talked if figures else 0,
            "planned": planned, "awaiting": awaiting,
            **costs.get(cell_key, _EMPTY_COST)})
    walkers, incidents = _walkers(session, scope), _incidents(session, scope)
    _insert(connection, FollowUpCell, rows)
    _insert(connection, FollowUpWalker, walkers)
    _insert(connection, FollowUpIncident, incidents)
    after = MonthContents(_month_sums(rows), _people_by_month(walkers),
                          _incidents_by_month(incidents))
    _refresh_months(session, before.changed_months(after), after.cells.keys())
    states = _roster(session, teams, today)
    for (team_id, _district_id, _month), (_planned, awaiting) in waiting.items():
        states[team_id]["awaiting"] = (states[team_id]["awaiting"] or 0) + awaiting
    _write_states(session, versions, key, open_totals, errors, states)


#: The cell columns a month's country row sums (or, for the flags and gaps, gathers).
_MONTH_FIELDS = (FollowUpCell.month, FollowUpCell.walks, FollowUpCell.seconds,
                 FollowUpCell.polarpass, FollowUpCell.met, FollowUpCell.talked,
                 FollowUpCell.planned, FollowUpCell.stipends, FollowUpCell.contributions,
                 FollowUpCell.previewed, FollowUpCell.examples_used, FollowUpCell.unpriced)
_SUMMED = ("walks", "seconds", "polarpass", "met", "talked", "planned", "stipends",
           "contributions")


def _month_sums(cells: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """Return the country row each month of the cells would add up to."""
    months: dict[str, dict[str, Any]] = {}
    for cell in cells:
        month = months.setdefault(cell["month"], {
            "month": cell["month"], **dict.fromkeys(_SUMMED, 0), "previewed": False,
            "examples_used": False, "unpriced": set()})
        for name in _SUMMED:
            month[name] += cell[name]
        month["previewed"] = month["previewed"] or bool(cell["previewed"])
        month["examples_used"] = month["examples_used"] or bool(cell["examples_used"])
        month["unpriced"].update(cell["unpriced"].split())
    return months


def _people_by_month(walkers: Iterable[Any]) -> dict[str, set[int]]:
    """Return the polare who walked in each month."""
    people: dict[str, set[int]] = defaultdict(set)
    for walker in walkers:
        people[walker["month"]].add(walker["person_id"])
    return dict(people)


def _incidents_by_month(incidents: Iterable[Any]) -> dict[str, dict[int, int]]:
    """Return the incidents per category of each month."""
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for incident in incidents:
        counts[incident["month"]][incident["category_id"]] += incident["count"]
    return {month: dict(by_category) for month, by_category in counts.items()}


@dataclass(frozen=True)
class MonthContents:
    """What some teams add to each month of the country: cell sums, polare and incidents."""

    cells: dict[str, dict[str, Any]]
    people: dict[str, set[int]]
    incidents: dict[str, dict[int, int]]

    def changed_months(self, after: MonthContents) -> set[str]:
        """Return the months to which these teams add something else after a rebuild."""
        return {month for mine, theirs in ((self.cells, after.cells),
                                           (self.people, after.people),
                                           (self.incidents, after.incidents))
                for month in mine.keys() | theirs.keys() if mine.get(month) != theirs.get(month)}


def _month_contents(session: Session, teams: frozenset[int]) -> MonthContents:
    """Return what the teams' stored aggregates add to each month."""
    walker, incident = FollowUpWalker, FollowUpIncident
    return MonthContents(
        _month_sums(session.execute(
            select(*_MONTH_FIELDS).where(FollowUpCell.team_id.in_(teams))).mappings()),
        _people_by_month(session.execute(
            select(walker.month, walker.person_id).where(walker.team_id.in_(teams))).mappings()),
        _incidents_by_month(session.execute(
            select(incident.month, incident.category_id, incident.count)
            .where(incident.team_id.in_(teams))).mappings()))


def _refresh_months(session: Session, changed: set[str], present: Collection[str]) -> None:
    """Recount the country rows of the changed months (and of months that have no row yet)
    from every team's cells, walkers and incidents, raising each month's revision."""
    revisions = dict(session.execute(
        select(FollowUpMonth.month, FollowUpMonth.revision)
        .where(FollowUpMonth.month.in_(sorted(changed | set(present))))).all())
    months = sorted(changed | {month for month in present if month not in revisions})
    if not months:
        return
    cell = FollowUpCell
    in_months = cell.month.in_(months)
    totals = {row["month"]: row for row in session.execute(
        select(cell.month, *(func.sum(getattr(cell, name)).label(name) for name in _SUMMED),
               func.max(case((cell.previewed, 1), else_=0)).label("previewed"),
               func.max(case((cell.examples_used, 1), else_=0)).label("examples_used"))
        .where(in_months).group_by(cell.month)).mappings()}
    unpriced: dict[str, set[str]] = defaultdict(set)
    for month, items in session.execute(select(cell.month, cell.unpriced).distinct()
                                        .where(in_months, cell.unpriced != "")):
        unpriced[month].update(items.split())
    walker, incident = FollowUpWalker, FollowUpIncident
    people = dict(session.execute(
        select(walker.month, func.count(distinct(walker.person_id)))
        .where(walker.month.in_(months)).group_by(walker.month)).all())
    incidents = [{"month": month, "category_id": category, "count": int(count)}
                 for month, category, count in session.execute(
                     select(incident.month, incident.category_id, func.sum(incident.count))
                     .where(incident.month.in_(months))
                     .group_by(incident.month, incident.category_id))]
    connection = session.connection()
    for table in (FollowUpMonth, FollowUpMonthIncident):
        connection.execute(delete(table).where(table.month.in_(months)))
    _insert(connection, FollowUpMonth, [
        {**_EMPTY_MONTH, **(totals.get(month) or {}), "month": month,
         "previewed": bool(totals.get(month, _EMPTY_MONTH)["previewed"]),
         "examples_used": bool(totals.get(month, _EMPTY_MONTH)["examples_used"]),
         "unpriced": " ".join(sorted(unpriced[month])),
         "polare": people.get(month, 0), "revision": revisions.get(month, 0) + 1}
        for month in months])
    _insert(connection, FollowUpMonthIncident, incidents)


#: A month whose cells are all gone keeps its row, with zeros (and its revision).
_EMPTY_MONTH = {**dict.fromkeys(_SUMMED, 0), "previewed": False, "examples_used": False}
_EMPTY_COST = {"stipends": ZERO, "contributions": ZERO, "costed": False, "previewed": False,
               "examples_used": False, "unpriced": ""}


def _insert(connection: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(model), rows)


def _waiting(session: Session, teams: frozenset[int]) -> dict[tuple[int, int, str],
                                                             tuple[int, int]]:
    """Return the planned and the completed (not approved) walks per cell."""
    month = month_of(Walk.walk_date)
    keys = (Walk.team_id, Walk.district_id, month)
    planned = case((Walk.status == WalkStatus.PLANNED, 1), else_=0)
    rows = session.execute(
        select(*keys, func.sum(planned), func.count(Walk.id) - func.sum(planned))
        .where(Walk.team_id.in_(teams),
               Walk.status.in_((WalkStatus.PLANNED, WalkStatus.COMPLETED)))
        .group_by(*keys))
    return {(t, d, m): (int(p), int(c)) for t, d, m, p, c in rows}


def _walkers(session: Session, scope: ReportScope) -> list[dict[str, Any]]:
    """Return the distinct (month, team, district, polare) of attended participations on
    counted walks."""
    month = month_of(Walk.walk_date)
    rows = session.execute(
        select(month, Walk.team_id, Walk.district_id, Participation.person_id).distinct()
        .join(Participation, Participation.walk_id == Walk.id)
        .where(*counted_walks(scope), Participation.status == ParticipationStatus.ATTENDED)
    )
    return [{"month": m, "team_id": t, "district_id": d, "person_id": p}
            for m, t, d, p in rows]


def _incidents(session: Session, scope: ReportScope) -> list[dict[str, Any]]:
    """Return the incidents per (team, district, month, category) of counted walks."""
    month = month_of(Walk.walk_date)
    keys = (Walk.team_id, Walk.district_id, month, WalkIncident.category_id)
    rows = session.execute(
        select(*keys, func.sum(WalkIncident.count))
        .join(Walk, Walk.id == WalkIncident.walk_id)
        .where(*counted_walks(scope))
        .group_by(*keys)
    )
    return [{"team_id": t, "district_id": d, "month": m, "category_id": c, "count": int(n)}
            for t, d, m, c, n in rows]


def _costs(
    session: Session, teams: frozenset[int], today: date, open_period: str
) -> tuple[dict[tuple[int, int, str], dict[str, Any]], dict[int, Decimal], list[str]]:
    """Return the priced stipends per cell, the open period's total per team and errors.

    Stipends of a walk month are its frozen lines and its lines in the previews of the open
    periods up to the current month (late entries and corrections are paid in the earliest
    open one): what a report of whole months shows.
    """
    previews = Previews(session, teams)
    latest = previews.latest_closed
    first = [session.scalar(select(func.min(Walk.walk_date)).where(Walk.team_id.in_(teams))),
             session.scalar(select(func.min(PayLine.walk_date)).join(
                 Walk, Walk.id == PayLine.walk_id).where(Walk.team_id.in_(teams)))]
    last = month_span(today.year, today.month)[1]
    scope = ReportScope(min(day for day in [*first, today] if day is not None), last, teams)
    items = [(item, False) for item in frozen_items(session, scope)]
    lines, errors = previews.lines(preview_months(scope, latest, today))
    items += [(item, True) for item in preview_items(session, scope, lines)]
    open_lines, _errors = previews.lines([open_period])
    open_totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for item in preview_items(session, ReportScope(*ALL_TIME, teams), open_lines):
        open_totals[item.team_id] += item.amount
    return _price(items, contribution_rates(session)), dict(open_totals), errors


def _price(items: Iterable[tuple[CostItem, bool]],
           rates: Sequence[EmployerContributionRate]) -> dict[tuple[int, int, str], dict]:
    """Price the items per (team, district, month) as the report does, cell by cell."""
    grouped: dict[tuple[int, int, str], list[CostItem]] = defaultdict(list)
    previewed: set[tuple[int, int, str]] = set()
    for item, from_preview in items:
        cell = (item.team_id, item.district_id, month_key(item.walk_date))
        grouped[cell].append(item)
        if from_preview:
            previewed.add(cell)
    result = {}
    for cell, cell_items in grouped.items():
        priced = breakdown(cell_items, rates)
        cost = priced.cells[cell]
        result[cell] = {
            "stipends": to_money(cost.stipends), "contributions": cost.contributions,
            "costed": True, "previewed": cell in previewed, "examples_used": priced.examples_used,
            "unpriced": " ".join(sorted(f"{age}:{day.isoformat()}"
                                        for age, day in priced.unpriced)),
        }
    return result


def _roster(session: Session, teams: frozenset[int],
            today: date) -> dict[int, dict[str, int | None]]:
    """Return each team's active polare and those lacking required training this school
    year (the start page's team table), with room for their walks awaiting approval."""
    year = school_year_on(session, today)
    counts: dict[int, dict[str, int | None]] = {
        team: {"roster_year_id": year.id if year else None, "active": 0,
               "missing_training": 0, "awaiting": 0} for team in teams}
    if year is None:
        return counts
    active = session.execute(
        select(Enrolment.team_id, Enrolment.person_id).where(
            Enrolment.school_year_id == year.id, Enrolment.team_id.in_(teams),
            Enrolment.status == EnrolmentStatus.ACTIVE)).all()
    missing = missing_required_training(session, {p for _t, p in active}, year.id)
    for team_id, person_id in active:
        counts[team_id]["active"] += 1
        if missing.get(person_id):
            counts[team_id]["missing_training"] += 1
    return counts


def _write_states(session: Session, versions: dict[int, int], key: str,
                  open_totals: dict[int, Decimal], errors: list[str],
                  roster: dict[int, dict[str, int | None]]) -> None:
    """Mark the teams built from the versions read, with their open period's total."""
    connection = session.connection()
    existing = set(session.scalars(
        select(FollowUpTeam.team_id).where(FollowUpTeam.team_id.in_(versions))))
    period = key.split("|")[2]
    text = "\n".join(errors)
    values = [{"team_id": team, "built_version": version, "built_for": key,
               "open_period": period, "open_stipends": to_money(open_totals.get(team, ZERO)),
               "preview_errors": text, **roster[team]} for team, version in versions.items()]
    new = [dict(row, version=row["built_version"]) for row in values
           if row["team_id"] not in existing]
    _insert(connection, FollowUpTeam, new)
    changed = [dict(row, tid=row.pop("team_id")) for row in values
               if row["team_id"] in existing]
    if changed:
        connection.execute(
            update(FollowUpTeam).where(FollowUpTeam.team_id == bindparam("tid")), changed)

