"""Every search and filter form of every role works as the page renders it (issue 20).

The roster's search once failed for everyone because its rendered form carried no CSRF token:
hand-built requests in the tests passed while the page did not. Here each role opens every
page it can reach (WebTest, CSRF on) and submits each search and filter form it finds, with
its own hidden fields and token, once as rendered and once with words in its text fields.
"""

from __future__ import annotations

from typing import Any

import pytest

from polare.auth.models import Role
from tests.security.test_id_fields import ROLES, _pages

EXPIRED = "Formuläret har gått ut"


def _is_search(form: Any) -> bool:
    """Tell a search or filter form: sent with GET, or a POST that searches (by number, too,
    so it is POSTed to keep the number out of addresses)."""
    if form.method.lower() == "get":
        return True
    return form.html.get("role") == "search" or bool({"q", "query"} & set(form.fields))


def _with_words(form: Any) -> Any:
    for name, fields in form.fields.items():
        field = fields[0]
        kind = (field.attrs.get("type") or field.tag).lower()
        if name and kind in {"text", "search"}:
            field.value = "Anna"
    return form


@pytest.mark.parametrize(("role", "teams_"), ROLES, ids=[r.value for r, _t in ROLES])
def test_every_search_and_filter_form_works_as_rendered(app, webapp, web_login_as, world,
                                                       role, teams_):
    web_login_as(role, teams=teams_)
    submitted = []
    for url, page in _pages(app, webapp, world):
        for index, form in page.forms.items():
            if not _is_search(form):
                continue
            for prepare in (lambda f: f, _with_words):
                fresh = webapp.get(page.request.url)  # a new token and key, as on a reload
                response = prepare(fresh.forms[index]).submit(status="*")
                where = f"{url} form {index} ({form.method} {form.action})"
                assert response.status_int < 400 or response.status_int == 422, where
                if response.content_type == "text/html":  # not a downloaded workbook
                    assert EXPIRED not in response.text, where
                submitted.append(where)
    assert submitted, "no search or filter form found"
    if role in (Role.COORDINATOR, Role.ADMIN):
        assert any("/roster/" in where for where in submitted)
