"""Two people editing the same walk: the later save is refused, never a silent overwrite."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import create_engine, delete, select
from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry
from polare.audit.services import record
from polare.auth.models import Role, User
from polare.database import configure_engine
from polare.errors import ConflictError
from polare.org.models import District, Team
from polare.walks.models import Walk
from polare.walks.planning import WalkPlan, plan_walk, update_walk
from polare.walks.workflow import WalkLog, log_walk
from tests.conftest import TEST_PASSWORD
from tests.walks.conftest import FRIDAY

CONFLICT = "Någon annan har ändrat nattvandringen"


def _replan(walk: Walk, **changes) -> WalkPlan:
    values = {"team_id": walk.team_id, "walk_date": walk.walk_date,
              "start_time": walk.start_time, "end_time": walk.end_time,
              "district_id": walk.district_id, "meeting_point": walk.meeting_point,
              "staff_ids": [u.id for u in walk.staff], "person_ids": []}
    values.update(changes)
    return WalkPlan(**values)


def test_save_based_on_an_older_version_is_refused(db, make_walk, supervisor):
    walk = make_walk()
    loaded_version = walk.version
    update_walk(db, supervisor, walk.id, _replan(walk, meeting_point="Först"),
                version=loaded_version)
    with pytest.raises(ConflictError, match=CONFLICT):
        log_walk(db, supervisor, walk.id, WalkLog({}, 3, 1, {}), version=loaded_version)
    assert walk.meeting_point == "Först"


def test_second_users_edit_is_refused_and_their_input_kept(app, client, db, make_walk,
                                                           make_user):
    walk = make_walk()
    first = make_user(Role.SUPERVISOR, teams=("Ryd",))
    second = make_user(Role.COORDINATOR, teams=("Ryd",))
    other_client = app.test_client()
    forms = {}
    for user, browser in ((first, client), (second, other_client)):
        browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
        page = browser.get(f"/walks/{walk.id}/edit").get_data(as_text=True)
        assert 'name="version" type="hidden" value="1"' in page
        forms[user.id] = {
            "walk_date": "2026-11-27", "start_time": "19:00", "end_time": "21:30",
            "district_id": str(walk.district_id), "staff_ids": [str(u.id) for u in walk.staff],
            "version": "1",
        }
    forms[first.id]["meeting_point"] = "Ryds centrum"
    assert client.post(f"/walks/{walk.id}/edit", data=forms[first.id]).status_code == 302
    forms[second.id]["meeting_point"] = "Lambohovs skola, entrén"
    answer = other_client.post(f"/walks/{walk.id}/edit", data=forms[second.id])
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert CONFLICT in page
    assert 'value="Lambohovs skola, entrén"' in page
    db.refresh(walk)
    assert walk.meeting_point == "Ryds centrum"
    assert walk.version == 2


def _committed_walk(engine) -> tuple[int, int]:
    """Commit a supervisor and a Ryd walk; return their ids."""
    with Session(engine) as session:
        team = session.scalars(select(Team).where(Team.name == "Ryd")).one()
        user = User(username="samtidig", full_name="Sam Tidig", password_hash="x",
                    role=Role.SUPERVISOR, teams=[team])
        session.add(user)
        session.flush()
        record(session, None, "create", "user", user.id, note="concurrency test")
        district = session.scalars(select(District).where(District.name == "Ryd")).one()
        walk = plan_walk(session, None, WalkPlan(team.id, FRIDAY, time(19, 0), time(22, 0),
                                                 district.id, "Start", [user.id], []))
        session.commit()
        return walk.id, user.id


def _cleanup(engine, walk_id: int, user_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(delete(Walk).where(Walk.id == walk_id))
        connection.execute(delete(User).where(User.id == user_id))
        connection.execute(delete(AuditEntry).where(
            AuditEntry.entity.in_(["walk", "user"]),
            AuditEntry.entity_id.in_([str(walk_id), str(user_id)])))


def test_concurrent_sessions_loading_the_same_version_refuse_the_later_save(app):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    configure_engine(engine)
    walk_id, user_id = _committed_walk(engine)
    try:
        with Session(engine, expire_on_commit=False) as first, \
                Session(engine, expire_on_commit=False) as second:
            # Both load version 1 (as two browsers open the edit page), then end their reads.
            first_walk = first.get(Walk, walk_id)
            first.commit()
            second_walk = second.get(Walk, walk_id)
            second.commit()
            assert first_walk.version == second_walk.version == 1
            update_walk(first, None, walk_id, _replan(first_walk, meeting_point="Först"),
                        version=1)
            first.commit()
            with pytest.raises(ConflictError, match=CONFLICT):
                update_walk(second, None, walk_id, _replan(second_walk, meeting_point="Sist"),
                            version=1)
            second.rollback()
        with Session(engine) as check:
            saved = check.get(Walk, walk_id)
            assert (saved.meeting_point, saved.version) == ("Först", 2)
    finally:
        _cleanup(engine, walk_id, user_id)
        engine.dispose()
