"""Every create form saves once: the same rendered form sent twice creates one record.

Each test fetches the page as a web does (WebTest, CSRF on), fills the form, and submits
it twice unchanged, as a double tap or a retry on a slow network would. The second answer
redirects where the first did. A race on PostgreSQL sends one key from two threads at once.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
import webtest
from flask import g, has_app_context
from sqlalchemy import func, select

from payroll import RateBand
from polare.auth.models import Role, User
from polare.auth.services import create_user
from polare.events.models import Event, EventType, Invitation
from polare.events.services import create_event
from polare.extensions import db as flask_db
from polare.org.models import District, SchoolYear, Team
from polare.org.seed import seed_reference_data
from polare.org.services import team_by_name
from polare.pay import services as rates
from polare.pay.models import RateVersion
from polare.reports.models import EmployerContributionRate
from polare.roster.models import Enrolment, Guardian, Person
from polare.submissions.models import SubmissionKey
from polare.walks.models import IncidentCategory, Walk
from tests.conftest import TEST_PASSWORD, TODAY, valid_personnummer
from tests.imports.conftest import xlsx_file
from tests.imports.test_polare import good_rows

REPEATED = "Formuläret var redan skickat och sparades en gång."


@pytest.fixture
def web(app, db, monkeypatch) -> webtest.TestApp:
    """A WebTest browser with CSRF protection on; each request starts with an empty `g`."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    def fresh_globals(environ: dict[str, Any], start_response: Any) -> Any:
        if has_app_context():
            vars(g._get_current_object()).clear()
        return app(environ, start_response)

    return webtest.TestApp(fresh_globals)


@pytest.fixture
def log_in(web, make_user) -> Callable[..., User]:
    """Log the web in through the login page as a new user of the role and teams."""

    def go(role: Role, teams: tuple[str, ...] = ("Ryd",)) -> User:
        user = make_user(role, teams=teams)
        page = web.get("/login")
        form = page.forms[_form_index(page, "password")]
        form["username"], form["password"] = user.username, TEST_PASSWORD
        assert form.submit().status_int == 302
        return user

    return go


def _form_index(page: webtest.TestResponse, field: str, nth: int = 0) -> int:
    """Return the index of the page's `nth` form that has the field."""
    found = [i for i, form in sorted((k, f) for k, f in page.forms.items() if isinstance(k, int))
             if field in form.fields]
    return found[nth]


def keyed_form(page: webtest.TestResponse, nth: int = 0) -> webtest.Form:
    """Return the page's `nth` form that carries a one-time key."""
    return page.forms[_form_index(page, "submission_key", nth)]


def _count(db, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model))


def assert_saved_once(db, model: type, form: webtest.Form, *, button: str | None = None,
                      added: int = 1) -> webtest.TestResponse:
    """Submit the form twice; one save, and the second answer lands where the first did."""
    before = _count(db, model)
    first = form.submit(button)
    assert first.status_int == 302, first.text
    second = form.submit(button)
    assert second.status_int == 302, second.text
    assert second.location == first.location
    assert _count(db, model) == before + added
    assert REPEATED in second.follow().text
    return first


def test_a_new_key_is_rendered_each_time_the_form_is_shown(web, log_in):
    log_in(Role.SUPERVISOR)
    keys = {keyed_form(web.get("/walks/new"))["submission_key"].value for _ in range(2)}
    assert len(keys) == 2


def test_planning_a_walk_twice_plans_one_walk(web, db, log_in):
    log_in(Role.SUPERVISOR)
    form = keyed_form(web.get("/walks/new"))
    form["walk_date"] = "2026-12-04"
    first = assert_saved_once(db, Walk, form)
    walk = db.scalars(select(Walk)).one()
    assert first.location.endswith(f"/walks/{walk.id}")


def test_planning_a_series_twice_plans_it_once(web, db, log_in):
    log_in(Role.SUPERVISOR)
    form = keyed_form(web.get("/walks/series"))
    form["first_date"], form["last_date"] = "2026-12-01", "2026-12-13"
    assert_saved_once(db, Walk, form, added=4)  # two Fridays and two Saturdays


