"""The demo walks: this autumn's Fridays and Saturdays in every status, loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from polare.admin.demo import load_demo_users
from polare.walks.demo import load_demo
from polare.walks.models import ParticipationStatus, Walk, WalkStatus
from tests.conftest import TODAY


def test_demo_walks_cover_every_status_and_load_once(db, teams, make_person, make_enrolment):
    load_demo_users(db)
    for n in range(6):
        person = make_person(first_name=f"Demo{n}", birth_date=date(2007, 2, n + 1))
        make_enrolment(person, "Ryd")
    load_demo(db, TODAY)
    walks = db.scalars(select(Walk).where(Walk.team_id == teams["Ryd"].id)).all()
    statuses = Counter(walk.status for walk in walks)
    assert statuses[WalkStatus.APPROVED] > 5
    assert statuses[WalkStatus.COMPLETED] >= 2
    assert statuses[WalkStatus.PLANNED] >= 2
    assert statuses[WalkStatus.CANCELLED] == 1
    assert {walk.walk_date.weekday() for walk in walks} == {4, 5}
    approved = [w for w in walks if w.status == WalkStatus.APPROVED]
    assert all(w.youths_met is not None and w.approved_by_id for w in approved)
    assert any(p.status == ParticipationStatus.ABSENT for w in approved for p in w.participations)
    assert any(w.incidents for w in approved)
    assert {u.username for u in walks[0].staff} == {"handledare", "samordnare"}
    assert db.scalar(select(func.count(Walk.id)).where(Walk.team_id == teams["Berga"].id)) == 0
    load_demo(db, TODAY)
    assert db.scalar(select(func.count(Walk.id))) == len(walks)
