"""Demo events: Ryd's autumn leadership training, a network meeting, a parent meeting."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.events import attendance
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.events.services import create_event
from polare.org.models import SchoolYear
from polare.org.services import school_year_on, team_by_name
from polare.roster.models import Enrolment, EnrolmentStatus


def _saturday_on_or_after(day: date) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _type_id(session: Session, name: str) -> int | None:
    return session.scalar(select(EventType.id).where(EventType.name == name))


def _has_active(session: Session, school_year: SchoolYear, team_id: int | None) -> bool:
    query = select(Enrolment.id).where(Enrolment.school_year_id == school_year.id,
                                       Enrolment.status == EnrolmentStatus.ACTIVE)
    if team_id is not None:
        query = query.where(Enrolment.team_id == team_id)
    return session.scalar(query.limit(1)) is not None


def _event(
    session: Session, type_name: str, title: str, day: date, start: time, end: time,
    team_id: int | None, place: str, notes: str = "",
) -> Event | None:
    """Return the demo event, creating it (with its invitations) when missing."""
    type_id = _type_id(session, type_name)
    if type_id is None or school_year_on(session, day) is None:
        return None
    event = session.scalar(select(Event).where(Event.title == title, Event.event_date == day))
    if event is None:
        event = create_event(session, None, type_id=type_id, title=title, event_date=day,
                             start_time=start, end_time=end, team_id=team_id, place=place,
                             notes=notes)
        attendance.invite_active_polare(session, None, event)
    return event


def _mark(session: Session, event: Event | None, today: date) -> None:
    """Mark every fourth invitee absent and the others attended, once the event has passed."""
    if event is None or event.event_date > today:
        return
    person_ids = session.scalars(
        select(Invitation.person_id).where(Invitation.event_id == event.id,
                                           Invitation.status == InvitationStatus.INVITED)
        .order_by(Invitation.person_id)
    ).all()
    for index, person_id in enumerate(person_ids):
        status = InvitationStatus.ABSENT if index % 4 == 3 else InvitationStatus.ATTENDED
        attendance.mark_attendance(session, None, event, person_id, status, on=today)


def load_demo(session: Session, today: date) -> None:
    """Create the demo events of the current school year for teams with active polare."""
    school_year = school_year_on(session, today)
    if school_year is None:
        return
    ryd = team_by_name(session, "Ryd")
    start_year = school_year.starts_on.year
    if ryd is not None and _has_active(session, school_year, ryd.id):
        training = _event(
            session, "Ledarskapsutbildning", f"Ledarskapsutbildning hösten {start_year}",
            _saturday_on_or_after(date(start_year, 10, 14)), time(10, 0), time(15, 0), ryd.id,
            "Ryds bibliotek, studierummet",
            "Lunch ingår. Ta med anteckningsblock. Samtal om bemötande, konflikthantering och "
            "sekretess.",
        )
        _mark(session, training, today)
        _event(session, "Föräldramöte", "Föräldramöte Ryd", today + timedelta(days=14),
               time(18, 0), time(19, 30), ryd.id, "Rydskolan, aulan",
               "Information om nattvandringarna under vintern.")
    if _has_active(session, school_year, None):
        network = _event(
            session, "Nätverksträff", f"Nätverksträff för alla polare {start_year}",
            _saturday_on_or_after(date(start_year, 11, 4)), time(13, 0), time(16, 0), None,
            "Stadsbiblioteket, hörsalen", "Fika och erfarenhetsutbyte mellan teamen.",
        )
        _mark(session, network, today)
