"""A supervisor on a phone: tonight's walk from the start page, the walk list, completing.

Pages are fetched and their forms submitted as rendered (WebTest, CSRF on).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from flask import g, has_app_context

from polare.auth.models import Role, User
from polare.walks.models import ParticipationStatus, WalkStatus
from polare.walks.queries import next_walks
from tests.conftest import TEST_PASSWORD
from tests.walks.conftest import FRIDAY, LAST_FRIDAY

with warnings.catch_warnings():  # WebOb still imports the standard library's cgi module
    warnings.filterwarnings("ignore", "'cgi' is deprecated", DeprecationWarning)
    import webtest

#: Friday 27 November 2026, 16:30 in Linköping: tonight's walk (19:00) has not begun.
FRIDAY_AFTERNOON = datetime(2026, 11, 27, 16, 30)
FRIDAY_EVENING = datetime(2026, 11, 27, 19, 5)


@pytest.fixture
def web(app, db, monkeypatch) -> webtest.TestApp:
    """A WebTest browser on the app with CSRF protection on, as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    def fresh_globals(environ, start_response):
        if has_app_context():  # the test's app context is shared: start each request clean
            vars(g._get_current_object()).clear()
        return app(environ, start_response)

    return webtest.TestApp(fresh_globals)


@pytest.fixture
def now_is(clock) -> Callable[[datetime], None]:
    """Set the local time the walk pages and the start page see."""
    return clock.local


def log_in(web: webtest.TestApp, user: User) -> webtest.TestResponse:
    """Log in through the login form as rendered; return the start page."""
    form = web.get("/login").forms[0]
    form["username"], form["password"] = user.username, TEST_PASSWORD
    return form.submit().follow()


def test_supervisor_logs_tonights_walk_from_the_start_page_in_two_taps(
        web, now_is, make_user, make_walk, polare):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], walk_date=FRIDAY, staff_ids=[supervisor.id])
    now_is(FRIDAY_EVENING)
    start = log_in(web, supervisor)
    card = start.html.find(id="h-next-walks").find_parent("section")
    assert "Ikväll" in card.text
    log_page = start.click(description="Logga", href=f"/walks/{walk.id}/log", index=0)
    form = log_page.forms[1]
    form[f"attendance_{polare.id}"] = "attended"
    form["youths_met"], form["youths_talked"] = "6", "2"
    saved = form.submit("complete").follow()
    assert "Nattvandringen är sparad." in saved.text
    assert walk.status == WalkStatus.COMPLETED
    assert walk.participations[0].status == ParticipationStatus.ATTENDED


def test_start_page_card_shows_tonights_walk_and_the_next_one_only(
        web, now_is, make_user, make_walk):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    make_walk(walk_date=LAST_FRIDAY, staff_ids=[supervisor.id])
    make_walk(walk_date=FRIDAY, staff_ids=[supervisor.id])
    make_walk(walk_date=date(2026, 12, 4), staff_ids=[supervisor.id])
    make_walk(walk_date=date(2026, 12, 11), staff_ids=[supervisor.id])
    now_is(FRIDAY_AFTERNOON)
    card = log_in(web, supervisor).html.find(id="h-next-walks").find_parent("section")
    shown = [" ".join(h3.get_text(" ").split()) for h3 in card.find_all("h3")]
    assert shown == ["Ikväll 2026-11-27 19:00–21:30", "Nästa 2026-12-04 19:00–21:30"]


def test_start_page_has_no_walk_card_for_payroll(web, make_user):
    assert log_in(web, make_user(Role.PAYROLL)).html.find(id="h-next-walks") is None


def test_start_page_walk_card_leaves_out_another_teams_walks(web, now_is, make_user,
                                                             make_walk):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    berga = make_user(Role.SUPERVISOR, teams=("Berga",))
    make_walk(walk_date=FRIDAY, team="Berga", staff_ids=[berga.id])
    now_is(FRIDAY_AFTERNOON)
    card = log_in(web, supervisor).html.find(id="h-next-walks").find_parent("section")
    assert "Inga planerade nattvandringar framåt." in card.text


