"""The walk pages as users meet them: lists, queue, plan, log on a phone, scope and roles."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from polare.auth.models import Role
from polare.walks.models import ParticipationStatus, Walk, WalkStatus
from polare.walks.queries import walks_of_person
from polare.walks.workflow import WalkLog, complete_walk, log_walk
from tests.walks.conftest import FRIDAY, LAST_FRIDAY


def _text(answer) -> str:
    return answer.get_data(as_text=True)


def _plan_form(walk_date: str, staff, persons=(), **extra) -> dict:
    data = {"walk_date": walk_date, "start_time": "19:00", "end_time": "23:00",
            "district_id": str(extra.pop("district_id")), "meeting_point": "Ryds bibliotek",
            "staff_ids": [str(u.id) for u in staff], "person_ids": [str(p.id) for p in persons]}
    data.update(extra)
    return data


def test_supervisor_plans_friday_walks_logs_one_on_a_phone_and_coordinator_approves(
        app, client, db, districts, make_person, make_enrolment, make_user, train):
    """The issue's 'done when': a series of Fridays, one logged, approved from the queue."""
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",), full_name="Hanna Handledare")
    people = []
    for first, birth in (("Alva", date(2008, 1, 5)), ("Bror", date(2007, 6, 1)),
                         ("Cleo", date(2008, 3, 3))):
        person = make_person(first_name=first, last_name="Ek", birth_date=birth)
        make_enrolment(person, "Ryd")
        people.append(person)
    train(*people)
    client.post("/login", data={"username": supervisor.username, "password": "test-password-123"})
    answer = client.post(f"/walks/series?team_id={supervisor.teams[0].id}", data={
        **_plan_form("", [supervisor], people, district_id=districts["Ryd"].id),
        "first_date": "2026-11-06", "last_date": "2026-12-18", "weekdays": ["4"]})
    assert answer.status_code == 302, _text(answer)
    walks = db.scalars(select(Walk).order_by(Walk.walk_date)).all()
    assert [w.walk_date.day for w in walks] == [6, 13, 20, 27, 4, 11, 18]
    walk = walks[2]
    page = _text(client.get(f"/walks/{walk.id}/log"))
    assert 'class="btn-check"' in page
    assert 'inputmode="numeric"' in page
    answer = client.post(f"/walks/{walk.id}/log", data={
        f"attendance_{people[0].id}": "attended", f"attendance_{people[1].id}": "attended",
        f"attendance_{people[2].id}": "absent", "youths_met": "14", "youths_talked": "3",
        "note": "Lugn kväll vid centrum.", "version": str(walk.version), "complete": "1"})
    assert answer.status_code == 302, _text(answer)
    assert walk.status == WalkStatus.COMPLETED
    coordinator = make_user(Role.COORDINATOR, teams=("Ryd",))
    client.post("/logout")
    client.post("/login", data={"username": coordinator.username,
                                "password": "test-password-123"})
    queue = _text(client.get("/walks/approve"))
    assert "2026-11-20" in queue
    assert "Närvarande polare: 2 av 3" in queue
    answer = client.post(f"/walks/{walk.id}/approve?from=queue",
                         data={"version": str(walk.version)})
    assert answer.headers["Location"].endswith("/walks/approve")
    assert walk.status == WalkStatus.APPROVED
    assert walk.approved_by_id == coordinator.id
    assert "Inga nattvandringar väntar" in _text(client.get("/walks/approve"))


def test_walk_list_filters_by_status_district_and_dates(db, client, login_as, make_walk):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    make_walk(walk_date=date(2026, 11, 27), district="Ryd", meeting_point="Alfa")
    make_walk(walk_date=date(2026, 12, 4), district="Lambohov", meeting_point="Beta")
    lambohov = make_walk(walk_date=date(2026, 12, 11), district="Lambohov")
    page = _text(client.get(f"/walks/?district_id={lambohov.district_id}"
                            "&date_from=2026-12-05&status=planned"))
    assert "2026-12-11" in page
    assert "2026-12-04" not in page
    assert "2026-11-27" not in page
    assert "2026-11-27" in _text(client.get("/walks/"))


def test_walk_list_shows_only_the_users_teams(client, login_as, make_walk, make_user):
    login_as(Role.SUPERVISOR, teams=("Berga",))
    make_walk(walk_date=date(2026, 12, 4))
    assert "2026-12-04" not in _text(client.get("/walks/"))


def test_other_teams_walk_is_not_found(client, login_as, make_walk):
    walk = make_walk()
    login_as(Role.COORDINATOR, teams=("Berga",))
    for url in (f"/walks/{walk.id}", f"/walks/{walk.id}/edit", f"/walks/{walk.id}/log"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/walks/{walk.id}/approve", data={"version": "1"}).status_code == 404
    assert client.post(f"/walks/{walk.id}/cancel", data={"version": "1"}).status_code == 404


def test_payroll_cannot_reach_walk_pages(client, login_as, make_walk):
    walk = make_walk()
    login_as(Role.PAYROLL)
    for url in ("/walks/", "/walks/approve", "/walks/new", f"/walks/{walk.id}"):
        assert client.get(url).status_code == 403, url


def test_admin_sees_every_team(client, login_as, make_walk, make_user):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    walk = make_walk(team="Berga", staff_ids=[berga.id])
    login_as(Role.ADMIN)
    assert client.get(f"/walks/{walk.id}").status_code == 200


def test_refused_plan_keeps_the_input_and_names_the_rule(client, db, login_as, districts,
                                                         make_person):
    user = login_as(Role.SUPERVISOR, teams=("Ryd",))
    stranger = make_person(first_name="Ines", last_name="Inget")
    answer = client.post("/walks/new", data=_plan_form(
        "2026-11-27", [user], [], district_id=districts["Ryd"].id,
        meeting_point="Vid pizzerian", end_time="08:00"))
    page = _text(answer)
    assert answer.status_code == 422
    assert "högst 12 timmar" in page
    assert 'value="Vid pizzerian"' in page
    assert stranger.full_name not in page
    assert db.scalar(select(Walk.id)) is None


def test_plan_without_staff_is_refused_with_message(client, login_as, districts):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    answer = client.post("/walks/new", data=_plan_form(
        "2026-11-27", [], district_id=districts["Ryd"].id))
    assert answer.status_code == 422
    assert "Minst en personal" in _text(answer)


def test_plan_form_offers_districts_of_all_teams_own_first(client, login_as):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    page = _text(client.get("/walks/new"))
    assert page.index("Ryd (eget område)") < page.index("Berga (utanför eget område)")


def test_planned_walk_shows_warnings_after_saving(client, login_as, districts, polare):
    user = login_as(Role.SUPERVISOR, teams=("Ryd",))
    answer = client.post("/walks/new", data=_plan_form(
        "2026-11-27", [user], [polare], district_id=districts["Ryd"].id), follow_redirects=True)
    page = _text(answer)
    assert "Nattvandringen är planerad." in page
    assert "Elsa Ek är 17 år och nattvandringen slutar 23:00" in page
    assert "Elsa Ek saknar obligatorisk utbildning: Ledarskapsutbildning." in page


def test_log_refusal_keeps_what_was_typed(client, login_as, make_walk, polare):
    user = login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], walk_date=LAST_FRIDAY, staff_ids=[user.id])
    answer = client.post(f"/walks/{walk.id}/log", data={
        f"attendance_{polare.id}": "attended", "youths_met": "3", "youths_talked": "5",
        "note": "Det var kallt.", "version": str(walk.version)})
    page = _text(answer)
    assert answer.status_code == 422
    assert "fler ungdomar (5) än ni mötte (3)" in page
    assert 'value="5"' in page
    assert "Det var kallt." in page
    assert f'checked class="btn-check" id="attendance_{polare.id}-0"' in page


