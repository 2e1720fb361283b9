"""Two "invite all" requests at once (a double click) still give one invitation each."""

from __future__ import annotations

import threading
from datetime import date, time

from sqlalchemy import create_engine, delete, func, select
from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry
from polare.audit.services import record
from polare.database import configure_engine
from polare.events import attendance
from polare.events.models import Event, EventType, Invitation
from polare.org.models import SchoolYear, Team
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from tests.conftest import valid_personnummer


def _setup(engine) -> tuple[int, list[int]]:
    """Commit two active Ryd polare and a Ryd event; return the event id and person ids."""
    with Session(engine) as session:
        team_id = session.scalar(select(Team.id).where(Team.name == "Ryd"))
        year = session.scalars(select(SchoolYear).where(SchoolYear.label == "2026/27")).one()
        people = [
            Person(personnummer=valid_personnummer(date(2009, 5, day), 900 + day),
                   birth_date=date(2009, 5, day), first_name=name, last_name="Parallell",
                   sort_key=f"parallell {name.lower()}")
            for day, name in ((1, "Ada"), (2, "Bea"))
        ]
        session.add_all(people)
        session.flush()
        session.add_all(
            Enrolment(person_id=p.id, team_id=team_id, school_year_id=year.id,
                      status=EnrolmentStatus.ACTIVE, applied_on=year.starts_on,
                      activated_on=year.starts_on)
            for p in people
        )
        event = Event(
            type_id=session.scalar(select(EventType.id).where(EventType.name == "Introduktion")),
            title="Dubbelklick", event_date=date(2026, 9, 12), start_time=time(10, 0),
            team_id=team_id, school_year_id=year.id,
        )
        session.add(event)
        session.flush()
        record(session, None, "create", "event", event.id, note="concurrency test")
        session.commit()
        return event.id, [p.id for p in people]


def _cleanup(engine, event_id: int, person_ids: list[int]) -> None:
    with engine.begin() as connection:
        connection.execute(delete(Invitation).where(Invitation.event_id == event_id))
        connection.execute(delete(Event).where(Event.id == event_id))
        connection.execute(delete(Enrolment).where(Enrolment.person_id.in_(person_ids)))
        connection.execute(delete(Person).where(Person.id.in_(person_ids)))
        connection.execute(delete(AuditEntry).where(AuditEntry.entity == "event",
                                                    AuditEntry.entity_id == str(event_id)))


def test_inviting_all_twice_at_once_creates_one_invitation_each(app):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    configure_engine(engine)
    event_id, person_ids = _setup(engine)
    first_flushed = threading.Event()
    added: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with Session(engine) as session:
                added["first"] = attendance.invite_active_polare(
                    session, None, session.get(Event, event_id))
                first_flushed.set()
                threading.Event().wait(0.5)  # the second request now runs into our rows
                session.commit()
        except BaseException as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
            first_flushed.set()

    def second() -> None:
        first_flushed.wait(10)
        try:
            with Session(engine) as session:
                added["second"] = attendance.invite_active_polare(
                    session, None, session.get(Event, event_id))
                session.commit()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        with engine.connect() as connection:
            count = connection.scalar(
                select(func.count(Invitation.id)).where(Invitation.event_id == event_id))
        assert errors == []
        assert count == 2
        assert added == {"first": 2, "second": 0}
    finally:
        _cleanup(engine, event_id, person_ids)
        engine.dispose()
