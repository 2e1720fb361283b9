"""The view helpers of polare.web: running a service call from a form."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField

from polare.audit.services import record
from polare.errors import DomainError
from polare.org.models import Team
from polare.web import commit_or_show


class NameForm(FlaskForm):
    name = StringField()


@pytest.fixture
def form(app, db):
    with app.test_request_context("/teams/new", method="POST", data={"name": "Lambohov"}):
        yield NameForm(meta={"csrf": False})


def _add_team(db, name: str) -> None:
    team = Team(name=name)
    db.add(team)
    db.flush()
    record(db, None, "create", "team", team.id, note="test")


def _team_names(db) -> set[str]:
    return set(db.scalars(select(Team.name)))


def test_commit_or_show_commits_and_redirects_with_the_message(db, form):
    response = commit_or_show(form, lambda: _add_team(db, "Lambohov"), "Teamet är sparat.",
                              "/admin/teams")

    db.rollback()  # only what was committed survives
    assert "Lambohov" in _team_names(db)
    assert response is not None
    assert response.status_code == 302
    assert response.location == "/admin/teams"
    assert get_flashed_messages(with_categories=True) == [("success", "Teamet är sparat.")]


def test_commit_or_show_flashes_with_the_given_category(db, form):
    commit_or_show(form, lambda: _add_team(db, "Lambohov"), "Sparat.", "/", category="info")

    assert get_flashed_messages(with_categories=True) == [("info", "Sparat.")]


def test_commit_or_show_on_a_domain_error_rolls_back_and_returns_none(db, form):
    def refuse() -> None:
        _add_team(db, "Lambohov")
        raise DomainError("Namnet är upptaget.", field="name")

    response = commit_or_show(form, refuse, "Teamet är sparat.", "/admin/teams")

    assert response is None
    assert "Lambohov" not in _team_names(db)


def test_commit_or_show_on_a_domain_error_shows_it_on_the_named_field(db, form):
    def refuse() -> None:
        raise DomainError("Namnet är upptaget.", field="name")

    commit_or_show(form, refuse, "Teamet är sparat.", "/admin/teams")

    assert form.name.errors == ["Namnet är upptaget."]
    assert form.name.data == "Lambohov"
    assert get_flashed_messages(with_categories=True) == [("danger", "Namnet är upptaget.")]
