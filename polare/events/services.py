"""Event types and events: create, change, cancel, find (SPEC §4).

Invitations and attendance are in `polare.events.attendance`; required-training status is in
`polare.events.training`.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, true
from sqlalchemy.orm import Session, joinedload

from polare.audit.services import changes_between, record, snapshot
from polare.auth.access import team_ids_for
from polare.errors import DomainError, NotFoundError, PermissionDeniedError
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.org.models import Team
from polare.org.services import school_year_on
from polare.roster.models import Enrolment, EnrolmentStatus

EVENT_TYPE_FIELDS = ("name", "name_en", "required", "active", "sort_order")
EVENT_FIELDS = (
    "type_id", "title", "event_date", "start_time", "end_time", "team_id", "school_year_id",
    "place", "notes", "cancelled", "organiser_team_id",
)


def scope_of(actor: Any) -> set[int] | None:
    """Return the team ids the actor works with, or None for all teams (admin, payroll, CLI)."""
    return None if actor is None else team_ids_for(actor)


# ---------------------------------------------------------------- event types


def save_event_type(
    session: Session, actor: Any, event_type: EventType | None, *, name: str, required: bool,
    active: bool, sort_order: int, name_en: str,
) -> EventType:
    """Create or change an event type; names are unique (ignoring case)."""
    name = name.strip()
    # Compared in Python: SQLite's lower() leaves Å, Ä and Ö as they are (the table is small).
    clash = next((t for t in session.scalars(select(EventType))
                  if t.name.casefold() == name.casefold()), None)
    if clash is not None and clash is not event_type:
        raise DomainError("events.event_type_name_taken", field="name", name=name)
    is_new = event_type is None
    event_type = event_type or EventType(name=name)
    before = {} if is_new else snapshot(event_type, EVENT_TYPE_FIELDS)
    event_type.name, event_type.name_en, event_type.required = name, name_en.strip(), required
    event_type.active, event_type.sort_order = active, sort_order
    session.add(event_type)
    session.flush()
    record(session, actor, "create" if is_new else "update", "event_type", event_type.id,
           changes=changes_between(before, snapshot(event_type, EVENT_TYPE_FIELDS)))
    return event_type


def event_types(session: Session, *, include_inactive: bool = True) -> list[EventType]:
    """Return the event types in display order."""
    query = select(EventType).order_by(EventType.sort_order, EventType.name)
    if not include_inactive:
        query = query.where(EventType.active.is_(True))
    return list(session.scalars(query))


# ---------------------------------------------------------------- events


def visible_events(actor: Any) -> ColumnElement[bool]:
    """Return a WHERE clause for the events the actor may see: own teams' and all-team events."""
    ids = scope_of(actor)
    if ids is None:
        return true()
    return or_(Event.team_id.is_(None), Event.team_id.in_(ids))


def get_event(session: Session, actor: Any, event_id: int) -> Event:
    """Return an event the actor may see, or raise NotFoundError."""
    event = session.scalar(select(Event).where(Event.id == event_id, visible_events(actor)))
    if event is None:
        raise NotFoundError("events.event_not_found")
    return event


def _check_team(session: Session, actor: Any, team_id: int | None) -> None:
    if team_id is not None and session.get(Team, team_id) is None:
        raise DomainError("events.team_not_found", field="team_id")
    ids = scope_of(actor)
    if ids is not None and team_id is not None and team_id not in ids:
        raise DomainError("events.own_teams_only", field="team_id")


def may_change_event(actor: Any, event: Event) -> bool:
    """Tell whether the actor may edit or cancel the event.

    Admin may change every event; coordinators the events of their teams, and an all-team event
    only when their team organises it. Everyone else marks attendance for their own invitees.
    """
    ids = scope_of(actor)
    owner = event.team_id if event.team_id is not None else event.organiser_team_id
    return ids is None or owner in ids


def _check_may_change(actor: Any, event: Event) -> None:
    if not may_change_event(actor, event):
        raise PermissionDeniedError("events.organiser_only")


def _organiser_team_id(session: Session, actor: Any, team_id: int | None,
                       organiser_team_id: int | None) -> int | None:
    """Return the organising team: the event's team, the one chosen, or the actor's only team."""
    if team_id is not None:
        return team_id
    ids = scope_of(actor)
    if organiser_team_id is None:
        return next(iter(ids)) if ids is not None and len(ids) == 1 else None
    if session.get(Team, organiser_team_id) is None or (
            ids is not None and organiser_team_id not in ids):
        raise DomainError("events.choose_organiser", field="organiser_team_id")
    return organiser_team_id


def _check_type(session: Session, type_id: int, current: int | None) -> None:
    event_type = session.get(EventType, type_id)
    if event_type is None or (not event_type.active and type_id != current):
        raise DomainError("events.choose_active_type", field="type_id")


def _check_times(start_time: time, end_time: time | None) -> None:
    if end_time is not None and end_time <= start_time:
        raise DomainError("events.end_before_start", field="end_time")


