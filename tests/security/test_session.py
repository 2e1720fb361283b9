"""Sessions end after an idle time; the cookie is refreshed while the user is active."""

from __future__ import annotations

import time
from datetime import timedelta

from itsdangerous import TimestampSigner

from polare.auth.models import Role
from polare.config import load_config


def test_idle_timeout_is_configured_and_refreshed_on_each_request(app):
    assert timedelta(minutes=1) <= app.config["PERMANENT_SESSION_LIFETIME"] <= timedelta(hours=1)
    assert app.config["SESSION_REFRESH_EACH_REQUEST"]


def test_idle_minutes_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("POLARE_IDLE_MINUTES", "15")
    assert load_config({"SECRET_KEY": "x"})["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=15)


def test_login_makes_a_session_cookie_that_expires_with_the_idle_time(client, make_user):
    from tests.conftest import TEST_PASSWORD

    user = make_user(Role.COORDINATOR)
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Expires=" in cookie
    assert "HttpOnly" in cookie


def test_a_session_idle_longer_than_the_timeout_is_logged_out(app, client, login_as, monkeypatch):
    login_as(Role.COORDINATOR)
    assert client.get("/").status_code == 200
    idle = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time() + idle))
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
