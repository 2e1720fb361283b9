"""Logging in and out: passwords, throttling, inactive users, redirects, stale cookies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.auth.passwords import hash_password, verify_password
from polare.auth.routes import safe_next
from polare.auth.services import update_user
from tests.conftest import TEST_PASSWORD


def _log_in(client, username, password=TEST_PASSWORD, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def test_login_with_right_password_reaches_start_page(client, make_user):
    user = make_user(Role.COORDINATOR)
    response = _log_in(client, user.username)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_with_message(client, make_user):
    user = make_user(Role.COORDINATOR)
    response = _log_in(client, user.username, "wrong-one-1")
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.get_data(as_text=True)


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client):
    response = _log_in(client, "nobody-here")
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.get_data(as_text=True)


def test_deactivated_account_answers_like_a_wrong_password(client, make_user):
    user = make_user(Role.COORDINATOR, active=False)
    response = _log_in(client, user.username)
    body = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in body
    assert "inaktiverat" not in body


def test_account_is_locked_after_repeated_failures_even_with_right_password(app, client,
                                                                            make_user):
    user = make_user(Role.COORDINATOR)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _log_in(client, user.username, "wrong-one-1")
    response = _log_in(client, user.username)
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_failed_logins_are_audited(client, db, make_user):
    user = make_user(Role.COORDINATOR)
    _log_in(client, user.username, "wrong-one-1")
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(user.id)))
    assert "login_failed" in list(actions)


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example",
])
def test_next_outside_the_site_is_ignored(client, make_user, target):
    user = make_user(Role.COORDINATOR)
    response = _log_in(client, user.username, next=target)
    assert response.headers["Location"] == "/"


def test_next_within_the_site_is_followed(client, make_user):
    user = make_user(Role.COORDINATOR)
    response = _log_in(client, user.username, next="/account/password")
    assert response.headers["Location"] == "/account/password"


def test_safe_next_accepts_only_local_paths():
    assert safe_next("/roster?team=1") == "/roster?team=1"
    assert safe_next("https://x.example") is None
    assert safe_next(None) is None


def test_session_cookie_replayed_after_logout_is_refused(app, client, make_user):
    user = make_user(Role.COORDINATOR)
    _log_in(client, user.username)
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    response = replay.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_deactivating_a_user_ends_their_sessions(app, client, db, make_user):
    user = make_user(Role.COORDINATOR)
    _log_in(client, user.username)
    assert client.get("/").status_code == 200
    update_user(db, make_user(Role.ADMIN), user, full_name=user.full_name, email=user.email,
                role=user.role, teams=list(user.teams), active=False)
    db.flush()
    assert client.get("/").status_code == 302


def test_password_change_makes_old_cookies_useless(app, client, make_user):
    user = make_user(Role.COORDINATOR)
    _log_in(client, user.username)
    old_cookie = client.get_cookie("session").value
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "a-brand-new-pass",
        "confirm": "a-brand-new-pass"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this browser got a new cookie
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/").status_code == 302


def test_user_forced_to_change_password_is_sent_to_the_form(client, make_user):
    user = make_user(Role.COORDINATOR, must_change_password=True)
    _log_in(client, user.username)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"


def test_passwords_are_stored_as_argon2id_hashes():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "wrong")


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user(Role.COORDINATOR)
    response = _log_in(client, user.username)
    header = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_form_without_csrf_token_is_refused(app, client, make_user, monkeypatch):
    user = make_user(Role.COORDINATOR)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = _log_in(client, user.username)
    assert response.status_code == 400
    assert "Formuläret har gått ut" in response.get_data(as_text=True)