def test_creating_an_event_twice_creates_one(web, db, log_in):
    log_in(Role.COORDINATOR)
    form = keyed_form(web.get("/events/new"))
    form["title"], form["event_date"], form["start_time"] = "Vinterträff", "2026-12-10", "18:00"
    assert_saved_once(db, Event, form)


def test_creating_an_event_type_twice_creates_one(web, db, log_in):
    log_in(Role.ADMIN)
    form = keyed_form(web.get("/events/types/new"))
    form["name"] = "Studiebesök"
    assert_saved_once(db, EventType, form)


def test_creating_an_incident_category_twice_creates_one(web, db, log_in):
    log_in(Role.ADMIN)
    form = keyed_form(web.get("/walks/categories/new"))
    form["name"] = "Klotter i trappuppgång"
    assert_saved_once(db, IncidentCategory, form)


def test_registering_a_polare_twice_registers_one(web, db, log_in):
    log_in(Role.COORDINATOR)
    form = keyed_form(web.get("/roster/persons/new"))
    form["personnummer"] = valid_personnummer(date(2009, 5, 6), 321)
    form["first_name"], form["last_name"] = "Saga", "Dubbel"
    assert_saved_once(db, Person, form)


def test_enrolling_an_already_registered_person_twice_enrols_once(web, db, log_in,
                                                                  make_person):
    log_in(Role.COORDINATOR)
    person = make_person(first_name="Nils", last_name="Finns")
    db.commit()  # the refusal below rolls back what is not committed
    form = keyed_form(web.get("/roster/persons/new"))
    form["personnummer"] = person.personnummer
    form["first_name"], form["last_name"] = "Nils", "Finns"
    refused = form.submit(status=422)
    assert_saved_once(db, Enrolment, keyed_form(refused, 0))  # the "enrol this person" button


def test_enrolling_a_polare_in_a_year_twice_enrols_once(web, db, log_in, polare):
    log_in(Role.COORDINATOR)
    form = keyed_form(web.get(f"/roster/persons/{polare.id}"))
    next_year = db.scalars(select(SchoolYear).where(SchoolYear.label == "2027/28")).one()
    form["school_year_id"] = str(next_year.id)
    first = assert_saved_once(db, Enrolment, form)
    assert "/roster/enrolments/" in first.location


def test_adding_a_guardian_twice_adds_one(web, db, log_in, polare):
    log_in(Role.COORDINATOR)
    form = keyed_form(web.get(f"/roster/persons/{polare.id}/guardians/new"))
    form["name"], form["phone"] = "Eva Ek", "070-123 45 67"
    assert_saved_once(db, Guardian, form)


def test_continuing_to_next_year_twice_enrols_once(web, db, log_in, polare, teams,
                                                   school_year):
    log_in(Role.COORDINATOR)
    page = web.get(f"/roster/continue?team={teams['Ryd'].id}&year={school_year.id}")
    form = keyed_form(page)
    form.get("person_ids", index=0).checked = True
    assert_saved_once(db, Enrolment, form)


def test_inviting_chosen_polare_twice_invites_once(web, db, log_in, polare, teams):
    user = log_in(Role.COORDINATOR)
    event = create_event(db, user, type_id=db.scalars(select(EventType)).first().id,
                         title="Kurs", event_date=date(2026, 12, 2), start_time=time(18, 0),
                         end_time=None, team_id=teams["Ryd"].id, place="", notes="")
    db.commit()
    form = keyed_form(web.get(f"/events/{event.id}/invite"))
    form.get("person_ids", index=0).checked = True
    assert_saved_once(db, Invitation, form)


def test_creating_a_user_twice_creates_one(web, db, log_in):
    log_in(Role.ADMIN)
    form = keyed_form(web.get("/admin/users/new"))
    form["username"], form["password"] = "nyanvandare", "ett-långt-lösenord-42"
    assert_saved_once(db, User, form)


def test_creating_a_team_twice_creates_one(web, db, log_in):
    log_in(Role.ADMIN)
    form = keyed_form(web.get("/admin/teams/new"))
    form["name"], form["cost_centre"] = "Lambohov", "4711"
    assert_saved_once(db, Team, form)


def test_creating_a_district_twice_creates_one(web, db, log_in):
    log_in(Role.ADMIN)
    form = keyed_form(web.get("/admin/districts/new"))
    form["name"] = "Hjulsbro"
    assert_saved_once(db, District, form)


