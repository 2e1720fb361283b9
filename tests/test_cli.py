"""The command line: users create, seed, demo."""

from __future__ import annotations

from sqlalchemy import func, select

from polare.auth.models import Role, User
from polare.org.models import District, SchoolYear, Team


def test_users_create_reads_the_password_from_standard_input(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "kim", "--role", "supervisor", "--team", "Ryd"],
        input="ett-langt-losenord\n",
    )
    assert result.exit_code == 0, result.output
    user = db.scalars(select(User).where(User.username == "kim")).one()
    assert user.role == Role.SUPERVISOR
    assert [t.name for t in user.teams] == ["Ryd"]


def test_users_create_refuses_an_unknown_team(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "kim", "--role", "coordinator", "--team", "Atlantis"],
        input="ett-langt-losenord\n",
    )
    assert result.exit_code != 0
    assert "Atlantis" in result.output


def test_seed_loads_the_three_teams_and_their_districts(db):
    assert db.scalar(select(func.count(Team.id))) == 3
    ryd = db.scalars(select(Team).where(Team.name == "Ryd")).one()
    assert {d.name for d in ryd.districts} == {
        "Ryd", "Vikingstad", "Lambohov", "Malmslätt", "Slaka", "Västerlösa", "Nykil", "Ulrika"}
    assert db.scalar(select(func.count(District.id))) == 3 + 5 + 7 + 5


def test_seed_is_idempotent(app, db):
    before = db.scalar(select(func.count(SchoolYear.id)))
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "finns redan" in result.output
    assert db.scalar(select(func.count(SchoolYear.id))) == before


def test_school_years_run_from_2024_25_to_the_next_one(db):
    labels = db.scalars(select(SchoolYear.label).order_by(SchoolYear.starts_on)).all()
    assert labels[0] == "2024/25"
    assert "2026/27" in labels


def test_demo_prints_a_login_for_every_role(app, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    for username in ("admin", "samordnare", "handledare", "lon"):
        assert username in result.output
    assert {u.role for u in db.scalars(select(User))} >= set(Role)
