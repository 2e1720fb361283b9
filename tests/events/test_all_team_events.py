"""All-team events through the pages: only admin and the organising team's coordinators change
them; other teams invite and mark attendance for their own polare."""

from __future__ import annotations

import pytest

from polare.auth.models import Role
from polare.events.models import Event, InvitationStatus
from tests.webpages import FreshGlobalsTestApp, form_to, form_with, web_log_in

EVENT_DAY = "2026-10-17"  # a past day of the 2026/27 school year: attendance can be marked


@pytest.fixture
def browser_as(app, web, make_user):
    """Open a browser (CSRF on) logged in as a new user of the role and teams."""

    def open_as(role: Role, *teams: str) -> FreshGlobalsTestApp:
        browser = FreshGlobalsTestApp(app)
        assert web_log_in(browser, make_user(role, teams=teams).username).status_code == 302
        return browser

    return open_as


def _create_all_team_event(db, browser, event_types, organiser: str | None = None) -> Event:
    form = form_with(browser.get("/events/new"), "title")
    form["type_id"] = str(event_types["Nätverksträff"].id)
    form["title"], form["event_date"], form["start_time"] = "Nätverksträff", EVENT_DAY, "18:00"
    form["team_id"] = ""
    if organiser is not None:
        form["organiser_team_id"] = organiser
    response = form.submit()
    assert response.status_code == 302, response.text
    return db.get(Event, int(response.headers["Location"].rsplit("/", 1)[-1]))


def _rename(browser, event: Event, title: str):
    page = browser.get(f"/events/{event.id}/edit", expect_errors=True)
    if page.status_code != 200:
        return page
    form = form_with(page, "title")
    form["title"] = title
    return form.submit(expect_errors=True)


def test_the_organising_teams_coordinator_edits_an_all_team_event(db, browser_as,
                                                                   event_types, teams):
    ryd = browser_as(Role.COORDINATOR, "Ryd")
    event = _create_all_team_event(db, ryd, event_types)
    assert event.team_id is None
    assert event.organiser_team_id == teams["Ryd"].id
    assert _rename(ryd, event, "Nätverksträff med fika").status_code == 302
    db.refresh(event)
    assert event.title == "Nätverksträff med fika"


def test_another_teams_coordinator_cannot_edit_or_cancel_an_all_team_event(db, browser_as,
                                                                            event_types):
    event = _create_all_team_event(db, browser_as(Role.COORDINATOR, "Ryd"), event_types)
    berga = browser_as(Role.COORDINATOR, "Berga")
    page = berga.get(f"/events/{event.id}")
    assert f"/events/{event.id}/edit" not in page.text
    assert "arrangeras av Ryd" in page.text
    assert berga.get(f"/events/{event.id}/edit", expect_errors=True).status_code == 403
    assert berga.get(f"/events/{event.id}/cancel", expect_errors=True).status_code == 403
    token = form_to(page, f"/events/{event.id}/invite-all")["csrf_token"].value
    refused = berga.post(f"/events/{event.id}/edit", {"csrf_token": token, "title": "Kapad"},
                         expect_errors=True)
    db.refresh(event)
    assert refused.status_code == 403
    assert event.title == "Nätverksträff"
    assert not event.cancelled


def test_admin_edits_an_all_team_event_of_any_team(db, browser_as, event_types):
    event = _create_all_team_event(db, browser_as(Role.COORDINATOR, "Ryd"), event_types)
    assert _rename(browser_as(Role.ADMIN), event, "Ändrad av admin").status_code == 302
    db.refresh(event)
    assert event.title == "Ändrad av admin"


def test_a_coordinator_of_several_teams_names_the_organiser(db, browser_as, event_types,
                                                            teams):
    both = browser_as(Role.COORDINATOR, "Berga", "Ryd")
    event = _create_all_team_event(db, both, event_types, organiser=str(teams["Berga"].id))
    assert event.organiser_team_id == teams["Berga"].id
    assert _rename(browser_as(Role.COORDINATOR, "Ryd"), event, "X").status_code == 403
    assert _rename(browser_as(Role.COORDINATOR, "Berga"), event, "Y").status_code == 302


def test_another_team_invites_and_marks_attendance_for_its_own_polare(
        db, browser_as, event_types, make_person, make_enrolment):
    ryd_polare, berga_polare = make_person(first_name="Rut"), make_person(first_name="Bo")
    make_enrolment(ryd_polare, "Ryd")
    make_enrolment(berga_polare, "Berga")
    ryd = browser_as(Role.COORDINATOR, "Ryd")
    event = _create_all_team_event(db, ryd, event_types)
    form_to(ryd.get(f"/events/{event.id}"), f"/events/{event.id}/invite-all").submit()
    berga = browser_as(Role.SUPERVISOR, "Berga")
    berga_coordinator = browser_as(Role.COORDINATOR, "Berga")
    form_to(berga_coordinator.get(f"/events/{event.id}"),
            f"/events/{event.id}/invite-all").submit()
    page = berga.get(f"/events/{event.id}")
    assert "Rut" not in page.text
    form_to(page, f"/events/{event.id}/attendance/{berga_polare.id}").submit(
        "status", value="attended")
    db.refresh(event)
    statuses = {i.person_id: i.status for i in event.invitations}
    assert statuses == {ryd_polare.id: InvitationStatus.INVITED,
                        berga_polare.id: InvitationStatus.ATTENDED}


def test_another_team_cannot_mark_or_remove_our_invitee_of_an_all_team_event(
        db, browser_as, event_types, make_person, make_enrolment):
    ryd_polare, berga_polare = make_person(first_name="Rut"), make_person(first_name="Bo")
    make_enrolment(ryd_polare, "Ryd")
    make_enrolment(berga_polare, "Berga")
    ryd = browser_as(Role.COORDINATOR, "Ryd")
    event = _create_all_team_event(db, ryd, event_types)
    form_to(ryd.get(f"/events/{event.id}"), f"/events/{event.id}/invite-all").submit()
    berga = browser_as(Role.COORDINATOR, "Berga")
    form_to(berga.get(f"/events/{event.id}"), f"/events/{event.id}/invite-all").submit()
    page = berga.get(f"/events/{event.id}")
    mark = form_to(page, f"/events/{event.id}/attendance/{berga_polare.id}")
    mark.action = f"/events/{event.id}/attendance/{ryd_polare.id}"  # a tampered address
    assert mark.submit("status", value="attended", expect_errors=True).status_code == 404
    remove = form_to(page, f"/events/{event.id}/invite-all")
    remove.action = f"/events/{event.id}/invitations/{ryd_polare.id}/remove"
    assert remove.submit(expect_errors=True).status_code == 404
    db.refresh(event)
    assert {i.person_id: i.status for i in event.invitations}[ryd_polare.id] \
        == InvitationStatus.INVITED
