"""A WebTest browser with CSRF on, a real SMTP server in the test process, fixed clocks."""

from __future__ import annotations

import re
import socket
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from flask import g, has_app_context

from polare.extensions import limiter
from tests.conftest import TEST_PASSWORD, FrozenClock, valid_personnummer

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # WebOb still imports `cgi`
    import webtest

#: "Now" of these tests (UTC), on the conftest's TODAY.
NOW = datetime(2026, 11, 25, 15, 0)
#: A 16-year-old applicant's birth date.
BORN_2010 = date(2010, 6, 15)


class Browser(webtest.TestApp):
    """WebTest's browser; each request starts with an empty `g`, as in production."""

    def do_request(self, *args: Any, **kwargs: Any) -> webtest.TestResponse:
        """Run the request with a clean `g`."""
        if has_app_context():
            vars(g._get_current_object()).clear()
        return super().do_request(*args, **kwargs)


@pytest.fixture
def clocks(clock: FrozenClock) -> FrozenClock:
    """Fix now at NOW (UTC); `clocks.utc(...)` moves time on."""
    clock.utc(NOW)
    return clock


@pytest.fixture
def web(app, db, clocks, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """A browser on the app with CSRF protection on and fresh rate-limit counters."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    limiter.reset()
    yield Browser(app, extra_environ={"REMOTE_ADDR": "203.0.113.7"})
    limiter.reset()


@dataclass
class Inbox:
    """What the test SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)

    def links(self) -> list[str]:
        """Return the consent links in the messages, oldest first."""
        found = []
        for message in self.messages:
            body = message.get_body(("plain",)).get_content()
            found += re.findall(r"https?://\S+/samtycke/\S+", body)
        return found


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        self.inbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, web, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """Run an SMTP server on 127.0.0.1 and point the app's mail settings at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "polare@kommun.example")
    yield inbox
    controller.stop()


def form_with(page: webtest.TestResponse, field_name: str) -> webtest.forms.Form:
    """Return the page's form that has the named field."""
    return next(form for form in page.forms.values() if field_name in form.fields)


def fill_application(page: webtest.TestResponse, **values: Any) -> webtest.forms.Form:
    """Fill the application form as a 16-year-old would; `values` override fields."""
    form = form_with(page, "personnummer")
    defaults = {
        "first_name": "Nora", "last_name": "Lind",
        "personnummer": valid_personnummer(BORN_2010, 412), "phone": "070-765 43 21",
        "email": "nora@example.se", "school": "Rydskolan",
        "motivation": "Jag vill göra mitt område tryggare.",
        "guardian_name": "Karin Lind", "guardian_phone": "070-111 22 33",
        "guardian_email": "karin@example.se", "privacy_read": True,
    }
    defaults.update(values)
    for name, value in defaults.items():
        form[name] = value
    return form


def log_in(web: webtest.TestApp, username: str) -> None:
    """Log in through the login form as rendered."""
    form = form_with(web.get("/login"), "username")
    form["username"], form["password"] = username, TEST_PASSWORD
    assert form.submit().status_code == 302