def test_log_page_reminds_not_to_name_youths(client, login_as, make_walk):
    user = login_as(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk(staff_ids=[user.id])
    assert "Skriv inte namn" in _text(client.get(f"/walks/{walk.id}/log"))


def test_approve_page_asks_for_training_confirmation(client, db, login_as, make_walk, adult):
    user = login_as(Role.COORDINATOR, teams=("Ryd",))
    walk = make_walk([adult], walk_date=LAST_FRIDAY, staff_ids=[user.id])
    log_walk(db, user, walk.id, WalkLog({adult.id: ParticipationStatus.ATTENDED}, 4, 1, {}),
             version=walk.version)
    complete_walk(db, user, walk.id, version=walk.version, now=datetime(2026, 11, 21))
    db.commit()  # the refused request below rolls back to here
    assert "confirm_training" in _text(client.get(f"/walks/{walk.id}"))
    refused = client.post(f"/walks/{walk.id}/approve", data={"version": str(walk.version)},
                          follow_redirects=True)
    assert "Bekräfta att du godkänner" in _text(refused)
    assert walk.status == WalkStatus.COMPLETED
    client.post(f"/walks/{walk.id}/approve",
                data={"version": str(walk.version), "confirm_training": "y"})
    assert walk.status == WalkStatus.APPROVED
    assert walk.training_confirmed_by_id == user.id


def test_walks_of_person_lists_attendance_newest_first(db, make_walk, polare):
    first = make_walk([polare], walk_date=date(2026, 11, 20))
    second = make_walk([polare], walk_date=FRIDAY, start_time=time(19, 0))
    rows = walks_of_person(db, polare.id, limit=10)
    assert [row.walk.id for row in rows] == [second.id, first.id]
    assert rows[0].status == ParticipationStatus.SCHEDULED


@pytest.mark.parametrize("url", ["/walks/", "/walks/approve", "/walks/new", "/walks/series",
                                 "/walks/calendar"])
def test_pages_render_for_a_coordinator(client, login_as, url):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    assert client.get(url).status_code == 200


def test_walk_list_pages_through_many_walks(client, login_as, make_walk):
    user = login_as(Role.SUPERVISOR, teams=("Ryd",))
    for day in range(1, 28):
        make_walk(walk_date=date(2026, 10, day), staff_ids=[user.id])
    first = _text(client.get("/walks/"))
    assert "Sida 1 av 2" in first
    assert "2026-10-27" in first
    assert "2026-10-02" not in first
    second = _text(client.get("/walks/?page=2"))
    assert "2026-10-01" in second
    assert "Föregående" in second


def test_approve_from_queue_works_with_csrf_protection(app, client, db, login_as, make_walk,
                                                      adult, train, monkeypatch):
    user = login_as(Role.COORDINATOR, teams=("Ryd",))
    train(adult)
    walk = make_walk([adult], walk_date=LAST_FRIDAY, staff_ids=[user.id])
    log_walk(db, user, walk.id, WalkLog({adult.id: ParticipationStatus.ATTENDED}, 4, 1, {}),
             version=walk.version)
    complete_walk(db, user, walk.id, version=walk.version, now=datetime(2026, 11, 21))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = _text(client.get("/walks/approve"))
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post(f"/walks/{walk.id}/approve", data={"version": str(walk.version)}
                       ).status_code == 400
    client.post(f"/walks/{walk.id}/approve",
                data={"version": str(walk.version), "csrf_token": token})
    assert walk.status == WalkStatus.APPROVED


def test_person_page_lists_the_polares_walks(client, login_as, make_walk, polare):
    user = login_as(Role.COORDINATOR, teams=("Ryd",))
    walk = make_walk([polare], staff_ids=[user.id])
    page = _text(client.get(f"/roster/persons/{polare.id}"))
    section = page[page.index('id="walks-heading"'):page.index('id="history-heading"')]
    assert f'href="/walks/{walk.id}"' in section
    assert "2026-11-27" in section
    assert "ej markerad" in section
