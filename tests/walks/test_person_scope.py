"""Who may be put on a walk: only polare the actor may see and choose (SPEC §11, issue 16)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from polare.auth.models import Role
from polare.errors import DomainError
from polare.roster.models import EnrolmentStatus
from polare.roster.services import UnknownPersonError
from polare.walks.models import Participation
from polare.walks.planning import WalkPlan, update_walk
from polare.walks.workflow import WalkLog, log_walk
from tests.walks.conftest import LAST_FRIDAY


@pytest.fixture
def berga_polare(make_person, make_enrolment):
    """A polare active in Berga only."""
    person = make_person(first_name="Berit", last_name="Bergström")
    make_enrolment(person, "Berga")
    return person


def _joined(walk, person) -> WalkLog:
    return WalkLog(attendance={}, youths_met=None, youths_talked=None, incidents={},
                   joined_person_ids=[person.id])


def test_supervisor_cannot_add_another_teams_polare_to_a_walk(make_walk, supervisor,
                                                              berga_polare):
    with pytest.raises(UnknownPersonError) as refused:
        make_walk([berga_polare], actor=supervisor)
    assert refused.value.message == "Okänd polare"
    assert refused.value.field == "person_ids"


def test_supervisor_cannot_log_another_teams_polare_as_joined(db, make_walk, supervisor,
                                                              berga_polare):
    walk = make_walk(walk_date=LAST_FRIDAY, actor=supervisor)
    with pytest.raises(UnknownPersonError) as refused:
        log_walk(db, supervisor, walk.id, _joined(walk, berga_polare), version=walk.version)
    assert refused.value.field == "joined_person_id"
    assert db.scalars(select(Participation).where(
        Participation.person_id == berga_polare.id)).first() is None


def test_an_id_that_does_not_exist_gets_the_same_answer_as_another_teams(
    db, make_walk, supervisor, berga_polare
):
    walk = make_walk(walk_date=LAST_FRIDAY, actor=supervisor)
    answers = []
    for person_id in (berga_polare.id, 987654):
        log = WalkLog(attendance={}, youths_met=None, youths_talked=None, incidents={},
                      joined_person_ids=[person_id])
        with pytest.raises(DomainError) as refused:
            log_walk(db, supervisor, walk.id, log, version=walk.version)
        answers.append((type(refused.value), refused.value.message, refused.value.field))
    assert answers[0] == answers[1]


def test_refusing_an_ended_polare_of_another_team_never_names_them(
    db, make_walk, supervisor, make_person, make_enrolment
):
    ended = make_person(first_name="Greta", last_name="Slutad")
    make_enrolment(ended, "Berga", status=EnrolmentStatus.ENDED, ended_on=date(2026, 9, 1))
    walk = make_walk(walk_date=LAST_FRIDAY, actor=supervisor)
    with pytest.raises(DomainError) as refused:
        log_walk(db, supervisor, walk.id, _joined(walk, ended), version=walk.version)
    assert "Greta" not in refused.value.message
    assert refused.value.message == "Okänd polare"


def test_supervisor_cannot_add_a_polare_active_only_in_another_team(
    make_walk, supervisor, make_person, make_enrolment
):
    moved = make_person(first_name="Mira", last_name="Flyttad")
    make_enrolment(moved, "Ryd", status=EnrolmentStatus.APPLICANT)
    make_enrolment(moved, "Berga")
    with pytest.raises(DomainError, match="inte aktiv i något av dina team"):
        make_walk([moved], actor=supervisor)


def test_coordinator_of_both_teams_may_add_another_teams_polare_to_a_walk(
    make_walk, make_user, berga_polare
):
    both = make_user(Role.COORDINATOR, teams=("Ryd", "Berga"))
    walk = make_walk([berga_polare], actor=both)
    assert [p.person_id for p in walk.participations] == [berga_polare.id]


def test_admin_may_add_another_teams_polare_to_a_walk(make_walk, make_user, berga_polare):
    walk = make_walk([berga_polare], actor=make_user(Role.ADMIN))
    assert [p.person_id for p in walk.participations] == [berga_polare.id]


def test_polare_put_on_a_walk_by_admin_stay_when_a_supervisor_changes_the_plan(
    db, make_walk, make_user, supervisor, polare, berga_polare
):
    walk = make_walk([polare, berga_polare], actor=make_user(Role.ADMIN))
    plan = WalkPlan(team_id=walk.team_id, walk_date=walk.walk_date, start_time=walk.start_time,
                    end_time=walk.end_time, district_id=walk.district_id,
                    meeting_point="Ny mötesplats", staff_ids=[supervisor.id],
                    person_ids=[polare.id, berga_polare.id])
    changed = update_walk(db, supervisor, walk.id, plan, version=walk.version)
    assert {p.person_id for p in changed.participations} == {polare.id, berga_polare.id}


def test_supervisor_walk_log_refuses_another_teams_polare_as_rendered(
    db, webapp, web_login_as, make_walk, berga_polare, polare
):
    user = web_login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], walk_date=LAST_FRIDAY, staff_ids=[user.id])
    db.commit()
    form = next(f for f in webapp.get(f"/walks/{walk.id}/log").forms.values()
                if "joined_person_id" in f.fields)
    form["joined_person_id"].force_value(str(berga_polare.id))
    response = form.submit(status="*")
    assert response.status_int == 422
    assert "Bergström" not in response.text
    assert db.scalars(select(Participation).where(
        Participation.person_id == berga_polare.id)).first() is None
