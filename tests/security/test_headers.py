"""Security headers: on pages, errors, downloads; HSTS over HTTPS; static files cacheable."""

from __future__ import annotations

import pytest

from polare.auth.models import Role
from polare.security import CONTENT_SECURITY_POLICY
from tests.security import crawl


def _assert_security_headers(response, where: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert csp == CONTENT_SECURITY_POLICY, where
    assert "'unsafe-inline'" not in csp, where
    assert "frame-ancestors 'none'" in csp, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert headers.get("X-Frame-Options") == "DENY", where


@pytest.mark.parametrize("path", ["/login", "/healthz", "/no-such-page"])
def test_anonymous_responses_carry_the_security_headers(client, path):
    response = client.get(path)
    _assert_security_headers(response, path)
    assert response.headers["Cache-Control"] == "no-store"


def test_every_page_without_arguments_carries_the_headers_and_is_not_cached(app, client,
                                                                            login_as):
    login_as(Role.ADMIN)
    checked = []
    for rule in crawl.routes(app):
        if "GET" not in (rule.methods or ()) or crawl.free_arguments(rule):
            continue
        response = client.get(rule.rule)
        _assert_security_headers(response, rule.rule)
        assert response.headers["Cache-Control"] == "no-store", rule.rule
        checked.append(rule.rule)
    assert len(checked) > 10


def test_a_workbook_download_is_not_cached(client, login_as, polare):
    login_as(Role.ADMIN)
    response = client.post(f"/admin/privacy/persons/{polare.id}/extract")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    _assert_security_headers(response, "extract")


def test_static_files_may_be_cached_but_keep_nosniff(client):
    response = client.get("/static/polare.css")
    assert response.headers.get("Cache-Control") != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_hsts_is_sent_only_over_https(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    monkeypatch.setitem(app.config, "POLARE_HTTPS", True)
    assert client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


def test_https_setting_makes_cookies_secure(monkeypatch):
    from polare.config import load_config

    monkeypatch.setenv("POLARE_HTTPS", "1")
    config = load_config({"SECRET_KEY": "x"})
    assert config["SESSION_COOKIE_SECURE"]
    assert config["REMEMBER_COOKIE_SECURE"]
