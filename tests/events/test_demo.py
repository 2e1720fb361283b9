"""The demo events."""

from __future__ import annotations

from sqlalchemy import func, select

from polare.events.demo import load_demo
from polare.events.models import Event, Invitation, InvitationStatus
from tests.conftest import TODAY


def _counts(db) -> tuple[int, int]:
    return (db.scalar(select(func.count(Event.id))),
            db.scalar(select(func.count(Invitation.id))))


def test_demo_has_nothing_without_active_polare(db):
    load_demo(db, TODAY)
    assert _counts(db) == (0, 0)


def test_demo_training_has_attended_and_absent_polare(db, make_person, make_enrolment):
    for name in ("Alva", "Bo", "Cleo", "Dino"):
        make_enrolment(make_person(first_name=name), "Ryd")
    load_demo(db, TODAY)
    training = db.scalars(select(Event).where(Event.title.like("Ledarskapsutbildning%"))).one()
    statuses = sorted(i.status.value for i in training.invitations)
    assert statuses == ["absent", "attended", "attended", "attended"]
    upcoming = db.scalars(select(Event).where(Event.event_date > TODAY)).one()
    assert {i.status for i in upcoming.invitations} == {InvitationStatus.INVITED}


def test_demo_loads_once(db, make_person, make_enrolment):
    make_enrolment(make_person(), "Ryd")
    make_enrolment(make_person(), "Berga")
    load_demo(db, TODAY)
    first = _counts(db)
    load_demo(db, TODAY)
    assert _counts(db) == first == (3, 4)
