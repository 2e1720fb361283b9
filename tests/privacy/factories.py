"""Records of other domains built straight from the models, for privacy and security tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.audit.services import record
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.org.models import District, SchoolYear, Team
from polare.pay.models import LineKind, PayLine, PayPeriod, PeriodStatus
from polare.roster.models import Guardian, Person
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkStatus


def _audited(session: Session, entity: str, obj: Any) -> Any:
    session.flush()
    record(session, None, "create", entity, obj.id, note="test fixture")
    return obj


def school_year(session: Session, start_year: int) -> SchoolYear:
    """Return the school year starting 1 August of the year, creating it if missing."""
    label = f"{start_year}/{(start_year + 1) % 100:02d}"
    year = session.scalars(select(SchoolYear).where(SchoolYear.label == label)).one_or_none()
    if year is None:
        year = SchoolYear(label=label, starts_on=date(start_year, 8, 1),
                          ends_on=date(start_year + 1, 7, 31))
        session.add(year)
        _audited(session, "school_year", year)
    return year


def home_district(session: Session, team: Team) -> District:
    """Return the team's home district."""
    return session.scalars(
        select(District).where(District.team_id == team.id, District.is_home.is_(True))
    ).one()


def guardian(session: Session, person: Person, name: str, phone: str = "+46701112233") -> Guardian:
    """Add a guardian to the person."""
    added = Guardian(person_id=person.id, name=name, phone=phone, email="vh@example.se",
                     relation="mamma")
    session.add(added)
    return _audited(session, "guardian", added)


def walk(session: Session, team: Team, day: date, persons: list[Person], *,
         status: WalkStatus = WalkStatus.APPROVED, meeting_point: str = "Centrum") -> Walk:
    """Make a walk 18:00–22:00 on the day with the persons attending."""
    starts = datetime.combine(day, time(18, 0))
    made = Walk(team_id=team.id, district_id=home_district(session, team).id, walk_date=day,
                start_time=time(18, 0), end_time=time(22, 0), starts_at=starts,
                ends_at=starts + timedelta(hours=4), meeting_point=meeting_point, status=status,
                youths_met=12, youths_talked=5)
    made.participations = [Participation(person_id=p.id, status=ParticipationStatus.ATTENDED)
                           for p in persons]
    session.add(made)
    return _audited(session, "walk", made)


def event(session: Session, team: Team | None, day: date, persons: list[Person], *,
          title: str = "Ledarskapsutbildning") -> Event:
    """Make an event on the day that the persons attended."""
    event_type = session.scalars(select(EventType).order_by(EventType.id)).first()
    year = session.scalars(select(SchoolYear).where(SchoolYear.starts_on <= day,
                                                    SchoolYear.ends_on >= day)).one()
    made = Event(type_id=event_type.id, title=title, event_date=day, start_time=time(17, 0),
                 team_id=team.id if team else None, school_year_id=year.id, place="Ryds skola")
    made.invitations = [Invitation(person_id=p.id, status=InvitationStatus.ATTENDED)
                        for p in persons]
    session.add(made)
    return _audited(session, "event", made)


def pay_period(session: Session, month: str, *, closed: bool = True) -> PayPeriod:
    """Return the pay period of the month, creating it (closed unless told otherwise)."""
    period = session.scalars(select(PayPeriod).where(PayPeriod.month == month)).one_or_none()
    if period is None:
        period = PayPeriod(month=month, status=PeriodStatus.CLOSED if closed else PeriodStatus.OPEN)
        session.add(period)
        _audited(session, "pay_period", period)
    return period


def pay_line(session: Session, month: str, person: Person, paid_walk: Walk,
             amount: str = "350.00") -> PayLine:
    """Add a frozen pay line for the person's participation in the walk to the month."""
    period = pay_period(session, month)
    participation = next(p for p in paid_walk.participations if p.person_id == person.id)
    line = PayLine(
        period_id=period.id, kind=LineKind.ORDINARY, participation_id=participation.id,
        person_id=person.id, walk_id=paid_walk.id, walk_date=paid_walk.walk_date,
        start_time=paid_walk.start_time, end_time=paid_walk.end_time,
        team_name="Ryd", cost_centre="K100", district_name="Ryd",
        personnummer=person.personnummer, first_name=person.first_name,
        last_name=person.last_name, age=17, years=1, band_label="15–17 år, år 1",
        amount=Decimal(amount),
    )
    session.add(line)
    period.total = (period.total or Decimal("0")) + Decimal(amount)
    return _audited(session, "pay_line", line)
