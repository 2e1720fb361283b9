"""Every route, every role: the access each view declares is the access it enforces."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import Rule

from polare.auth.access import allowed_roles_of
from polare.auth.models import Role
from polare.converters import IdConverter, MonthConverter

SKIPPED_ENDPOINTS = {"static"}


def _routes(app: Flask) -> list[Rule]:
    return [
        rule for rule in app.url_map.iter_rules()
        if rule.endpoint not in SKIPPED_ENDPOINTS and not rule.endpoint.startswith("bootstrap.")
    ]


def _value_for(converter: object) -> object:
    if isinstance(converter, IdConverter):
        return 999999
    if isinstance(converter, MonthConverter):
        return "2026-11"
    return "x"


def _url(app: Flask, rule: Rule) -> str:
    values = {name: _value_for(rule._converters[name])  # noqa: SLF001
              for name in rule.arguments - set(rule.defaults or {})}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _method(rule: Rule) -> str:
    return "GET" if "GET" in (rule.methods or ()) else "POST"


def test_every_route_declares_who_may_use_it(app):
    undeclared = [
        rule.endpoint for rule in _routes(app)
        if not getattr(app.view_functions[rule.endpoint], "public", False)
        and allowed_roles_of(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_anonymous_users_are_sent_to_login_except_on_public_routes(app, client):
    for rule in _routes(app):
        view = app.view_functions[rule.endpoint]
        if getattr(view, "public", False):
            continue
        response = client.open(_url(app, rule), method=_method(rule))
        assert response.status_code == 302, rule.endpoint
        assert response.headers["Location"].startswith("/login"), rule.endpoint


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_the_routes_declared_for_it(app, client, login_as, role):
    login_as(role, teams=("Ryd",))
    for rule in _routes(app):
        if rule.endpoint == "auth.logout":
            continue
        view = app.view_functions[rule.endpoint]
        allowed = getattr(view, "public", False) or role in (allowed_roles_of(view) or ())
        response = client.open(_url(app, rule), method=_method(rule))
        if allowed:
            assert response.status_code not in (403, 500), (rule.endpoint, response.status_code)
        else:
            assert response.status_code == 403, (rule.endpoint, response.status_code)
