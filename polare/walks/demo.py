"""Demo walks: Friday and Saturday walks this autumn for each team with active polare."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.auth.models import Role, User
from polare.org.models import District, SchoolYear, Team
from polare.org.services import school_year_on
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.walks.models import IncidentCategory, ParticipationStatus, Walk
from polare.walks.planning import WalkPlan, plan_walk, series_dates
from polare.walks.rules import persons_with_active_enrolment
from polare.walks.workflow import WalkLog, approve_walk, cancel_walk, complete_walk, log_walk

#: Demo users who staff walks, when they exist and work with the team.
STAFF_USERNAMES = ("handledare", "samordnare", "berga")
FRIDAY, SATURDAY = 4, 5
#: Walks that ended within this many days are left completed, awaiting approval.
AWAITING_APPROVAL_DAYS = 10
MEETING_POINTS = ("Vid centrumets entré", "Busshållplatsen vid skolan", "Fritidsgården",
                  "Kiosken vid torget")
NOTES = (
    "Lugn kväll. Många ungdomar samlades vid centrum men stämningen var god.",
    "Pratade med en grupp vid skolan om helgens fest; de visste vart de kunde vända sig.",
    "Kallt och blåsigt, få ute. Följde med en ungdom till bussen.",
    "Oro vid busshållplatsen tidigt på kvällen, lugnade sig när vi kom dit.",
)
#: (walk index modulo, incident category, count) giving a few incidents over the term.
INCIDENTS = ((3, "Stöttat ungdom", 1), (4, "Bråk", 1), (5, "Alkohol / droger", 2),
             (7, "Kontakt med föräldrar", 1))


def _staff(session: Session, team: Team) -> list[User]:
    users = session.scalars(
        select(User).where(User.username.in_(STAFF_USERNAMES), User.active.is_(True))
        .order_by(User.username)).all()
    staff = [u for u in users if any(t.id == team.id for t in u.teams)]
    if staff:
        return staff
    admin = session.scalar(select(User).where(User.username == "admin", User.role == Role.ADMIN))
    return [admin] if admin is not None else []


def _active_polare(session: Session, team: Team, year: SchoolYear) -> list[Person]:
    return list(session.scalars(
        select(Person).join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.team_id == team.id, Enrolment.school_year_id == year.id,
               Enrolment.status.in_([EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED]))
        .order_by(Person.sort_key)))


def _group(session: Session, polare: list[Person], index: int, day: date) -> list[Person]:
    """Return three or four polare, rotating through the team, who are active on the day."""
    size = 3 + index % 2
    chosen = {polare[(index * 3 + k) % len(polare)].id: None for k in range(size)}
    active = persons_with_active_enrolment(session, chosen, day)
    return [p for p in polare if p.id in active and p.id in chosen]


def _log_for(index: int, group: list[Person], categories: dict[str, int]) -> WalkLog:
    attendance = {p.id: ParticipationStatus.ATTENDED for p in group}
    if index % 3 == 2 and len(group) > 2:
        attendance[group[-1].id] = ParticipationStatus.ABSENT
    met = 6 + (index * 7) % 17
    incidents = {categories[name]: count for modulo, name, count in INCIDENTS
                 if index % modulo == 0 and name in categories}
    return WalkLog(attendance=attendance, youths_met=met, youths_talked=met // 4 + index % 3,
                   incidents=incidents, note=NOTES[index % len(NOTES)])


def _team_walks(session: Session, team: Team, year: SchoolYear, today: date) -> None:
    staff = _staff(session, team)
    polare = _active_polare(session, team, year)
    districts = session.scalars(select(District).where(District.team_id == team.id)
                                .order_by(District.is_home.desc(), District.name)).all()
    if not staff or not polare or not districts:
        return
    categories = {c.name: c.id for c in session.scalars(select(IncidentCategory))}
    planner, approver = staff[0], staff[-1]
    autumn = series_dates(max(year.starts_on, date(year.starts_on.year, 9, 1)),
                          date(year.starts_on.year, 12, 19), {FRIDAY, SATURDAY})
    future = [day for day in autumn if day > today]
    cancelled_day = future[len(future) // 2] if future else None
    for index, day in enumerate(autumn):
        friday = day.weekday() == FRIDAY
        district = districts[0] if index % 3 else districts[index % len(districts)]
        walk = plan_walk(session, planner, WalkPlan(
            team_id=team.id, walk_date=day, start_time=time(19, 0) if friday else time(18, 0),
            end_time=time(23, 0) if friday else time(22, 0), district_id=district.id,
            meeting_point=MEETING_POINTS[index % len(MEETING_POINTS)],
            staff_ids=[u.id for u in staff], person_ids=[p.id for p in
                                                         _group(session, polare, index, day)]))
        if day == cancelled_day:
            cancel_walk(session, planner, walk.id, version=walk.version,
                        reason="Inställd på grund av storm.")
        if day >= today:
            continue
        group = [p.person for p in walk.participations]
        log_walk(session, planner, walk.id, _log_for(index, group, categories),
                 version=walk.version)
        complete_walk(session, planner, walk.id, version=walk.version,
                      now=datetime.combine(day + timedelta(days=1), time(9, 0)))
        if day < today - timedelta(days=AWAITING_APPROVAL_DAYS):
            approve_walk(session, approver, walk.id, version=walk.version,
                         confirm_training=True)


def load_demo(session: Session, today: date) -> None:
    """Plan, log and approve demo walks for each team with active polare, once."""
    year = school_year_on(session, today)
    if year is None:
        return
    for team in session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)):
        if session.scalar(select(Walk.id).where(Walk.team_id == team.id).limit(1)) is None:
            _team_walks(session, team, year, today)