def test_walk_list_shows_upcoming_walks_first_in_date_order_with_today_marked(
        web, now_is, make_user, make_walk):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    for day in (date(2026, 11, 6), date(2026, 12, 4), LAST_FRIDAY, FRIDAY, date(2026, 12, 11)):
        make_walk(walk_date=day, staff_ids=[supervisor.id])
    now_is(FRIDAY_AFTERNOON)
    log_in(web, supervisor)
    rows = web.get("/walks/").html.select("tbody tr.row-link")
    dates = [row.find("a").text for row in rows]
    assert dates == ["2026-11-27", "2026-12-04", "2026-12-11", "2026-11-20", "2026-11-06"]
    assert [row.get("aria-current") for row in rows] == ["date", None, None, None, None]
    assert "Idag" in rows[0].text


def test_walk_list_pages_through_upcoming_then_earlier_walks_in_order(
        web, now_is, monkeypatch, make_user, make_walk):
    """Pages of two, followed by the pager's own link: the parts meet inside a page."""
    monkeypatch.setattr("polare.walks.routes.PAGE_SIZE", 2)
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    for day in (date(2026, 11, 6), date(2026, 12, 4), LAST_FRIDAY, FRIDAY, date(2026, 12, 11),
                date(2026, 12, 18)):
        make_walk(walk_date=day, staff_ids=[supervisor.id])
    make_walk(walk_date=date(2026, 12, 4), start_time=time(17, 0), end_time=time(18, 0),
              staff_ids=[supervisor.id])
    now_is(FRIDAY_AFTERNOON)
    log_in(web, supervisor)
    page, seen = web.get("/walks/"), []
    while True:
        seen.append([(row.find("a").text, row.find("td", attrs={"data-label": "Tid"}).text)
                     for row in page.html.select("tbody tr.row-link")])
        if "Nästa" not in page.text:
            break
        page = page.click("Nästa")
    assert seen == [[("2026-11-27", "19:00–21:30"), ("2026-12-04", "17:00–18:00")],
                    [("2026-12-04", "19:00–21:30"), ("2026-12-11", "19:00–21:30")],
                    [("2026-12-18", "19:00–21:30"), ("2026-11-20", "19:00–21:30")],
                    [("2026-11-06", "19:00–21:30")]]
    assert "Sida 4 av 4" in page.text


def test_walk_list_page_past_the_end_is_empty_not_an_error(web, make_user, make_walk):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    make_walk(staff_ids=[supervisor.id])
    log_in(web, supervisor)
    assert "Inga nattvandringar matchar filtret." in web.get("/walks/?page=9").text


def _options(select) -> list[str]:
    return [option.text for option in select.find_all("option")]


def _filter_form(page: webtest.TestResponse) -> webtest.Form:
    return next(form for form in page.forms.values() if "district_id" in form.fields)


def test_walk_list_of_many_teams_offers_the_chosen_teams_districts_only(
        web, monkeypatch, make_user, make_walk):
    """An administrator of the whole country does not get every district of it in the filter:
    choosing a team, as the help says, offers that team's districts."""
    monkeypatch.setattr("polare.walks.routes.MANY_TEAMS", 2)
    make_walk(walk_date=FRIDAY, district="Lambohov", meeting_point="Alfa")
    make_walk(walk_date=FRIDAY, district="Ryd", meeting_point="Beta")
    berga = make_user(Role.SUPERVISOR, teams=("Berga",))
    make_walk(walk_date=date(2026, 12, 4), team="Berga", district="Ekholmen",
              staff_ids=[berga.id])
    log_in(web, make_user(Role.ADMIN))
    page = web.get("/walks/")
    assert _options(page.html.find(id="district_id")) == ["Alla stadsdelar"]
    assert "Välj ett team för att välja bland dess stadsdelar." in page.text
    form = _filter_form(page)
    form["team_id"].select(text="Ryd")
    chosen = form.submit()
    districts = _options(chosen.html.find(id="district_id"))
    assert "Lambohov (Ryd)" in districts
    assert "Välj ett team för att välja" not in chosen.text
    assert not [name for name in districts if "Berga" in name or "Skäggetorp" in name]
    form = _filter_form(chosen)
    form["district_id"].select(text="Lambohov (Ryd)")
    filtered = form.submit()
    assert [row.find("td", attrs={"data-label": "Stadsdel"}).text.strip()
            for row in filtered.html.select("tbody tr.row-link")] == ["Lambohov"]
    assert filtered.html.find(id="district_id").find("option", selected=True).text \
        == "Lambohov (Ryd)"


