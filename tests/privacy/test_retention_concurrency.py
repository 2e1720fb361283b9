"""A purge racing a new enrolment of the same person keeps the person (PostgreSQL, real commits)."""

from __future__ import annotations

import threading
import time
from datetime import date

from sqlalchemy import create_engine, delete, select
from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry
from polare.audit.services import record
from polare.org.models import SchoolYear, Settings, Team
from polare.privacy import retention
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from tests.conftest import TODAY, valid_personnummer


def _year(session: Session, label: str) -> SchoolYear:
    return session.scalars(select(SchoolYear).where(SchoolYear.label == label)).one()


def test_purge_waits_for_a_new_enrolment_and_then_keeps_the_person(app, postgres_only):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    person_id = None
    try:
        with Session(engine) as setup:
            ryd = setup.scalars(select(Team).where(Team.name == "Ryd")).one()
            person = Person(personnummer=valid_personnummer(date(2008, 2, 2), 931),
                            birth_date=date(2008, 2, 2), first_name="Kim", last_name="Kapp",
                            sort_key="kapp kim")
            setup.add(person)
            setup.flush()
            setup.add(Enrolment(person_id=person.id, team_id=ryd.id,
                                school_year_id=_year(setup, "2024/25").id,
                                status=EnrolmentStatus.ENDED, applied_on=date(2024, 8, 5),
                                activated_on=date(2024, 8, 20), ended_on=date(2024, 10, 1)))
            setup.get(Settings, 1).deletion_decision_ref = "SOCN 2026/1"
            record(setup, None, "create", "person", person.id, note="concurrency test")
            setup.commit()
            person_id, team_id = person.id, ryd.id
            current_year = _year(setup, "2026/27").id

        enrolling = Session(engine)
        enrolling.add(Enrolment(person_id=person_id, team_id=team_id,
                                school_year_id=current_year, applied_on=TODAY))
        record(enrolling, None, "create", "enrolment", "", note="concurrency test")
        enrolling.flush()  # holds a key-share lock on the person's row until it commits

        outcome: dict[str, object] = {}

        def purge() -> None:
            with Session(engine) as purging:
                outcome["result"] = retention.run_purge(purging, None, on=TODAY)
                purging.commit()

        purger = threading.Thread(target=purge)
        purger.start()
        time.sleep(1.0)
        assert purger.is_alive(), "the purge did not wait for the enrolment"
        enrolling.commit()
        enrolling.close()
        purger.join(timeout=30)
        assert "result" in outcome, "the purge failed"

        with Session(engine) as check:
            kept = check.get(Person, person_id)
            assert kept.anonymised_at is None
            assert kept.first_name == "Kim"
    finally:
        with Session(engine) as cleanup:
            if person_id is not None:
                cleanup.execute(delete(Enrolment).where(Enrolment.person_id == person_id))
                cleanup.execute(delete(Person).where(Person.id == person_id))
            cleanup.execute(delete(AuditEntry).where(AuditEntry.note == "concurrency test"))
            cleanup.get(Settings, 1).deletion_decision_ref = ""
            record(cleanup, None, "update", "settings", 1, note="concurrency test")
            cleanup.commit()
            cleanup.execute(delete(AuditEntry).where(AuditEntry.note == "concurrency test"))
            cleanup.commit()
        engine.dispose()
