"""Login limits through the pages: only failures count, per username and per client address.

Unknown usernames and deactivated accounts are answered exactly like a wrong password, lockout
included, so the answers never tell which accounts exist.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from polare import trust_proxies
from polare.auth import passwords
from polare.auth.models import LoginThrottle, Role
from polare.auth.passwords import verify_password
from tests.conftest import TEST_PASSWORD
from tests.webpages import FreshGlobalsTestApp, form_with, web_log_in

NOW = datetime(2026, 11, 25, 8, 0)
WRONG = "wrong-password-1"
CSRF_TOKEN = re.compile(r'(?<=name="csrf_token" type="hidden" )value="[^"]*"')


@pytest.fixture
def clock(clock):
    """The clock at NOW (UTC) for the login limits; tests move it on."""
    clock.utc(NOW)
    return clock


@pytest.fixture
def browser_at(app, web):
    """Open a fresh browser_at (own cookies) at a client address, CSRF on."""

    def open_at(address: str = "192.0.2.10") -> FreshGlobalsTestApp:
        return FreshGlobalsTestApp(app, extra_environ={"REMOTE_ADDR": address})

    return open_at


PROXY = "10.0.0.2"


@pytest.fixture
def behind_one_proxy(app, monkeypatch):
    """The app as POLARE_PROXIES=1 sets it up: one proxy's X-Forwarded-* headers are trusted."""
    monkeypatch.setitem(app.config, "POLARE_PROXIES", 1)
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)
    trust_proxies(app)


@pytest.fixture
def browser_via_proxy(app, web):
    """Open a fresh browser whose requests reach the app through the proxy at PROXY."""

    def open_via(client: str) -> FreshGlobalsTestApp:
        return FreshGlobalsTestApp(app, extra_environ={"REMOTE_ADDR": PROXY,
                                                       "HTTP_X_FORWARDED_FOR": client})

    return open_via


