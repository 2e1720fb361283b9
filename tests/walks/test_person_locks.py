"""The lock a planner takes on the polare it puts on a walk (PostgreSQL).

Under load, a supervisor planning a walk locked a polare's row and then waited for the team's
follow-up row, while another request held that row and waited to name the same polare in its
audit entry: PostgreSQL broke the circle by failing the plan (HTTP 500).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry, AuditEntryPerson
from polare.roster.models import Person
from polare.walks.rules import lock_persons
from tests.conftest import valid_personnummer

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine_and_polare(postgres_engine):
    """The engine of a database with one committed polare; returns (engine, id)."""
    engine = postgres_engine
    with Session(engine) as session:
        birth = date(2009, 4, 2)
        person = Person(personnummer=valid_personnummer(birth, 321), birth_date=birth,
                        first_name="Alva", last_name="Ek", sort_key="ek alva")
        session.add_all([person, AuditEntry(action="create", entity="person")])
        session.commit()
        return engine, person.id


def test_a_planners_lock_lets_another_transaction_name_the_polare(engine_and_polare):
    engine, person_id = engine_and_polare
    with Session(engine) as planner, Session(engine) as other:
        lock_persons(planner, [person_id])
        other.execute(text("SET LOCAL lock_timeout = '2s'"))
        other.add(AuditEntry(action="view", entity="person", entity_id=str(person_id),
                             persons=[AuditEntryPerson(person_id=person_id)]))
        other.commit()  # waited for the planner before, and timed out here
        planner.rollback()


def test_two_planners_of_the_same_polare_take_turns(engine_and_polare):
    engine, person_id = engine_and_polare
    with Session(engine) as first, Session(engine) as second:
        lock_persons(first, [person_id])
        second.execute(text("SET LOCAL lock_timeout = '200ms'"))
        with pytest.raises(OperationalError, match="lock timeout"):
            lock_persons(second, [person_id])
        first.rollback()
