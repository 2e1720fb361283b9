"""POLARE_PROXIES: the client's address is read from trusted proxies' headers, and only then."""

from __future__ import annotations

from flask import request

from tests.conftest import make_test_app

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def _seen_by_the_app(tmp_path, proxies: int) -> dict[str, str]:
    app = make_test_app(f"sqlite:///{tmp_path / 'proxy.sqlite3'}", str(tmp_path),
                        POLARE_PROXIES=proxies)
    seen: dict[str, str] = {}

    @app.before_request
    def remember_client() -> None:
        seen.update(address=request.remote_addr or "", scheme=request.scheme)

    app.test_client().get("/login", headers=FORWARDED,
                          environ_base={"REMOTE_ADDR": "10.0.0.2"})
    return seen


def test_behind_one_trusted_proxy_the_client_address_comes_from_x_forwarded_for(tmp_path):
    assert _seen_by_the_app(tmp_path, proxies=1) == {"address": "203.0.113.7",
                                                     "scheme": "https"}


def test_without_trusted_proxies_forwarded_headers_are_ignored(tmp_path):
    assert _seen_by_the_app(tmp_path, proxies=0) == {"address": "10.0.0.2", "scheme": "http"}