def _school_year_id_on(session: Session, day: date) -> int:
    school_year = school_year_on(session, day)
    if school_year is None:
        raise DomainError("events.date_outside_school_years", field="event_date",
                          day=day.isoformat())
    return school_year.id


def create_event(
    session: Session, actor: Any, *, type_id: int, title: str, event_date: date,
    start_time: time, end_time: time | None, team_id: int | None, place: str = "",
    notes: str = "", organiser_team_id: int | None = None,
) -> Event:
    """Schedule an event; its school year follows from the date.

    An all-team event records its organising team (`organiser_team_id`, or the creating
    coordinator's only team); a team's own event is organised by that team.
    """
    _check_type(session, type_id, None)
    _check_team(session, actor, team_id)
    organiser = _organiser_team_id(session, actor, team_id, organiser_team_id)
    _check_times(start_time, end_time)
    event = Event(
        type_id=type_id, title=title.strip(), event_date=event_date, start_time=start_time,
        end_time=end_time, team_id=team_id, school_year_id=_school_year_id_on(session, event_date),
        place=place.strip(), notes=notes.strip(), cancelled=False,
        organiser_team_id=organiser, created_by_id=getattr(actor, "id", None),
    )
    session.add(event)
    session.flush()
    record(session, actor, "create", "event", event.id,
           changes=changes_between({}, snapshot(event, EVENT_FIELDS)))
    return event


def update_event(
    session: Session, actor: Any, event: Event, *, type_id: int, title: str, event_date: date,
    start_time: time, end_time: time | None, team_id: int | None, place: str = "",
    notes: str = "",
) -> Event:
    """Change an event; invited polare must still belong to its team(s) and school year."""
    _check_may_change(actor, event)
    if event.cancelled:
        raise DomainError("events.cancelled_unchangeable")
    _check_type(session, type_id, event.type_id)
    if team_id != event.team_id:
        _check_team(session, actor, team_id)
    _check_times(start_time, end_time)
    school_year_id = _school_year_id_on(session, event_date)
    has_invitations = session.scalar(select(exists().where(Invitation.event_id == event.id)))
    if has_invitations and school_year_id != event.school_year_id:
        raise DomainError("events.invited_other_year", field="event_date")
    if has_invitations and team_id is not None and team_id != event.team_id:
        outside = _invitees_without_place(session, event, team_id)
        if outside:
            raise DomainError("events.invitees_outside_team", field="team_id", n=outside)
    before = snapshot(event, EVENT_FIELDS)
    event.type_id, event.title, event.event_date = type_id, title.strip(), event_date
    event.start_time, event.end_time, event.team_id = start_time, end_time, team_id
    event.school_year_id, event.place, event.notes = school_year_id, place.strip(), notes.strip()
    session.flush()
    record(session, actor, "update", "event", event.id,
           changes=changes_between(before, snapshot(event, EVENT_FIELDS)))
    return event


def _invitees_without_place(session: Session, event: Event, team_id: int) -> int:
    """Count the event's invitees without an enrolment in the team in the event's year."""
    placed = select(Enrolment.person_id).where(
        Enrolment.team_id == team_id,
        Enrolment.school_year_id == event.school_year_id,
        Enrolment.status != EnrolmentStatus.DECLINED,
    )
    return session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.event_id == event.id, Invitation.person_id.not_in(placed)
        )
    ) or 0


def cancel_event(session: Session, actor: Any, event: Event, *, reason: str = "") -> Event:
    """Cancel an event; one with recorded attendance has happened and cannot be cancelled."""
    _check_may_change(actor, event)
    if event.cancelled:
        raise DomainError("events.already_cancelled")
    attended = session.scalar(select(exists().where(
        Invitation.event_id == event.id, Invitation.status != InvitationStatus.INVITED,
    )))
    if attended:
        raise DomainError("events.attendance_recorded")
    event.cancelled = True
    session.flush()
    record(session, actor, "cancel", "event", event.id, changes={"cancelled": [False, True]},
           note=reason.strip())
    return event


#: The team filter value meaning "only events for all teams".
ALL_TEAMS = "alla"


def filtered_events(
    actor: Any, *, team: str = "", type_id: int | None = None,
    school_year_id: int | None = None,
) -> Select[tuple[Event]]:
    """Return a SELECT of the events the actor may see, filtered for the list page.

    `team` is "" (every visible event), ALL_TEAMS (all-team events only) or a team id as text
    (that team's events and the all-team events).
    """
    query = select(Event).where(visible_events(actor))
    if team == ALL_TEAMS:
        query = query.where(Event.team_id.is_(None))
    elif team.isdigit():
        query = query.where(or_(Event.team_id == int(team), Event.team_id.is_(None)))
    if type_id is not None:
        query = query.where(Event.type_id == type_id)
    if school_year_id is not None:
        query = query.where(Event.school_year_id == school_year_id)
    return query.options(joinedload(Event.type), joinedload(Event.team))
