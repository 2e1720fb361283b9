"""Demo data: former polare that the retention page lists, loaded once."""

from __future__ import annotations

from sqlalchemy import func, select

from polare.privacy import retention
from polare.privacy.demo import FORMER_POLARE, load_demo
from polare.roster.models import Person
from tests.conftest import TODAY


def test_demo_former_polare_are_due_for_retention(db):
    load_demo(db, TODAY)
    names = {due.name for due in retention.plan_purge(db, on=TODAY).persons}
    assert names >= {f"{first} {last}" for _t, first, last, *_rest in FORMER_POLARE}


def test_demo_is_loaded_once(db):
    load_demo(db, TODAY)
    count = db.scalar(select(func.count(Person.id)))
    load_demo(db, TODAY)
    assert db.scalar(select(func.count(Person.id))) == count
