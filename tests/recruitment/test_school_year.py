"""Which school year an application goes to: today's, or the next once the admin opens it."""

from __future__ import annotations

from datetime import date

from polare.auth.models import Role
from polare.org.services import get_settings
from polare.recruitment.applications import application_school_year
from tests.recruitment.conftest import form_with, log_in


def test_applications_go_to_todays_school_year_by_default(db):
    assert application_school_year(db, date(2026, 11, 25)).label == "2026/27"


def test_applications_go_to_the_next_year_from_the_opening_date(db):
    get_settings(db).applications_next_year_from = date(2027, 3, 1)
    assert application_school_year(db, date(2027, 2, 28)).label == "2026/27"
    assert application_school_year(db, date(2027, 3, 1)).label == "2027/28"


def test_an_opening_date_from_an_earlier_year_does_not_move_this_years_applications(db):
    get_settings(db).applications_next_year_from = date(2026, 3, 1)
    assert application_school_year(db, date(2026, 11, 25)).label == "2026/27"


def test_the_opening_date_is_an_admin_setting(web, db, make_user):
    log_in(web, make_user(Role.ADMIN).username)
    form = form_with(web.get("/admin/settings"), "applications_next_year_from")
    form["applications_next_year_from"] = "2027-03-01"
    form.submit().follow()
    db.expire_all()
    assert get_settings(db).applications_next_year_from == date(2027, 3, 1)


def test_the_form_says_which_school_year_it_applies_to(web, db, clocks):
    get_settings(db).applications_next_year_from = date(2026, 11, 1)
    db.flush()
    assert "läsåret 2027/28" in web.get("/ansok/ryd").text