def test_walk_list_of_few_teams_offers_every_district_of_them(web, make_user):
    log_in(web, make_user(Role.COORDINATOR, teams=("Ryd", "Berga")))
    districts = _options(web.get("/walks/").html.find(id="district_id"))
    assert "Lambohov (Ryd)" in districts
    assert "Ekholmen (Berga)" in districts
    assert "Ljungsbro (Skäggetorp)" not in districts


def test_complete_is_disabled_before_the_walk_starts_saying_why(
        web, now_is, make_user, make_walk):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk(walk_date=FRIDAY, staff_ids=[supervisor.id])
    now_is(FRIDAY_AFTERNOON)
    log_in(web, supervisor)
    button = web.get(f"/walks/{walk.id}/log").html.find("button", attrs={"name": "complete"})
    assert button.has_attr("disabled")
    reason = web.get(f"/walks/{walk.id}/log").html.find(id=button["aria-describedby"])
    assert "när nattvandringen har börjat (2026-11-27 19:00)" in reason.text


def test_complete_is_offered_once_the_walk_has_started(web, now_is, make_user, make_walk):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk(walk_date=FRIDAY, staff_ids=[supervisor.id])
    now_is(FRIDAY_EVENING)
    log_in(web, supervisor)
    button = web.get(f"/walks/{walk.id}/log").html.find("button", attrs={"name": "complete"})
    assert not button.has_attr("disabled")


def test_walk_page_disables_complete_before_the_start(web, now_is, make_user, make_walk):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk(walk_date=FRIDAY, staff_ids=[supervisor.id])
    now_is(FRIDAY_AFTERNOON)
    log_in(web, supervisor)
    page = web.get(f"/walks/{walk.id}")
    button = page.html.find("form", action=f"/walks/{walk.id}/complete").find("button")
    assert button.has_attr("disabled")


def test_server_refuses_completing_before_the_start_and_keeps_the_log(
        web, now_is, make_user, make_walk, polare):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk([polare], walk_date=FRIDAY, staff_ids=[supervisor.id])
    now_is(FRIDAY_AFTERNOON)
    log_in(web, supervisor)
    form = web.get(f"/walks/{walk.id}/log").forms[1]
    form["youths_met"], form["youths_talked"] = "4", "1"
    form["note"] = "Förberedelser."
    # The button is disabled on the page; a stale page or a crafted request still sends it.
    refused = web.post(f"/walks/{walk.id}/log",
                           [*form.submit_fields(), ("complete", "1")], status=422)
    assert "har inte börjat än" in refused.text
    assert "Förberedelser." in refused.text
    assert walk.status == WalkStatus.PLANNED


def test_plan_warnings_appear_once_on_the_walk_page(web, make_user, districts, polare):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    log_in(web, supervisor)
    form = web.get("/walks/new").forms[1]
    form["walk_date"], form["end_time"] = "2026-11-27", "23:00"
    form["meeting_point"] = "Ryds centrum"
    form.get("person_ids", index=0).checked = True
    page = form.submit().follow()
    assert "Nattvandringen är planerad." in page.text
    assert page.text.count("Elsa Ek är 17 år och nattvandringen slutar 23:00") == 1
    assert "Att tänka på" in page.text


def test_walk_page_shows_the_approval_time_in_swedish_local_time(db, web, make_user,
                                                                 make_walk):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    walk = make_walk(walk_date=LAST_FRIDAY, staff_ids=[supervisor.id])
    walk.status, walk.approved_at = WalkStatus.APPROVED, datetime(2026, 11, 21, 8, 15)
    walk.approved_by_id = supervisor.id
    db.flush()
    log_in(web, supervisor)
    assert "2026-11-21 09:15 av" in web.get(f"/walks/{walk.id}").text


def test_next_walks_skip_a_walk_that_has_ended(db, make_user, make_walk):
    supervisor = make_user(Role.SUPERVISOR, teams=("Ryd",))
    make_walk(walk_date=LAST_FRIDAY, start_time=time(19, 0), staff_ids=[supervisor.id])
    tonight = make_walk(walk_date=FRIDAY, staff_ids=[supervisor.id])
    assert next_walks(db, supervisor, datetime(2026, 11, 27, 21, 0)) == [tonight]
    assert next_walks(db, supervisor, datetime(2026, 11, 27, 21, 30)) == []
