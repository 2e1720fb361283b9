"""Prepare the database of the browser tests: schema, reference data and journey data.

Run by the `e2e_server` fixture as `python -m tests.e2e.app_data` with the server's
environment (POLARE_INSTANCE_DIR, DATABASE_URL, SECRET_KEY). It runs the real CLI commands
`db upgrade` and `seed` in this one process (each Python start costs seconds on a busy
machine), falls back to `create_all` when the migration lags behind the models, then creates
the users, polare, walks and rate table the journeys need through the domain services, so
every rule and audit entry holds. It prints what the tests need to know as one JSON object.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from stdnum import luhn

import payroll
from polare import create_app
from polare.auth.models import Role, User
from polare.auth.services import create_user
from polare.clock import local_today
from polare.events.models import EventType
from polare.events.services import create_event
from polare.extensions import db
from polare.org.models import District
from polare.org.services import school_year_on, set_team_year_cap, team_by_name
from polare.pay.services import close_period, decide_rate_version, save_rate_version
from polare.roster.models import Person
from polare.roster.services import (
    GuardianInput,
    PersonInput,
    activate_enrolment,
    add_guardian,
    create_enrolment,
    create_person,
    decline_enrolment,
    end_enrolment,
    register_consent,
    waitlist_enrolment,
)
from polare.walks.models import IncidentCategory, ParticipationStatus, Walk
from polare.walks.planning import WalkPlan, plan_walk
from polare.walks.workflow import WalkLog, approve_walk, cancel_walk, complete_walk, log_walk

PASSWORD = "nattvandring-i-ryd-2026"  # noqa: S105  (a throwaway test database)
#: The Ryd cap of the current school year: two polare are active, so the journey fills it.
RYD_CAP = 3
#: Amounts of the test rate table: under 18 and from 18, first year.
MINOR_FIRST_YEAR = Decimal("200.00")
ADULT_FIRST_YEAR = Decimal("250.00")
#: username, role, teams, full name
USERS = (
    ("e2e-samordnare", Role.COORDINATOR, ("Ryd",), "Sara Samordnare"),
    ("e2e-tangent", Role.COORDINATOR, ("Ryd",), "Tove Tangent"),
    ("e2e-handledare", Role.SUPERVISOR, ("Berga",), "Harald Handledare"),
    # Logs out in the offline tests; logging out ends every session of the user.
    ("e2e-nattvakt", Role.SUPERVISOR, ("Berga",), "Nora Nattvakt"),
    ("e2e-skagg", Role.COORDINATOR, ("Skäggetorp",), "Sixten Skagg"),
    ("e2e-lon", Role.PAYROLL, (), "Lisa Lön"),
    ("e2e-admin", Role.ADMIN, (), "Ada Admin"),
    ("e2e-attest", Role.PAYROLL, (), "Ada Attest"),
)
#: Users with attesträtt.
ATTESTANTS = ("e2e-attest",)


@dataclass
class JourneyData:
    """What the browser tests need to know about the data made here."""

    password: str
    users: dict[str, str]
    today: str
    schema: str = "migrations"
    ryd_cap: int = RYD_CAP
    ryd_active: list[int] = field(default_factory=list)
    ryd_enrolments: list[int] = field(default_factory=list)
    berga_polare: list[str] = field(default_factory=list)
    planned_walk_id: int = 0
    offline_walk_ids: list[int] = field(default_factory=list)
    pay_month: str = ""
    pay_team: str = "Skäggetorp"
    pay_persons: dict[str, int] = field(default_factory=dict)
    pay_amounts: dict[str, str] = field(default_factory=dict)
    #: For the crawl: a walk of each status (Berga) and an enrolment of each status (Skäggetorp).
    walks_by_status: dict[str, int] = field(default_factory=dict)
    enrolments_by_status: dict[str, int] = field(default_factory=dict)
    closed_month: str = ""


def personnummer(birth: date, serial: int) -> str:
    """Return a valid personnummer for the birth date and a three-digit serial."""
    digits = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(digits)}"


def born_years_before(day: date, years: int, days_more: int = 60) -> date:
    """Return a birth date making the person `years` old on the day (birthday passed)."""
    try:
        anniversary = day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        anniversary = day.replace(year=day.year - years, day=28)
    return anniversary - timedelta(days=days_more)


def prepare_schema(app) -> str:
    """Run `flask db upgrade`; build the schema with create_all if the migration lags."""
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    lagging = result.exit_code != 0 or _missing_columns()
    if not lagging:
        return "migrations"
    print("e2e: the migration lags behind the models; using create_all", file=sys.stderr)
    db.session.remove()
    db.drop_all()
    db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()
    db.create_all()
    return "create_all"


def _missing_columns() -> list[str]:
    inspector = inspect(db.engine)
    tables = set(inspector.get_table_names())
    missing = []
    for table in db.metadata.sorted_tables:
        if table.name not in tables:
            missing.append(table.name)
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in present]
    return missing


def seed(app) -> None:
    """Run `flask seed` (teams, districts, school years, event types, categories)."""
    result = app.test_cli_runner().invoke(args=["seed"])
    if result.exit_code != 0:
        raise RuntimeError(f"flask seed failed: {result.output}") from result.exception


def _users(session: Session) -> dict[str, User]:
    users = {}
    for username, role, team_names, full_name in USERS:
        teams = [team_by_name(session, name) for name in team_names]
        users[username] = create_user(session, None, username=username, password=PASSWORD,
                                      role=role, teams=teams, full_name=full_name,
                                      can_attest=username in ATTESTANTS)
    return users


def _polare(session: Session, first: str, last: str, birth: date, serial: int,
            guardian: str = "") -> Person:
    person = create_person(session, None, PersonInput(
        personnummer=personnummer(birth, serial), first_name=first, last_name=last,
        phone=f"070-{serial:03d} 12 34"), today=local_today())
    if guardian:
        add_guardian(session, None, person, GuardianInput(
            name=f"{guardian} {last}", phone=f"073-{serial:03d} 56 78", relation="förälder"))
    return person


def _activate(session: Session, person: Person, team_name: str, day: date) -> int:
    """Enrol the person in the team for the school year of the day, active from its start."""
    year = school_year_on(session, day)
    team = team_by_name(session, team_name)
    start = year.starts_on
    enrolment = create_enrolment(session, None, person, team.id, year.id, on=start)
    if person.guardians:
        register_consent(session, None, enrolment.id, guardian_id=person.guardians[0].id,
                         consent_date=start, today=local_today())
    activate_enrolment(session, None, enrolment.id, on=start)
    return enrolment.id


def _home_district(session: Session, team_name: str) -> int:
    team = team_by_name(session, team_name)
    return session.scalar(select(District.id).where(District.team_id == team.id,
                                                    District.is_home.is_(True)))


def _ryd(session: Session, data: JourneyData, today: date) -> None:
    """Two active adults in Ryd and a cap of three for the current school year."""
    for serial, (first, last) in enumerate((("Nils", "Ryberg"), ("Greta", "Lindahl")), 301):
        person = _polare(session, first, last, born_years_before(today, 19, 100), serial)
        data.ryd_active.append(person.id)
        data.ryd_enrolments.append(_activate(session, person, "Ryd", today))
    year = school_year_on(session, today)
    set_team_year_cap(session, None, team_by_name(session, "Ryd").id, year.id, RYD_CAP)


def _berga(session: Session, data: JourneyData, today: date, supervisor: User) -> None:
    """Two active Berga polare (yesterday and today), a walk planned for tomorrow and five
    more in the coming week for the offline logging tests."""
    yesterday = today - timedelta(days=1)
    people = [
        _polare(session, "Hamid", "Yousef", born_years_before(today, 19, 100), 401),
        _polare(session, "Tuva", "Berglund", born_years_before(today, 17, 100), 402,
                guardian="Maria"),
    ]
    # Yesterday may lie in the previous school year (on 1 August): enrol in both then.
    days = {school_year_on(session, day).id: day for day in (today, yesterday)}
    for person in people:
        data.berga_polare.append(person.full_name)
        for day in days.values():
            _activate(session, person, "Berga", day)
    walk = plan_walk(session, supervisor, WalkPlan(
        team_id=team_by_name(session, "Berga").id, walk_date=today + timedelta(days=1),
        start_time=time(18, 0), end_time=time(21, 0),
        district_id=_home_district(session, "Berga"), meeting_point="Berga torg",
        staff_ids=[supervisor.id], person_ids=[p.id for p in people]))
    data.planned_walk_id = walk.id
    for days_ahead in range(2, 7):  # one walk per offline test, all kept on the phone
        walk = plan_walk(session, supervisor, WalkPlan(
            team_id=walk.team_id, walk_date=today + timedelta(days=days_ahead),
            start_time=time(19, 0), end_time=time(22, 0), district_id=walk.district_id,
            meeting_point="Berga torg", staff_ids=[supervisor.id],
            person_ids=[p.id for p in people]))
        data.offline_walk_ids.append(walk.id)


def _rate_table(session: Session) -> None:
    bands = []
    for years_from, years_to, step in ((1, 1, 0), (2, 2, 30), (3, None, 60)):
        bands.append(payroll.RateBand(15, 17, years_from, years_to, MINOR_FIRST_YEAR + step))
        bands.append(payroll.RateBand(18, None, years_from, years_to, ADULT_FIRST_YEAR + step))
    version = save_rate_version(session, None, None, effective_from=date(2024, 8, 1),
                                label="E2E-tabell", note="Testvärden för webbläsartesterna",
                                bands=bands)
    decide_rate_version(session, None, version.id, reference="E2E 2024/1",
                        decided_on=date(2024, 6, 1))


def _paid_walk(session: Session, data: JourneyData, today: date, planner: User) -> None:
    """An approved Skäggetorp walk on the 10th of last month with a minor and an adult."""
    pay_day = (today.replace(day=1) - timedelta(days=1)).replace(day=10)
    data.pay_month = f"{pay_day:%Y-%m}"
    people = {
        "minor": _polare(session, "Elin", "Skog", born_years_before(pay_day, 16), 501,
                         guardian="Per"),
        "adult": _polare(session, "Jonas", "Åström", born_years_before(pay_day, 19), 502),
    }
    for person in people.values():
        _activate(session, person, data.pay_team, pay_day)
    data.pay_persons = {kind: person.id for kind, person in people.items()}
    data.pay_amounts = {"minor": str(MINOR_FIRST_YEAR), "adult": str(ADULT_FIRST_YEAR)}
    walk = plan_walk(session, planner, WalkPlan(
        team_id=team_by_name(session, data.pay_team).id, walk_date=pay_day,
        start_time=time(18, 0), end_time=time(21, 0),
        district_id=_home_district(session, data.pay_team), meeting_point="Skäggetorp C",
        staff_ids=[planner.id], person_ids=[p.id for p in people.values()]))
    category = session.scalars(select(IncidentCategory).order_by(IncidentCategory.id)).first()
    log_walk(session, planner, walk.id, WalkLog(
        attendance={p.id: ParticipationStatus.ATTENDED for p in people.values()},
        youths_met=12, youths_talked=4, incidents={category.id: 1},
        note="Lugn kväll vid centrum."), version=walk.version)
    complete_walk(session, planner, walk.id, version=walk.version,
                  now=datetime.combine(pay_day + timedelta(days=1), time(9, 0)))
    approve_walk(session, planner, walk.id, version=walk.version, confirm_training=True)


def _logged_walk(session: Session, planner: User, plan: WalkPlan,
                 attendance: ParticipationStatus) -> Walk:
    """Plan, log and complete a walk (every polare with the attendance)."""
    walk = plan_walk(session, planner, plan)
    log_walk(session, planner, walk.id, WalkLog(
        attendance=dict.fromkeys(plan.person_ids, attendance), youths_met=7, youths_talked=2,
        incidents={}, note="Stilla kväll."), version=walk.version)
    complete_walk(session, planner, walk.id, version=walk.version,
                  now=datetime.combine(plan.walk_date + timedelta(days=1), time(9, 0)))
    return walk


def _crawl_walks(session: Session, data: JourneyData, today: date, supervisor: User) -> None:
    """Berga walks of every status, with two polare of their own (no overlap with journeys).

    Tonight's walk is planned; two days ago one was completed and one approved (everyone
    absent, so nothing is paid); one in two days is cancelled.
    """
    earlier = today - timedelta(days=2)
    people = [_polare(session, "Ali", "Crawlsson", born_years_before(today, 19, 90), 601),
              _polare(session, "Vera", "Webb", born_years_before(today, 19, 90), 602)]
    for person in people:
        for day in {school_year_on(session, d).id: d for d in (today, earlier)}.values():
            _activate(session, person, "Berga", day)

    def plan(day: date, start: int, end: int) -> WalkPlan:
        return WalkPlan(
            team_id=team_by_name(session, "Berga").id, walk_date=day, start_time=time(start),
            end_time=time(end), district_id=_home_district(session, "Berga"),
            meeting_point="Berga centrum", staff_ids=[supervisor.id],
            person_ids=[p.id for p in people])

    data.walks_by_status["planned"] = plan_walk(session, supervisor, plan(today, 20, 23)).id
    data.walks_by_status["completed"] = _logged_walk(
        session, supervisor, plan(earlier, 13, 15), ParticipationStatus.ATTENDED).id
    approved = _logged_walk(session, supervisor, plan(earlier, 10, 12),
                            ParticipationStatus.ABSENT)
    approve_walk(session, supervisor, approved.id, version=approved.version,
                 confirm_training=True)
    data.walks_by_status["approved"] = approved.id
    cancelled = plan_walk(session, supervisor, plan(today + timedelta(days=2), 18, 21))
    cancel_walk(session, supervisor, cancelled.id, version=cancelled.version,
                reason="Oväder")
    data.walks_by_status["cancelled"] = cancelled.id
    event_type = session.scalars(select(EventType).order_by(EventType.id)).first()
    create_event(session, supervisor, type_id=event_type.id, title="Nätverksträff i Berga",
                 event_date=today + timedelta(days=7), start_time=time(17),
                 end_time=time(19), team_id=team_by_name(session, "Berga").id,
                 place="Berga bibliotek")


def _crawl_enrolments(session: Session, data: JourneyData, today: date) -> None:
    """Skäggetorp enrolments of every status this school year, each of its own polare."""
    year = school_year_on(session, today)
    team = team_by_name(session, "Skäggetorp")
    for serial, status in enumerate(("applicant", "waitlisted", "declined", "ended"), 701):
        person = _polare(session, status.title(), "Statusson", born_years_before(today, 19),
                         serial)
        enrolment = create_enrolment(session, None, person, team.id, year.id,
                                     on=year.starts_on)
        if status == "waitlisted":
            waitlist_enrolment(session, None, enrolment.id)
        elif status == "declined":
            decline_enrolment(session, None, enrolment.id)
        elif status == "ended":
            activate_enrolment(session, None, enrolment.id, on=year.starts_on)
            end_enrolment(session, None, enrolment.id, on=today, reason="Flyttat")
        data.enrolments_by_status[status] = enrolment.id


def _closed_month(session: Session, data: JourneyData, today: date, planner: User) -> None:
    """A paid Skäggetorp walk on the 10th of the month before last, whose month is closed."""
    day = (today.replace(day=1) - timedelta(days=32)).replace(day=10)
    person = _polare(session, "Stina", "Stängd", born_years_before(day, 19), 801)
    _activate(session, person, data.pay_team, day)
    walk = _logged_walk(session, planner, WalkPlan(
        team_id=team_by_name(session, data.pay_team).id, walk_date=day,
        start_time=time(18), end_time=time(21),
        district_id=_home_district(session, data.pay_team), meeting_point="Skäggetorp C",
        staff_ids=[planner.id], person_ids=[person.id]), ParticipationStatus.ATTENDED)
    approve_walk(session, planner, walk.id, version=walk.version, confirm_training=True)
    data.closed_month = f"{day:%Y-%m}"
    close_period(session, None, data.closed_month)


def load_journey_data(session: Session, today: date) -> JourneyData:
    """Create everything the journeys start from; return what the tests need to know."""
    users = _users(session)
    data = JourneyData(password=PASSWORD, users={u: users[u].role.value for u in users},
                       today=today.isoformat())
    _ryd(session, data, today)
    _berga(session, data, today, users["e2e-handledare"])
    _rate_table(session)
    _paid_walk(session, data, today, users["e2e-skagg"])
    _crawl_walks(session, data, today, users["e2e-handledare"])
    _crawl_enrolments(session, data, today)
    _closed_month(session, data, today, users["e2e-skagg"])
    return data


def main() -> None:
    """Prepare the database named by the environment and print the journey data as JSON."""
    app = create_app()
    with app.app_context():
        schema = prepare_schema(app)
        seed(app)
        data = load_journey_data(db.session, local_today())
        data.schema = schema
        db.session.commit()
    print(json.dumps(asdict(data)))


if __name__ == "__main__":
    main()
