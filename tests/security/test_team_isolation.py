"""Every object route refuses another team's record: 403 or 404, nothing shown, nothing changed.

For each route with an integer argument naming a team's record (see OBJECT_ARGUMENTS), the
test requests Berga's record as a Ryd coordinator and a Ryd supervisor, by GET and by POST.
A POST carries what the route's own form sends for Ryd's record (found on Ryd's pages), so the
refusal is tested past the form's shape checks. A new kind of id argument fails the test until
it is added to OBJECT_ARGUMENTS (team records) or SHARED_ARGUMENTS (shared reference data).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from tests.security import crawl
from tests.security.conftest import OBJECT_ARGUMENTS, SHARED_ARGUMENTS, Browser, url_values


def _object_routes(app):
    routes = []
    for rule in crawl.routes(app):
        arguments = crawl.int_arguments(rule)
        unknown = arguments - set(OBJECT_ARGUMENTS) - set(SHARED_ARGUMENTS)
        assert not unknown, (f"{rule.rule}: add {sorted(unknown)} to OBJECT_ARGUMENTS or "
                             "SHARED_ARGUMENTS in tests/security/conftest.py")
        if arguments & set(OBJECT_ARGUMENTS):
            routes.append(rule)
    return routes


def _form_data_by_action(browser: Browser, fresh_personnummer) -> dict[str, dict[str, Any]]:
    """Return, per form action on the pages opened, the data its form would send."""
    filler = crawl.Filler(payload="Test", personnummer=fresh_personnummer)
    data: dict[str, dict[str, Any]] = {}
    for page_url, html in browser.pages.items():
        for form in crawl.parse(html).forms:
            action = crawl.local_path(form.action) if form.action else page_url
            if form.method == "post" and action:
                data.setdefault(action, filler.fill(form, payload_everywhere=False))
    return data


def _audit_count(db) -> int:
    return db.scalar(select(func.count(AuditEntry.id)))


def _assert_refused(client, db, world, url: str, method: str, data: dict[str, Any]) -> None:
    before = _audit_count(db)
    response = client.open(url, method=method, data=data)
    body = response.get_data(as_text=True)
    assert response.status_code in (403, 404), (method, url, response.status_code)
    assert not [s for s in world.berga.secrets if s in body], (method, url)
    assert _audit_count(db) == before, f"{method} {url} changed data"


def test_every_id_argument_is_known(app):
    assert _object_routes(app)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPERVISOR])
def test_object_routes_refuse_another_teams_record(app, db, browse, world, role,
                                                   fresh_personnummer):
    browser = browse(role, ("Ryd",))
    own = url_values(world.ryd, world.shared)
    browser.visit_get_routes(own)
    form_data = _form_data_by_action(browser, fresh_personnummer)
    other = url_values(world.berga, world.shared)
    covered = []
    for rule in _object_routes(app):
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            data = form_data.get(crawl.build_url(app, rule, own), {}) if method == "POST" else {}
            _assert_refused(browser.client, db, world, crawl.build_url(app, rule, other),
                            method, data)
            covered.append(f"{method} {rule.rule}{' (with form data)' if data else ''}")
    print(f"\n{role.value} refused on {len(covered)} requests: {covered}")


def test_own_record_with_another_teams_person_is_refused(app, db, browse, world,
                                                         fresh_personnummer):
    """A route naming two records (an event and a person) checks both."""
    browser = browse(Role.COORDINATOR, ("Ryd",))
    own = url_values(world.ryd, world.shared)
    browser.visit_get_routes(own)
    form_data = _form_data_by_action(browser, fresh_personnummer)
    mixed = {**own, "person_id": world.berga.ids["person"]}
    covered = []
    for rule in _object_routes(app):
        if len(crawl.int_arguments(rule) & set(OBJECT_ARGUMENTS)) < 2:
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            data = form_data.get(crawl.build_url(app, rule, own), {}) if method == "POST" else {}
            _assert_refused(browser.client, db, world, crawl.build_url(app, rule, mixed),
                            method, data)
            covered.append(f"{method} {rule.rule}")
    print(f"\nmixed-team requests refused: {covered}")


def test_own_teams_records_are_reachable(app, client, login_as, world):
    """The refusals above are about the team, not broken routes: Ryd's records open."""
    login_as(Role.COORDINATOR, teams=("Ryd",))
    values = url_values(world.ryd, world.shared)
    opened = []
    for rule in _object_routes(app):
        domain = rule.endpoint.split(".")[0]
        if "GET" in (rule.methods or ()) and domain in ("roster", "events", "walks"):
            response = client.get(crawl.build_url(app, rule, values))
            assert response.status_code == 200, (rule.rule, response.status_code)
            opened.append(rule.rule)
    assert opened
