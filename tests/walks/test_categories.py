"""Incident categories: named in Swedish and English by admin, shown in the reader's language."""

from __future__ import annotations

from sqlalchemy import select

from polare.auth.models import Role
from polare.walks.models import IncidentCategory


def _form_with(page, field: str):
    return next(form for form in page.forms.values() if field in form.fields)


def _category(db, name: str) -> IncidentCategory:
    return db.scalars(select(IncidentCategory).where(IncidentCategory.name == name)).one()


def test_seeded_categories_have_english_names(db):
    assert _category(db, "Bråk").name_en == "Fights"


def test_admin_renames_a_category_in_english_through_its_page(db, webapp, web_login_as):
    web_login_as(Role.ADMIN)
    edit = webapp.get("/walks/categories").click("Bråk")
    form = _form_with(edit, "name_en")
    assert form["name_en"].value == "Fights"
    form["name_en"] = "Fights and brawls"
    assert form.submit().status_int == 302
    assert _category(db, "Bråk").name_en == "Fights and brawls"


def test_admin_adds_a_category_with_both_names(db, webapp, web_login_as):
    web_login_as(Role.ADMIN)
    form = _form_with(webapp.get("/walks/categories/new"), "name_en")
    form["name"], form["name_en"], form["sort_order"] = "Klotter", "Graffiti", "8"
    assert form.submit().status_int == 302
    assert _category(db, "Klotter").name_en == "Graffiti"


def test_a_taken_name_is_refused_and_the_form_keeps_what_was_typed(db, webapp, web_login_as):
    web_login_as(Role.ADMIN)
    form = _form_with(webapp.get("/walks/categories/new"), "name_en")
    form["name"], form["name_en"] = "BRÅK", "Brawls"
    page = form.submit(status=422)
    assert "Det finns redan en händelsekategori som heter BRÅK." in page.text
    assert _form_with(page, "name_en")["name_en"].value == "Brawls"


def test_only_admin_reaches_the_category_pages(webapp, web_login_as):
    for role in (Role.COORDINATOR, Role.SUPERVISOR, Role.PAYROLL):
        web_login_as(role)
        assert webapp.get("/walks/categories", expect_errors=True).status_int in {403, 404}


def test_an_english_reader_logs_incidents_under_english_names(webapp, web_login_as, make_walk):
    walk = make_walk()
    web_login_as(Role.SUPERVISOR)
    webapp.get("/lang/en")
    page = webapp.get(f"/walks/{walk.id}/log")
    assert "Contact with police" in page.text
    assert "Kontakt med polis" not in page.text


def test_a_swedish_reader_logs_incidents_under_swedish_names(webapp, web_login_as, make_walk):
    walk = make_walk()
    web_login_as(Role.SUPERVISOR)
    page = webapp.get(f"/walks/{walk.id}/log")
    assert "Kontakt med polis" in page.text
