"""The iCalendar feed: a secret address per user listing their teams' planned walks."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from icalendar import Calendar
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.clock import LOCAL_TZ
from polare.events.models import Event, EventType
from polare.walks.calendar import renew_calendar_token
from polare.walks.workflow import cancel_walk
from tests.walks.conftest import FRIDAY
from tests.webpages import FreshGlobalsTestApp, form_to, form_with, web_log_in


@pytest.fixture
def feed_user(db, supervisor):
    renew_calendar_token(db, supervisor, supervisor)
    return supervisor


def _feed(client, token: str) -> Calendar:
    answer = client.get(f"/walks/calendar/{token}.ics")
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    return Calendar.from_ical(answer.data)


def _uids(calendar: Calendar) -> set[str]:
    return {str(component["uid"]) for component in calendar.walk("VEVENT")}


def test_feed_parses_and_lists_exactly_the_teams_planned_walks(db, client, feed_user, make_walk,
                                                                make_user):
    planned = make_walk(start_time=time(22, 0), end_time=time(1, 30))
    second = make_walk(walk_date=date(2026, 12, 4), district="Lambohov")
    cancelled = make_walk(walk_date=date(2026, 12, 11))
    cancel_walk(db, None, cancelled.id, version=cancelled.version)
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    make_walk(team="Berga", staff_ids=[berga.id])
    calendar = _feed(client, feed_user.calendar_token)
    walks = [c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("walk-")]
    assert {str(c["uid"]) for c in walks} == {f"walk-{planned.id}@polare",
                                              f"walk-{second.id}@polare"}
    overnight = next(c for c in walks if str(c["uid"]) == f"walk-{planned.id}@polare")
    assert overnight.decoded("dtstart") == datetime(2026, 11, 27, 22, 0, tzinfo=LOCAL_TZ)
    assert overnight.decoded("dtend") == datetime(2026, 11, 28, 1, 30, tzinfo=LOCAL_TZ)
    assert str(overnight["summary"]) == "Nattvandring Ryd: Ryd"
    assert "Hanna Handledare" in str(overnight["description"])


def test_feed_names_no_polare(client, feed_user, make_walk, polare):
    make_walk([polare])
    answer = client.get(f"/walks/calendar/{feed_user.calendar_token}.ics")
    assert b"Elsa" not in answer.data
    assert "Antal polare: 1" in Calendar.from_ical(answer.data).walk("VEVENT")[0]["description"]


def test_feed_lists_events_of_the_team_and_of_all_teams_but_not_cancelled(db, client,
                                                                          feed_user, teams,
                                                                          school_year):
    intro = db.scalar(select(EventType).where(EventType.name == "Introduktion"))

    def event(title: str, team: str | None, cancelled: bool = False) -> Event:
        item = Event(type_id=intro.id, title=title, event_date=FRIDAY, start_time=time(17, 0),
                     end_time=time(18, 0), team_id=teams[team].id if team else None,
                     school_year_id=school_year.id, cancelled=cancelled)
        db.add(item)
        db.flush()
        return item

    own, common = event("Ryds intro", "Ryd"), event("Gemensam", None)
    event("Bergas intro", "Berga")
    event("Inställd", "Ryd", cancelled=True)
    assert _uids(_feed(client, feed_user.calendar_token)) == {
        f"event-{own.id}@polare", f"event-{common.id}@polare"}


def test_unknown_token_is_not_found(client, feed_user):
    assert client.get("/walks/calendar/not-a-token.ics").status_code == 404


def test_renewing_the_token_invalidates_the_old_address(db, client, feed_user):
    old = feed_user.calendar_token
    renew_calendar_token(db, feed_user, feed_user)
    assert client.get(f"/walks/calendar/{old}.ics").status_code == 404
    assert client.get(f"/walks/calendar/{feed_user.calendar_token}.ics").status_code == 200


def test_deactivated_users_feed_stops(db, client, feed_user):
    feed_user.active = False
    db.flush()
    assert client.get(f"/walks/calendar/{feed_user.calendar_token}.ics").status_code == 404


def test_calendar_page_creates_and_renews_the_address_with_an_audit_entry(db, client, login_as):
    user = login_as(Role.SUPERVISOR, teams=("Ryd",))
    assert "ingen adress" in client.get("/walks/calendar").get_data(as_text=True)
    assert client.post("/walks/calendar/renew").status_code == 302
    first = user.calendar_token
    page = client.get("/walks/calendar").get_data(as_text=True)
    assert f"/walks/calendar/{first}.ics" in page
    client.post("/walks/calendar/renew")
    assert user.calendar_token != first
    actions = db.scalars(select(AuditEntry.action).where(
        AuditEntry.entity == "user", AuditEntry.entity_id == str(user.id),
        AuditEntry.action.like("%calendar_token")).order_by(AuditEntry.id)).all()
    assert actions == ["create_calendar_token", "renew_calendar_token"]
    assert first not in str(db.scalars(select(AuditEntry.changes)).all())


# ---------------------------------------------------------------- revocation through admin pages


@pytest.fixture
def admin_web(web, make_user):
    """A WebTest browser logged in as an admin."""
    web_log_in(web, make_user(Role.ADMIN).username)
    return web


def _save_user_form(admin_web, user, *, active: bool) -> None:
    form = form_with(admin_web.get(f"/admin/users/{user.id}"), "teams")
    form["active"] = active
    assert form.submit().status_code == 302


def test_an_admin_password_reset_revokes_the_calendar_feed(client, admin_web, feed_user):
    old = feed_user.calendar_token
    reset = form_with(admin_web.get(f"/admin/users/{feed_user.id}"), "force_change")
    reset["password"] = "ett-nytt-losenord"
    reset.submit()
    assert client.get(f"/walks/calendar/{old}.ics").status_code == 404


def test_after_a_revocation_the_user_gets_a_new_address_on_request(app, admin_web, feed_user):
    old = feed_user.calendar_token
    reset = form_with(admin_web.get(f"/admin/users/{feed_user.id}"), "force_change")
    reset["password"], reset["force_change"] = "ett-nytt-losenord", False
    reset.submit()
    own = FreshGlobalsTestApp(app)
    web_log_in(own, feed_user.username, "ett-nytt-losenord")
    page = own.get("/walks/calendar")
    assert "ingen adress" in page.text
    form_to(page, "/walks/calendar/renew").submit()
    assert feed_user.calendar_token not in (None, old)
    assert own.get(f"/walks/calendar/{feed_user.calendar_token}.ics").status_code == 200


def test_deactivating_a_user_revokes_the_feed_and_reactivating_does_not_restore_it(
        client, admin_web, feed_user):
    old = feed_user.calendar_token
    _save_user_form(admin_web, feed_user, active=False)
    _save_user_form(admin_web, feed_user, active=True)
    assert feed_user.active
    assert feed_user.calendar_token is None
    assert client.get(f"/walks/calendar/{old}.ics").status_code == 404