@pytest.fixture
def office_limit(app, monkeypatch):
    """The production default: 20 failed logins per address in 10 minutes."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "20 per 10 minutes")


def _answer(response, username: str) -> tuple[int, str]:
    """Return status and page text without what differs by design: the typed username (the
    form echoes it) and the per-session CSRF token."""
    text = CSRF_TOKEN.sub('value="TOKEN"', response.text.replace(username, "USERNAME"))
    return response.status_code, text


def test_fifty_successful_logins_from_one_address_all_succeed(browser_at, make_user,
                                                              office_limit):
    users = [make_user(Role.SUPERVISOR) for _ in range(5)]
    statuses = [web_log_in(browser_at("198.51.100.7"), users[i % 5].username).status_code
                for i in range(50)]
    assert statuses == [302] * 50


def test_the_21st_failed_login_from_one_address_is_refused_until_the_window_ends(
        browser_at, make_user, office_limit, clock):
    user = make_user(Role.COORDINATOR)
    office = browser_at("198.51.100.7")
    statuses = [web_log_in(office, f"guess{i}", WRONG).status_code for i in range(20)]
    refused = web_log_in(office, user.username)
    assert statuses == [401] * 20
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "600"
    assert "Försök igen om 10 minuter" in refused.text


def test_failures_from_one_address_do_not_block_another(browser_at, make_user, office_limit):
    user = make_user(Role.COORDINATOR)
    for i in range(20):
        web_log_in(browser_at("198.51.100.7"), f"guess{i}", WRONG)
    assert web_log_in(browser_at("203.0.113.5"), user.username).status_code == 302


def test_behind_a_trusted_proxy_failures_count_against_the_client_not_the_proxy(
        behind_one_proxy, browser_via_proxy, make_user, office_limit, clock):
    user = make_user(Role.COORDINATOR)
    for i in range(20):
        web_log_in(browser_via_proxy("198.51.100.7"), f"guess{i}", WRONG)
    assert web_log_in(browser_via_proxy("203.0.113.5"), user.username).status_code == 302
    assert web_log_in(browser_via_proxy("198.51.100.7"), user.username).status_code == 429


def test_without_trusted_proxies_a_forged_x_forwarded_for_does_not_escape_the_limit(
        browser_via_proxy, make_user, office_limit, clock):
    user = make_user(Role.COORDINATOR)
    for i in range(20):
        web_log_in(browser_via_proxy(f"198.51.100.{i}"), f"guess{i}", WRONG)
    assert web_log_in(browser_via_proxy("198.51.100.99"), user.username).status_code == 429


def test_a_username_is_locked_after_five_failures_from_any_addresses(browser_at, make_user,
                                                                      clock):
    user = make_user(Role.COORDINATOR)
    for i in range(5):
        web_log_in(browser_at(f"203.0.113.{i}"), user.username, WRONG)
    refused = web_log_in(browser_at("203.0.113.99"), user.username)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(15 * 60)
    assert "För många misslyckade inloggningar. Försök igen om 15 minuter." in refused.text


def test_the_lock_ends_after_the_lock_time(browser_at, make_user, clock):
    user = make_user(Role.COORDINATOR)
    for _ in range(5):
        web_log_in(browser_at(), user.username, WRONG)
    clock.utc(NOW + timedelta(minutes=15, seconds=1))
    assert web_log_in(browser_at(), user.username).status_code == 302


def test_a_successful_login_clears_the_usernames_failures(browser_at, make_user, clock):
    user = make_user(Role.COORDINATOR)
    for _ in range(4):
        web_log_in(browser_at(), user.username, WRONG)
    assert web_log_in(browser_at(), user.username).status_code == 302
    for _ in range(4):
        web_log_in(browser_at(), user.username, WRONG)
    assert web_log_in(browser_at(), user.username).status_code == 302


@pytest.mark.parametrize("attempt", [1, 5, 6])
def test_unknown_and_known_usernames_get_identical_answers(browser_at, make_user, clock,
                                                           attempt):
    user = make_user(Role.COORDINATOR, username="kalle")
    known = [web_log_in(browser_at("203.0.113.1"), "kalle", WRONG) for _ in range(attempt)][-1]
    unknown = [web_log_in(browser_at("203.0.113.2"), "nisse", WRONG) for _ in range(attempt)][-1]
    assert _answer(known, "kalle") == _answer(unknown, "nisse")
    assert known.headers.get("Retry-After") == unknown.headers.get("Retry-After")
    assert user.username == "kalle"


def test_a_deactivated_account_is_locked_like_any_other(browser_at, make_user, clock):
    make_user(Role.COORDINATOR, username="gammal", active=False)
    make_user(Role.COORDINATOR, username="aktiv")
    answers = [(_answer(web_log_in(browser_at("203.0.113.1"), "gammal"), "gammal"),
                _answer(web_log_in(browser_at("203.0.113.2"), "aktiv", WRONG), "aktiv"))
               for _ in range(6)]
    assert all(deactivated == wrong for deactivated, wrong in answers)
    assert answers[-1][0][0] == 429


def test_an_unknown_username_costs_one_argon2_verification(browser_at, monkeypatch):
    calls = []

    def counting_verify(stored_hash: str, password: str) -> bool:
        calls.append(stored_hash)
        return verify_password(stored_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting_verify)
    web_log_in(browser_at(), "finns-inte", WRONG)
    assert len(calls) == 1
    assert calls[0].startswith("$argon2id$")


def test_attempted_usernames_are_not_stored(browser_at, db):
    web_log_in(browser_at(), "mitt-hemliga-losenord", WRONG)
    keys = db.scalars(select(LoginThrottle.key)).all()
    assert keys
    assert not any("hemliga" in key for key in keys)


# ---------------------------------------------------------------- the password-change page


def _change_password(web, current: str, new: str = "a-brand-new-pass"):
    form = form_with(web.get("/account/password"), "current_password")
    form["current_password"], form["new_password"], form["confirm"] = current, new, new
    return form.submit(expect_errors=True)


def test_wrong_current_password_is_refused_with_a_clear_message(browser_at, make_user):
    user = make_user(Role.COORDINATOR)
    web = browser_at()
    web_log_in(web, user.username)
    response = _change_password(web, WRONG)
    assert response.status_code == 401
    assert "Nuvarande lösenord är fel." in response.text


def test_wrong_current_passwords_lock_the_password_page_like_logins(browser_at, db, make_user,
                                                                     clock):
    user = make_user(Role.COORDINATOR)
    web = browser_at()
    web_log_in(web, user.username)
    for _ in range(5):
        _change_password(web, WRONG)
    refused = _change_password(web, TEST_PASSWORD)
    db.refresh(user)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(15 * 60)
    assert "För många felaktiga lösenord. Försök igen om 15 minuter." in refused.text
    assert verify_password(user.password_hash, TEST_PASSWORD)


def test_wrong_current_passwords_also_lock_the_login(browser_at, make_user, clock):
    user = make_user(Role.COORDINATOR)
    web = browser_at()
    web_log_in(web, user.username)
    for _ in range(5):
        _change_password(web, WRONG)
    assert web_log_in(browser_at(), user.username).status_code == 429


def test_an_admin_password_reset_lifts_the_lock(browser_at, make_user, clock):
    user = make_user(Role.COORDINATOR)
    for _ in range(5):
        web_log_in(browser_at(), user.username, WRONG)
    admin_browser = browser_at("192.0.2.50")
    web_log_in(admin_browser, make_user(Role.ADMIN).username)
    reset = form_with(admin_browser.get(f"/admin/users/{user.id}"), "force_change")
    reset["password"], reset["force_change"] = "ett-nytt-losenord", False
    reset.submit()
    assert web_log_in(browser_at(), user.username, "ett-nytt-losenord").status_code == 302
