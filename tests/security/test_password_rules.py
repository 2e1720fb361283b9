"""Password rules: long enough, not the username, not on the shipped common-password list."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from polare.auth.models import Role, User
from polare.auth.passwords import check_password_rules, common_passwords, is_common_password
from polare.errors import DomainError
from tests.conftest import TEST_PASSWORD


def test_the_shipped_list_holds_thousands_of_common_passwords():
    assert len(common_passwords()) > 3000
    for weak in ("sommar2024", "password123", "qwertyuiop", "lösenord123", "1q2w3e4r5t",
                 "emma2010", "välkommen1"):
        assert weak in common_passwords(), weak


@pytest.mark.parametrize("password", ["Sommar2024", "PASSWORD123", "QwertyUiop", "Lösenord123"])
def test_a_common_password_is_refused_whatever_its_case(password):
    with pytest.raises(DomainError, match="för vanligt"):
        check_password_rules(password, "kim")


def test_a_short_password_is_refused():
    with pytest.raises(DomainError, match="minst 10 tecken"):
        check_password_rules("kort-ord", "kim")


def test_the_username_is_refused_as_password_whatever_its_case():
    with pytest.raises(DomainError, match="användarnamnet"):
        check_password_rules("Kim.Andersson", "kim.andersson")


def test_a_long_uncommon_password_is_accepted():
    check_password_rules("tre gröna cyklar i regnet", "kim")


@pytest.mark.parametrize("password", [TEST_PASSWORD, "polare-demo-2026", "ett-bra-losenord",
                                      "ett-langt-losenord", "a-brand-new-pass"])
def test_passwords_the_project_itself_uses_are_not_on_the_list(password):
    assert not is_common_password(password)


def test_admin_cannot_create_a_user_with_a_common_password(client, db, login_as, teams):
    login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "username": "nyanvandare", "role": "payroll", "password": "Sommar2024!"})
    assert "för vanligt" in response.get_data(as_text=True)
    assert db.scalar(select(User.id).where(User.username == "nyanvandare")) is None


def test_admin_cannot_reset_a_password_to_a_common_one(client, login_as, make_user):
    login_as(Role.ADMIN)
    user = make_user(Role.SUPERVISOR)
    response = client.post(f"/admin/users/{user.id}/password",
                           data={"password": "password123", "force_change": "y"},
                           follow_redirects=True)
    assert "för vanligt" in response.get_data(as_text=True)


def test_own_password_change_to_a_common_password_is_refused_on_the_form(client, login_as):
    login_as(Role.COORDINATOR)
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "qwertyuiop",
        "confirm": "qwertyuiop"})
    assert response.status_code == 200
    assert "för vanligt" in response.get_data(as_text=True)


def test_own_password_change_to_the_username_is_refused_on_the_form(client, login_as):
    user = login_as(Role.COORDINATOR, username="kimberly.lang")
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": user.username,
        "confirm": user.username})
    assert "användarnamnet" in response.get_data(as_text=True)


def test_cli_refuses_a_common_password(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "kim", "--role", "payroll"], input="Password2024\n")
    assert result.exit_code != 0
    assert "för vanligt" in result.output