def test_creating_a_school_year_twice_creates_one(web, db, log_in):
    log_in(Role.ADMIN)
    form = keyed_form(web.get("/admin/school-years/new"))
    form["label"], form["starts_on"], form["ends_on"] = "2031/32", "2031-08-01", "2032-07-31"
    assert_saved_once(db, SchoolYear, form)


def test_creating_a_contribution_rate_twice_creates_one(web, db, log_in):
    log_in(Role.ADMIN)
    form = keyed_form(web.get("/reports/contribution-rates/new"))
    form["label"], form["valid_from"], form["age_from"] = "Ungdom", "2031-01-01", "15"
    form["rate_percent"] = "10.21"
    assert_saved_once(db, EmployerContributionRate, form)


def test_saving_a_new_rate_version_twice_saves_one(web, db, log_in):
    log_in(Role.PAYROLL)
    form = keyed_form(web.get("/payroll/rates/new"))
    form["effective_from"] = "2026-08-01"
    for name, value in (("age_from", "15"), ("years_from", "1"), ("amount", "300")):
        form[f"rows-0-{name}"] = value
    assert_saved_once(db, RateVersion, form, button="submit")


def test_saving_an_indexed_rate_version_twice_saves_one(web, db, log_in):
    log_in(Role.PAYROLL)
    rates.save_rate_version(db, None, None, effective_from=date(2024, 8, 1), label="Exempel",
                            bands=[RateBand(15, None, 1, None, Decimal("300"))])
    db.commit()
    form = keyed_form(web.get("/payroll/rates/index"))
    form["percent"], form["effective_from"] = "2,5", "2027-01-01"
    review = form.submit("review")
    assert_saved_once(db, RateVersion, keyed_form(review), button="save")


def test_importing_a_file_twice_imports_it_once(web, db, log_in):
    log_in(Role.COORDINATOR)
    form = keyed_form(web.get("/imports/"))
    form["kind"] = "polare"
    form["file"] = webtest.Upload("polare.xlsx", xlsx_file("polare", good_rows()))
    assert_saved_once(db, Person, form, added=len({row[0] for row in good_rows()}))


def test_a_key_saved_by_another_user_is_refused(web, db, log_in, make_user):
    log_in(Role.SUPERVISOR)
    form = keyed_form(web.get("/walks/new"))
    form["walk_date"] = "2026-12-04"
    other = make_user(Role.SUPERVISOR)
    db.add(SubmissionKey(key=form["submission_key"].value, user_id=other.id,
                         target_url="/walks/"))
    db.commit()
    form.submit(status=409)
    assert _count(db, Walk) == 0


# ---------------------------------------------------------------- a race on PostgreSQL


@pytest.mark.postgres
def test_two_requests_racing_with_one_key_create_one_walk_on_postgresql(postgres_app):
    app = postgres_app
    with app.app_context():
        flask_db.create_all()
        seed_reference_data(flask_db.session, TODAY)
        ryd = team_by_name(flask_db.session, "Ryd")
        create_user(flask_db.session, None, username="handledare", password=TEST_PASSWORD,
                    role=Role.SUPERVISOR, teams=[ryd])
        flask_db.session.commit()
        home = next(d.id for d in ryd.districts if d.is_home)
        ryd_id, user_id = ryd.id, flask_db.session.scalar(select(User.id))
        flask_db.session.remove()
    login = app.test_client()
    assert login.post("/login", data={"username": "handledare",
                                      "password": TEST_PASSWORD}).status_code == 302
    cookie = login.get_cookie("session")
    data = {"walk_date": "2026-12-04", "start_time": "19:00", "end_time": "23:00",
            "district_id": str(home), "staff_ids": str(user_id),
            "submission_key": uuid.uuid4().hex}
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []

    def submit() -> None:
        client = app.test_client()
        client.set_cookie("session", cookie.value)
        barrier.wait()
        reply = client.post(f"/walks/new?team_id={ryd_id}", data=data)
        answers.append((reply.status_code, reply.headers.get("Location", "")))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        walks = flask_db.session.scalars(select(Walk)).all()
        flask_db.session.remove()
    assert len(walks) == 1
    assert [status for status, _target in answers] == [302, 302]
    assert {target for _status, target in answers} == {f"/walks/{walks[0].id}"}
