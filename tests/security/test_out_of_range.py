"""Ids and months out of range answer 404 on every route, never 500 (one converter each)."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter, Rule

from polare.auth.models import Role
from polare.converters import IdConverter, MonthConverter
from tests.security import crawl
from tests.security.test_id_fields import ROLES, _force, _pages, choice_fields

HUGE = "99999999999999999999999"  # > 2**63
#: Just past the largest 64-bit signed integer.
JUST_TOO_BIG = str(2**63)
#: The list pages that take `?page=`.
PAGED_URLS = ("/walks/", "/walks/approve", "/events/", "/admin/audit", "/roster/",
              "/payroll/periods/2026-11", "/reports/")


def _rules_with(app, converter: type) -> list[Rule]:
    return [rule for rule in crawl.routes(app)
            if any(isinstance(c, converter) for c in rule._converters.values())]  # noqa: SLF001


def _fill(rule: Rule, id_value: str, month: str = "2026-11") -> str:
    path = rule.rule
    for name, converter in rule._converters.items():  # noqa: SLF001
        kind = "id" if isinstance(converter, IdConverter) else (
            "month" if isinstance(converter, MonthConverter) else None)
        value = {"id": id_value, "month": month}.get(kind or "", "x")
        path = path.replace(f"<{kind}:{name}>" if kind else f"<{name}>", value)
    return path


def _method(rule: Rule) -> str:
    return "GET" if "GET" in (rule.methods or ()) else "POST"


def test_every_integer_route_uses_the_id_converter(app):
    plain = [rule.rule for rule in app.url_map.iter_rules()
             if any(type(c) is IntegerConverter for c in rule._converters.values())]  # noqa: SLF001
    assert plain == []


@pytest.mark.parametrize("value", [HUGE, JUST_TOO_BIG, "9" * 5000])
def test_every_route_with_an_id_answers_404_to_an_id_out_of_range(app, client, login_as,
                                                                   value):
    login_as(Role.ADMIN)
    rules = _rules_with(app, IdConverter)
    assert len(rules) > 30
    answers = {rule.rule: client.open(_fill(rule, value), method=_method(rule)).status_code
               for rule in rules}
    assert {path: code for path, code in answers.items() if code != 404} == {}


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "2026-00"])
def test_every_month_route_answers_404_to_a_month_out_of_range(app, client, login_as, month):
    login_as(Role.PAYROLL)
    rules = _rules_with(app, MonthConverter)
    assert len(rules) >= 4
    answers = {rule.rule: client.open(_fill(rule, "1", month), method=_method(rule)).status_code
               for rule in rules}
    assert set(answers.values()) == {404}


@pytest.mark.parametrize("url", PAGED_URLS)
def test_a_page_number_out_of_range_answers_404(client, login_as, url):
    login_as(Role.ADMIN)
    assert client.get(f"{url}?page={HUGE}").status_code == 404


def test_a_query_string_id_out_of_range_answers_404(client, login_as):
    login_as(Role.ADMIN)
    assert client.get(f"/roster/persons/new?team={HUGE}").status_code == 404


#: Query-string ids of the filter forms, as a tampered address would send them.
FILTER_URLS = ("/roster/?team={id}", "/roster/?year={id}", "/walks/?team_id={id}",
               "/walks/?district_id={id}", "/reports/?teams={id}", "/reports/?districts={id}",
               "/reports/?school_year={id}")


@pytest.mark.parametrize("url", FILTER_URLS)
def test_a_filter_forms_id_out_of_range_answers_404(client, login_as, url):
    login_as(Role.ADMIN)
    assert client.get(url.format(id=HUGE)).status_code == 404


@pytest.mark.parametrize(("role", "teams_"), ROLES, ids=[r.value for r, _t in ROLES])
def test_every_forms_choice_of_an_id_out_of_range_is_refused_without_error(
    app, webapp, web_login_as, world, role, teams_
):
    web_login_as(role, teams=teams_)
    tried = []
    for url, page in _pages(app, webapp, world):
        for index, rendered in page.forms.items():
            if any(path in (rendered.action or "") for path in ("/logout", "/password")):
                continue
            for name in choice_fields(rendered):
                form = webapp.get(page.request.url).forms[index]  # a new token and key
                _force(form, name, HUGE)
                response = form.submit(status="*")
                tried.append(f"{url} form {index} field {name}: {response.status_int}")
                assert response.status_int < 500, tried[-1]
    assert tried
