"""The unit of work and the view helpers: one commit per request, refusals shown one way."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import insert, select
from werkzeug.wrappers import Response
from wtforms import StringField

from polare.audit.services import record
from polare.errors import DomainError, NotFoundError, PermissionDeniedError
from polare.org.models import Team
from polare.transactions import (
    answer_refusal,
    finish_request,
    keep_on_refusal,
    start_request,
    unit_of_work,
)
from polare.web import act, save_form


class NameForm(FlaskForm):
    name = StringField()


@pytest.fixture
def form(app, db):
    with app.test_request_context("/teams/new", method="POST", data={"name": "Lambohov"}):
        start_request()
        yield NameForm(meta={"csrf": False})


def _add_team(db, name: str) -> None:
    team = Team(name=name)
    db.add(team)
    db.flush()
    record(db, None, "create", "team", team.id, note="test")


def _team_names(db) -> set[str]:
    return set(db.scalars(select(Team.name)))


def _refuse_after_adding(db):
    def refuse() -> None:
        _add_team(db, "Lambohov")
        raise DomainError("org.team_name_taken", field="name", name="Lambohov")
    return refuse


def test_save_form_flashes_the_message_and_redirects(db, form):
    response = save_form(form, lambda: _add_team(db, "Lambohov"), "Teamet är sparat.",
                         "/admin/teams")

    assert response.status_code == 302
    assert response.location == "/admin/teams"
    assert get_flashed_messages(with_categories=True) == [("success", "Teamet är sparat.")]


def test_successful_request_commits_what_it_wrote(db, form):
    response = save_form(form, lambda: _add_team(db, "Lambohov"), "Sparat.", "/admin/teams")
    finish_request(response)

    db.rollback()  # only what was committed survives
    assert "Lambohov" in _team_names(db)


def test_successful_request_commits_what_it_wrote_past_the_orm(db, form):
    db.execute(insert(Team.__table__).values(name="Lambohov", cost_centre="", active=True))
    finish_request(Response(status=200))

    db.rollback()  # only what was committed survives
    assert "Lambohov" in _team_names(db)


def test_refused_form_is_rolled_back_and_returns_none(db, form):
    response = save_form(form, _refuse_after_adding(db), "Teamet är sparat.", "/admin/teams")

    assert response is None
    assert "Lambohov" not in _team_names(db)


def test_refusal_is_shown_on_the_named_field_in_words_and_keeps_the_input(db, form):
    save_form(form, _refuse_after_adding(db), "Teamet är sparat.", "/admin/teams")

    assert form.name.errors == ["Det finns redan ett team som heter Lambohov."]
    assert form.name.data == "Lambohov"
    assert get_flashed_messages(with_categories=True) == [
        ("danger", "Det finns redan ett team som heter Lambohov.")]


def test_request_that_fails_rolls_back_what_it_wrote(db, form):
    _add_team(db, "Lambohov")
    finish_request(Response(status=422))

    assert "Lambohov" not in _team_names(db)


def test_button_refusal_is_flashed_and_goes_back(db, form):
    response = act(_refuse_after_adding(db), "/admin/teams", "Sparat.")

    assert response.location == "/admin/teams"
    assert "Lambohov" not in _team_names(db)
    assert get_flashed_messages(with_categories=True) == [
        ("danger", "Det finns redan ett team som heter Lambohov.")]


def test_button_on_an_unseen_record_is_not_found(db, form):
    def unseen() -> None:
        raise NotFoundError("org.team_not_found")

    with pytest.raises(NotFoundError):
        act(unseen, "/admin/teams")


def test_unit_of_work_commits_the_block(db, app):
    with app.app_context(), unit_of_work(db):
        _add_team(db, "Lambohov")

    db.rollback()
    assert "Lambohov" in _team_names(db)


def test_unit_of_work_rolls_back_a_refused_block(db, app):
    def refused_block() -> None:
        with unit_of_work(db):
            _add_team(db, "Lambohov")
            raise DomainError("org.team_name_taken", name="Lambohov")

    with app.app_context(), pytest.raises(DomainError):
        refused_block()

    assert "Lambohov" not in _team_names(db)


@pytest.mark.parametrize(("error", "status"), [
    (NotFoundError("org.team_not_found"), 404),
    (PermissionDeniedError("org.team_not_found"), 403),
])
def test_unseen_or_forbidden_refusal_leaving_a_view_is_an_error_page(app, db, error, status):
    with app.test_request_context("/admin/teams/999"):
        assert answer_refusal(error).status_code == status


def test_refusal_leaving_a_view_is_flashed_on_the_page_the_user_came_from(app, db):
    with app.test_request_context("/admin/teams/1/delete", method="POST",
                                  headers={"Referer": "http://localhost/admin/teams"}):
        response = answer_refusal(DomainError("org.cap_negative"))
        assert (response.status_code, response.location) == (302, "/admin/teams")
        assert get_flashed_messages() == ["Taket kan inte vara negativt."]


def test_writes_marked_to_keep_survive_a_refused_request(db, form):
    _add_team(db, "Lambohov")
    keep_on_refusal(db)
    finish_request(Response(status=429))

    db.rollback()
    assert "Lambohov" in _team_names(db)
