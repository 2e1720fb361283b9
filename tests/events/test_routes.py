"""The event pages as users reach them: scoping, forms that keep input, one-tap marking."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from polare.auth.models import Role
from polare.events import attendance
from polare.events.models import Event, Invitation, InvitationStatus
from polare.events.training import missing_required_training
from polare.org.models import SchoolYear
from polare.roster.models import EnrolmentStatus


def _form(event_types, teams, **overrides):
    data = {
        "type_id": str(event_types["Ledarskapsutbildning"].id),
        "title": "Ledarskapsutbildning hösten 2026", "event_date": "2026-10-17",
        "start_time": "10:00", "end_time": "15:00", "team_id": str(teams["Ryd"].id),
        "place": "Ryds bibliotek", "notes": "Lunch ingår.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def ryd_event(db, make_event, polare):
    """A past Ryd leadership training with the Ryd polare invited."""
    event = make_event(team="Ryd", event_date=date(2026, 10, 17))
    attendance.invite_persons(db, None, event, [polare.id])
    return event


def test_coordinator_schedules_an_event_and_lands_on_its_page(client, login_as, event_types,
                                                              teams, db):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.post("/events/new", data=_form(event_types, teams))
    event = db.scalars(select(Event).where(Event.title == "Ledarskapsutbildning hösten 2026")).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.id}")
    assert event.school_year.label == "2026/27"


def test_date_outside_every_school_year_keeps_the_form_with_a_message(client, login_as,
                                                                      event_types, teams):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.post("/events/new", data=_form(event_types, teams,
                                                     event_date="2035-10-17"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ligger inte i något läsår" in page
    assert 'value="Ledarskapsutbildning hösten 2026"' in page
    assert 'value="Ryds bibliotek"' in page


def test_missing_title_keeps_the_form(client, login_as, event_types, teams):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.post("/events/new", data=_form(event_types, teams, title=""))
    assert response.status_code == 422
    assert 'value="Ryds bibliotek"' in response.get_data(as_text=True)


def test_control_characters_in_text_are_refused(client, login_as, event_types, teams):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.post("/events/new", data=_form(event_types, teams, place="Ryd\x00"))
    assert response.status_code == 422
    assert "otillåtna tecken" in response.get_data(as_text=True)


def test_coordinator_cannot_choose_another_team(client, login_as, event_types, teams):
    login_as(Role.COORDINATOR, teams=("Berga",))
    response = client.post("/events/new", data=_form(event_types, teams))
    assert response.status_code == 422


def test_edit_changes_the_event(client, login_as, make_event, event_types, teams):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    event = make_event()
    response = client.post(f"/events/{event.id}/edit",
                           data=_form(event_types, teams, place="Rydskolan"))
    assert response.status_code == 302
    assert event.place == "Rydskolan"


def test_cancel_marks_the_event_cancelled(client, login_as, make_event):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    event = make_event()
    response = client.post(f"/events/{event.id}/cancel", data={"reason": "Sjuk kursledare"})
    assert response.status_code == 302
    assert event.cancelled


def test_list_shows_upcoming_and_past_events_of_own_teams(client, login_as, make_event):
    login_as(Role.COORDINATOR, teams=("Berga",))
    make_event(title="Höstutbildning Ryd", team="Ryd", event_date=date(2026, 10, 3))
    make_event(title="Nätverksträff alla", type_name="Nätverksträff", team=None,
               event_date=date(2026, 11, 7))
    make_event(title="Berga introduktion", type_name="Introduktion", team="Berga",
               event_date=date(2026, 9, 5))
    page = client.get("/events/").get_data(as_text=True)
    assert "Nätverksträff alla" in page
    assert "Berga introduktion" in page
    assert "Höstutbildning Ryd" not in page


def test_list_filters_by_type_and_school_year(client, login_as, make_event, event_types, db):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    make_event(title="Utbildningen", event_date=date(2026, 10, 3))
    make_event(title="Träffen", type_name="Nätverksträff", event_date=date(2026, 10, 4))
    last = db.scalars(select(SchoolYear).where(SchoolYear.label == "2025/26")).one()
    make_event(title="Fjolårets", school_year=last, event_date=date(2025, 10, 4))
    page = client.get(f"/events/?type={event_types['Nätverksträff'].id}").get_data(as_text=True)
    assert "Träffen" in page
    assert "Utbildningen" not in page
    page = client.get(f"/events/?year={last.id}").get_data(as_text=True)
    assert "Fjolårets" in page
    assert "Utbildningen" not in page


def test_list_shows_the_team_summary_of_required_training(client, login_as, ryd_event,
                                                          polare, school_year, db):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    attendance.mark_attendance(db, None, ryd_event, polare.id, InvitationStatus.ATTENDED,
                               on=date(2026, 11, 25))
    page = client.get(f"/events/?year={school_year.id}").get_data(as_text=True)
    assert "1 av 1 har Ledarskapsutbildning" in page


def test_berga_coordinator_cannot_see_a_ryd_only_event(client, login_as, ryd_event):
    login_as(Role.COORDINATOR, teams=("Berga",))
    assert client.get(f"/events/{ryd_event.id}").status_code == 404


def test_berga_coordinator_cannot_mark_attendance_at_a_ryd_only_event(client, login_as,
                                                                      ryd_event, polare, db):
    login_as(Role.COORDINATOR, teams=("Berga",))
    response = client.post(f"/events/{ryd_event.id}/attendance/{polare.id}",
                           data={"status": "attended"})
    invitation = db.scalars(select(Invitation).where(Invitation.event_id == ryd_event.id)).one()
    assert response.status_code == 404
    assert invitation.status == InvitationStatus.INVITED


def test_supervisor_marks_attendance_with_one_tap(client, login_as, ryd_event, polare, db,
                                                  school_year):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    response = client.post(f"/events/{ryd_event.id}/attendance/{polare.id}",
                           data={"status": "attended"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{ryd_event.id}#p{polare.id}")
    assert missing_required_training(db, [polare.id], school_year.id)[polare.id] == []


def test_marking_from_the_script_answers_with_the_new_counts(client, login_as, ryd_event,
                                                             polare):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    response = client.post(f"/events/{ryd_event.id}/attendance/{polare.id}",
                           data={"status": "absent"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.get_json() == {"status": "absent", "invited": 1, "attended": 0,
                                   "absent": 1, "unmarked": 0}


def test_marking_a_future_event_is_refused_with_a_message(client, login_as, make_event, polare,
                                                          db):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    event = make_event(event_date=date(2027, 3, 1))
    attendance.invite_persons(db, None, event, [polare.id])
    response = client.post(f"/events/{event.id}/attendance/{polare.id}",
                           data={"status": "attended"}, headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert "från och med aktivitetens dag" in response.get_json()["error"]


def test_supervisor_cannot_plan_or_invite(client, login_as, ryd_event):
    login_as(Role.SUPERVISOR, teams=("Ryd",))
    assert client.get("/events/new").status_code == 403
    assert client.post(f"/events/{ryd_event.id}/invite-all").status_code == 403


def test_payroll_has_no_access_to_events(client, login_as, ryd_event):
    login_as(Role.PAYROLL)
    assert client.get("/events/").status_code == 403
    assert client.get(f"/events/{ryd_event.id}").status_code == 403


def test_attendance_page_lists_the_invited_with_big_buttons(client, login_as, ryd_event):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    page = client.get(f"/events/{ryd_event.id}").get_data(as_text=True)
    assert "Elsa Ek" in page
    assert "btn-lg" in page
    assert "events.js" in page
    assert "<script>" not in page
    assert 'style="' not in page


def test_invite_all_twice_from_the_page_invites_each_once(client, login_as, make_event,
                                                          make_person, make_enrolment, polare,
                                                          db):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    make_enrolment(make_person(first_name="Tor"), "Ryd")
    event = make_event()
    client.post(f"/events/{event.id}/invite-all")
    response = client.post(f"/events/{event.id}/invite-all", follow_redirects=True)
    count = db.scalar(select(func.count(Invitation.id)).where(Invitation.event_id == event.id))
    assert count == 2
    assert "Alla aktiva polare var redan inbjudna" in response.get_data(as_text=True)


def test_picking_someone_without_a_place_keeps_the_choice_with_a_message(
    client, login_as, make_event, make_person, make_enrolment, polare, db
):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    waiting = make_person(first_name="Vide")
    make_enrolment(waiting, "Ryd", status=EnrolmentStatus.WAITLISTED)
    stranger = make_person(first_name="Avböjd")
    make_enrolment(stranger, "Ryd", status=EnrolmentStatus.DECLINED)
    event = make_event()
    response = client.post(f"/events/{event.id}/invite",
                           data={"person_ids": [str(waiting.id), str(stranger.id)]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "1 av de valda har ingen plats i Ryd" in page
    assert f'value="{waiting.id}" id="pick{waiting.id}" checked' in page
    assert db.scalar(select(func.count(Invitation.id))
                     .where(Invitation.event_id == event.id)) == 0


def test_picking_people_invites_them(client, login_as, make_event, polare, db):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    event = make_event()
    response = client.post(f"/events/{event.id}/invite", data={"person_ids": [str(polare.id)]})
    assert response.status_code == 302
    assert db.scalar(select(Invitation.person_id).where(Invitation.event_id == event.id)) == \
        polare.id


def test_admin_edits_an_event_type(client, login_as, event_types):
    login_as(Role.ADMIN)
    intro = event_types["Introduktion"]
    response = client.post(f"/events/types/{intro.id}", data={
        "name": "Introduktion", "required": "y", "active": "y", "sort_order": "1"})
    assert response.status_code == 302
    assert intro.required


def test_duplicate_event_type_name_keeps_the_form(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/events/types/new", data={
        "name": "Övrigt", "active": "y", "sort_order": "9"})
    assert response.status_code == 422
    assert "finns redan" in response.get_data(as_text=True)


def test_coordinator_cannot_edit_event_types(client, login_as):
    login_as(Role.COORDINATOR)
    assert client.get("/events/types").status_code == 403
