"""Every form's free text: an XSS payload comes back escaped, SQL-looking text is stored as is.

The test fills every form on every page it can open (as admin, on Ryd's records) twice: once
with the payload in every text field (the form usually refuses it and shows it again), once
with the payload in the free-text fields and plausible values elsewhere (the form usually
saves it). Then it opens every page again, as admin and as Ryd's coordinator, and checks that
the payload never comes back as markup.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import Enum, String, Text, func, inspect, select, text

from polare.auth.models import Role
from polare.extensions import db as flask_db
from tests.security import crawl
from tests.security.conftest import Browser, url_values

XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
XSS_MARKERS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
SQL = "Robert'); DROP TABLE persons;--"
_FINAL_ACTIONS = re.compile(r"cancel|remove|delete|decline|end|send-back|approve|complete")


def _assert_escaped(where: str, html: str) -> None:
    for marker in XSS_MARKERS:
        assert marker not in html, f"unescaped payload on {where}"
    handlers = [h for h in crawl.parse(html).handlers if "alert(1)" in h[2]]
    assert not handlers, f"payload became an event handler on {where}: {handlers}"


def _form_key(form: crawl.Form, target: str) -> tuple[str, str, tuple[str, ...]]:
    return form.method, target.split("?")[0], tuple(f.name for f in form.fields)


def _fresh_form(browser: Browser, page_url: str, key: tuple) -> crawl.Form | None:
    """Open the page again and return the form (hidden fields such as versions are current)."""
    response = browser.open(page_url)
    if response.mimetype != "text/html":
        return None
    for form in crawl.parse(response.get_data(as_text=True)).forms:
        target = crawl.local_path(form.action) if form.action else page_url
        if target is not None and _form_key(form, target) == key:
            return form
    return None


def _submit_every_form(browser: Browser, filler: crawl.Filler, start_pages: dict[str, str],
                       check) -> dict[str, int]:
    """Submit each form found on the pages twice; call check(where, response) on each answer."""
    submitted: dict[str, int] = defaultdict(int)
    forms: dict[tuple[str, str, tuple[str, ...]], tuple[str, crawl.Form, str]] = {}
    for page_url, html in start_pages.items():
        for form in crawl.parse(html).forms:
            target = crawl.local_path(form.action) if form.action else page_url
            if target is None or _ends_session(browser, target) or not form.text_fields:
                continue
            forms.setdefault(_form_key(form, target), (page_url, form, target))
    # Forms that end a record's life (cancel, remove, ...) last, so the others still apply.
    for key, (page_url, form, target) in sorted(
        forms.items(), key=lambda item: bool(_FINAL_ACTIONS.search(item[0][1]))
    ):
        for everywhere in (True, False):
            fresh = _fresh_form(browser, page_url, key)
            if fresh is None:
                break
            data = filler.fill(fresh, payload_everywhere=everywhere)
            if form.method == "get":
                response = browser.client.get(target, query_string=data)
            else:
                response = browser.open(target, "POST", data)
            check(f"{form.method.upper()} {target}", response)
            submitted[f"{form.method.upper()} {target.split('?')[0]}"] += 1
    return submitted


def _ends_session(browser: Browser, target: str) -> bool:
    adapter = browser.app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(target.split("?")[0], method="POST")
    except Exception:  # noqa: BLE001  (GET-only or unknown: not a session-ending form)
        return False
    return endpoint in crawl.SESSION_ENDING_ENDPOINTS


def _string_columns():
    for table in flask_db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text) and not isinstance(column.type, Enum):
                yield table, column


def _columns_holding(session, value: str) -> list[str]:
    found = []
    for table, column in _string_columns():
        if session.scalar(select(func.count()).select_from(table).where(column == value)):
            found.append(f"{table.name}.{column.name}")
    return found


def _columns_containing(session, value: str) -> list[str]:
    found = []
    for table, column in _string_columns():
        condition = column.contains(value, autoescape=True)
        if session.scalar(select(func.count()).select_from(table).where(condition)):
            found.append(f"{table.name}.{column.name}")
    return found


def _crawl(app, browse, world) -> Browser:
    browser = browse(Role.ADMIN, ())
    browser.visit_get_routes(url_values(world.ryd, world.shared))
    return browser


def test_xss_payload_in_every_form_comes_back_escaped(app, db, browse, world,
                                                     fresh_personnummer):
    browser = _crawl(app, browse, world)
    filler = crawl.Filler(payload=XSS, personnummer=fresh_personnummer)
    responses = []

    def check(where, response):
        if response.mimetype == "text/html":
            _assert_escaped(where, response.get_data(as_text=True))
        responses.append((where, response.status_code))

    submitted = _submit_every_form(browser, filler, dict(browser.pages), check)
    assert not [r for r in responses if r[1] >= 500], responses

    stored = _columns_containing(db, XSS)
    shown_escaped: set[str] = set()
    for role, teams in ((Role.ADMIN, ()), (Role.COORDINATOR, ("Ryd",))):
        viewer = browse(role, teams)
        viewer.visit_get_routes(url_values(world.ryd, world.shared))
        for url, html in viewer.pages.items():
            _assert_escaped(url, html)
            if XSS_ESCAPED in html:
                shown_escaped.add(url)
    print(f"\nForms filled with the XSS payload ({len(submitted)}): {sorted(submitted)}")
    print(f"Columns that stored it: {stored}")
    print(f"Pages that show it escaped: {sorted(shown_escaped)}")
    assert stored, "no form stored the payload: the test covers nothing"
    assert shown_escaped


def test_sql_looking_text_is_stored_literally(app, db, browse, world, fresh_personnummer):
    browser = _crawl(app, browse, world)
    filler = crawl.Filler(payload=SQL, personnummer=fresh_personnummer)
    statuses = []
    _submit_every_form(browser, filler, dict(browser.pages),
                       lambda where, response: statuses.append((where, response.status_code)))
    assert not [s for s in statuses if s[1] >= 500], statuses
    stored = _columns_holding(db, SQL)
    print(f"\nColumns holding the SQL-looking text exactly: {stored}")
    assert stored, "no form stored the text: the test covers nothing"
    assert "persons" in inspect(db.connection()).get_table_names()
    assert db.execute(text("SELECT count(*) FROM persons")).scalar_one() > 0
