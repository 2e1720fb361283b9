"""A read-only iCalendar feed of planned walks and events, behind a secret token per user."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from polare.audit.services import record
from polare.auth.access import team_filter, team_ids_for
from polare.auth.models import User, new_token
from polare.clock import LOCAL_TZ
from polare.events.models import Event
from polare.walks.models import Walk, WalkStatus
from polare.walks.roles import FEED_ROLES

#: Events further back than this are left out of the feed.
PAST_EVENTS = timedelta(days=90)


def renew_calendar_token(session: Session, actor: User | None, user: User) -> str:
    """Give the user a new feed token; the old feed address stops working at once."""
    had_token = user.calendar_token is not None
    user.calendar_token = new_token()
    session.flush()
    record(session, actor, "renew_calendar_token" if had_token else "create_calendar_token",
           "user", user.id, note=_("Ny adress till kalenderflödet."))
    return user.calendar_token


def user_for_calendar_token(session: Session, token: str) -> User | None:
    """Return the active user whose feed token this is, if any."""
    if not token:
        return None
    user = session.scalar(select(User).where(User.calendar_token == token))
    if user is None or not user.active or user.role not in FEED_ROLES:
        return None
    return user


def _local(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=LOCAL_TZ)


def _walk_entry(walk: Walk, stamp: datetime) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"walk-{walk.id}@polare")
    entry.add("dtstamp", stamp)
    entry.add("summary", _("Nattvandring %(team)s: %(district)s", team=walk.team.name,
                           district=walk.district.name))
    entry.add("dtstart", walk.starts_at.replace(tzinfo=LOCAL_TZ))
    entry.add("dtend", walk.ends_at.replace(tzinfo=LOCAL_TZ))
    place = ", ".join(filter(None, [walk.meeting_point, walk.district.name]))
    entry.add("location", place)
    entry.add("description", _(
        "Ansvarig personal: %(staff)s. Antal polare: %(count)s.",
        staff=", ".join(user.display_name for user in walk.staff) or "–",
        count=len(walk.participations)))
    return entry


def _event_entry(event: Event, stamp: datetime) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@polare")
    entry.add("dtstamp", stamp)
    entry.add("summary", f"{event.type.name}: {event.title}")
    entry.add("dtstart", _local(event.event_date, event.start_time))
    if event.end_time is not None and event.end_time > event.start_time:
        entry.add("dtend", _local(event.event_date, event.end_time))
    if event.place:
        entry.add("location", event.place)
    entry.add("description", event.team.name if event.team else _("Alla team"))
    return entry


def feed_walks(session: Session, user: User) -> list[Walk]:
    """Return the planned walks of the user's teams, in time order."""
    return list(session.scalars(
        select(Walk)
        .options(joinedload(Walk.team), joinedload(Walk.district), selectinload(Walk.staff),
                 selectinload(Walk.participations))
        .where(team_filter(user, Walk.team_id), Walk.status == WalkStatus.PLANNED)
        .order_by(Walk.starts_at, Walk.id)
    ))


def feed_events(session: Session, user: User, today: date) -> list[Event]:
    """Return the recent and coming events of the user's teams and of all teams."""
    ids = team_ids_for(user)
    query = (
        select(Event)
        .options(joinedload(Event.type), joinedload(Event.team))
        .where(Event.cancelled.is_(False), Event.event_date >= today - PAST_EVENTS)
        .order_by(Event.event_date, Event.start_time, Event.id)
    )
    if ids is not None:
        query = query.where(or_(Event.team_id.is_(None), Event.team_id.in_(ids)))
    return list(session.scalars(query))


def calendar_feed(session: Session, user: User, *, today: date) -> bytes:
    """Return the user's feed as iCalendar bytes: planned walks and events of their teams."""
    calendar = Calendar()
    calendar.add("prodid", "-//Polare//Nattvandringar//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Polare – nattvandringar och utbildningar"))
    calendar.add("x-wr-timezone", str(LOCAL_TZ))
    stamp = datetime.now(UTC)
    for walk in feed_walks(session, user):
        calendar.add_component(_walk_entry(walk, stamp))
    for event in feed_events(session, user, today):
        calendar.add_component(_event_entry(event, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
