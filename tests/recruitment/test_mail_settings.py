"""The MAIL_* settings reach the SMTP server: login, STARTTLS, sender, read from the environment."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select

from polare.config import load_config
from polare.recruitment.models import ConsentRequest
from tests.recruitment.conftest import Inbox, _Handler, fill_application, free_port

MAIL_ENVIRONMENT = {
    "MAIL_SERVER": "smtp.kommun.example", "MAIL_PORT": "587", "MAIL_USE_TLS": "1",
    "MAIL_USERNAME": "polare", "MAIL_PASSWORD": "hemligt-smtp", "MAIL_DEFAULT_SENDER":
    "polare@kommun.example",
}


def test_the_mail_settings_are_read_from_the_environment(monkeypatch):
    for name, value in MAIL_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    config = load_config()
    assert {name: config[name] for name in MAIL_ENVIRONMENT} == {
        "MAIL_SERVER": "smtp.kommun.example", "MAIL_PORT": 587, "MAIL_USE_TLS": True,
        "MAIL_USERNAME": "polare", "MAIL_PASSWORD": "hemligt-smtp",
        "MAIL_DEFAULT_SENDER": "polare@kommun.example"}


@pytest.fixture
def smtp_with_login(app, web, monkeypatch) -> Iterator[tuple[Inbox, list[tuple[str, str]]]]:
    """An SMTP server on 127.0.0.1 that takes mail only after a login; yield what it saw."""
    inbox, logins = Inbox(), []

    def authenticate(server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"hemligt-smtp")

    port = free_port()
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=port,
                            authenticator=authenticate, auth_required=True,
                            auth_require_tls=False)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "polare@kommun.example")
    yield inbox, logins
    controller.stop()


#: aiosmtpd warns about a login without TLS: on 127.0.0.1 in a test that is the point.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_a_server_that_asks_for_a_login_gets_the_mail_username_and_password(
        app, web, db, smtp_with_login, monkeypatch):
    inbox, logins = smtp_with_login
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "polare")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "hemligt-smtp")
    fill_application(web.get("/ansok/ryd")).submit().follow()
    assert logins == [("polare", "hemligt-smtp")]
    assert [(m["From"], m["To"]) for m in inbox.messages] == [
        ("polare@kommun.example", "karin@example.se")]


def test_with_mail_use_tls_nothing_goes_in_clear_text_to_a_server_without_starttls(
        app, web, db, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    assert "Tack för din ansökan" in fill_application(web.get("/ansok/ryd")).submit() \
        .follow().text
    assert smtp.messages == []
    assert "STARTTLS" in db.scalars(select(ConsentRequest)).one().mail_error


def test_a_refused_starttls_leaves_no_connection_open(app, web, db, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        fill_application(web.get("/ansok/ryd")).submit().follow()
        gc.collect()  # a socket left open is reported when it is collected
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []
