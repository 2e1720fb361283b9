"""No personnummer in any URL: not in routes, links, form actions, redirects or GET searches."""

from __future__ import annotations

import re

import pytest

from polare.auth.models import Role
from polare.converters import IdConverter
from tests.security import crawl
from tests.security.conftest import url_values

_NUMBER_ARGUMENT = re.compile(r"personnummer|pnr|ssn", re.IGNORECASE)


def _leaks(url: str, forms: list[str]) -> list[str]:
    return [form for form in forms if form in url]


def test_no_route_takes_a_personnummer(app):
    for rule in app.url_map.iter_rules():
        assert not _NUMBER_ARGUMENT.search(rule.rule), rule.rule
        for argument, converter in rule._converters.items():  # noqa: SLF001
            assert not _NUMBER_ARGUMENT.search(argument), rule.rule
            if argument.endswith("_id"):
                assert isinstance(converter, IdConverter), rule.rule


@pytest.mark.parametrize(("role", "team_names"), [(Role.ADMIN, ()), (Role.COORDINATOR, ("Ryd",)),
                                             (Role.SUPERVISOR, ("Ryd",)), (Role.PAYROLL, ())])
def test_no_link_form_or_redirect_on_any_page_holds_a_personnummer(app, browse, world, role,
                                                                   team_names):
    browser = browse(role, team_names)
    opened = browser.visit_get_routes(url_values(world.ryd, world.shared))
    numbers = world.personnummer_forms
    checked = 0
    for page_url, html in browser.pages.items():
        parsed = crawl.parse(html)
        for url in parsed.urls + [form.action for form in parsed.forms]:
            assert not _leaks(url, numbers), (page_url, url)
            checked += 1
    assert len(opened) > 10
    print(f"\n{role.value}: {len(browser.pages)} pages, {checked} links and forms checked")


def test_get_forms_do_not_search_by_personnummer(app, browse, world):
    """A GET form that finds a person by number would put the number in the address."""
    browser = browse(Role.ADMIN)
    browser.visit_get_routes(url_values(world.ryd, world.shared))
    searched = []
    for page_url, html in list(browser.pages.items()):
        for form in crawl.parse(html).forms:
            if form.method != "get" or not form.text_fields:
                continue
            target = crawl.local_path(form.action) or page_url.split("?")[0]
            for number in (world.ryd.personnummer, world.ryd.personnummer.replace("-", "")):
                data = {f.name: number for f in form.text_fields}
                body = browser.client.get(target, query_string=data).get_data(as_text=True)
                assert "Rydén" not in body, (
                    f"GET form on {page_url} finds a person by personnummer: use POST")
            searched.append(target)
    print(f"\nGET forms tried with a personnummer: {sorted(set(searched))}")
