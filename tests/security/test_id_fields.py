"""Every form field that takes an id accepts only what the user may see and choose (SPEC §11).

For each role, the test opens every page it can reach (the crawler's routes, filled in with
Ryd's records), takes each POST form AS RENDERED (WebTest, CSRF on) and submits it once per
id-taking field: with Berga's record in that field (for roles that do not see Berga), and
with an id that does not exist. Each submission must be refused with nothing changed in the
database, no error page (5xx), and no name or other detail of Berga's polare in the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, text

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.extensions import db as flask_db
from polare.roster.models import EnrolmentStatus
from tests.security import crawl
from tests.security.conftest import World, url_values

#: An id no record has.
MISSING_ID = "987654"
#: A field takes an id when its name says so: team_id, person_ids, joined_person_id, team …
ID_FIELD = re.compile(r"(^|_)ids?$|^(team|year)$")
#: Which of Berga's records an id field names, by a word in the field's name.
OUT_OF_SCOPE_KINDS = (("person", "person"), ("guardian", "guardian"),
                      ("enrolment", "enrolment"), ("event", "event"), ("walk", "walk"),
                      ("team", "team"), ("staff", "user"), ("user", "user"))
#: Audit actions that record a look, not a change.
LOOK_ACTIONS = ("view", "lookup", "download", "login")
#: Roles and their teams; a Ryd user must not reach Berga's records.
ROLES = [(Role.COORDINATOR, ("Ryd",)), (Role.SUPERVISOR, ("Ryd",)), (Role.ADMIN, ()),
         (Role.PAYROLL, ())]
#: Tables whose rows are compared before and after each submission.
WATCHED_TABLES = ("persons", "enrolments", "guardians", "walks", "participations",
                  "invitations", "events", "walk_staff")


def _snapshot(session) -> dict[str, Any]:
    """Return the rows of the watched tables and the count of audited changes."""
    tables = {}
    for name in WATCHED_TABLES:
        tables[name] = sorted(tuple(str(v) for v in row) for row in session.execute(
            text(f"SELECT * FROM {name}")))  # noqa: S608 - fixed table names
    changes = session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action.not_in(LOOK_ACTIONS)))
    return {"tables": tables, "audited changes": changes}


def choice_fields(form: Any) -> list[str]:
    """Return the form's selects and boxes whose values are all numbers: they choose by id."""
    names = []
    for name, fields in form.fields.items():
        values = [option[0] for field in fields for option in getattr(field, "options", [])]
        values += [field._value for field in fields  # noqa: SLF001 - a box's own value
                   if (field.attrs.get("type") or "").lower() in ("checkbox", "radio")]
        numbers = [value for value in values if value]
        if name and numbers and all(str(value).isdigit() for value in numbers):
            names.append(name)
    return names


def _out_of_scope_values(world: World, role: Role, name: str) -> Iterator[str]:
    """Yield the out-of-scope values to try in an id field: Berga's record, a missing id."""
    yield MISSING_ID
    if role in (Role.ADMIN, Role.PAYROLL):
        return
    ids = {**world.berga.ids, "team": world.shared["team"], "user": world.shared["user"]}
    for word, kind in OUT_OF_SCOPE_KINDS:
        if word in name:
            yield str(ids[kind])
            return


def _fill(form: Any, target: str, filler: crawl.Filler) -> None:
    """Give empty text fields plausible values and tick the first box of other groups."""
    for name, fields in form.fields.items():
        if name == target or not name:
            continue
        first = fields[0]
        kind = (first.attrs.get("type") or first.tag).lower()
        if kind == "checkbox" and not any(f.checked for f in fields):
            first.checked = True
        elif kind in crawl.TEXT_KINDS | {"date", "time", "number", "tel", "email"} \
                and not first.value:
            value = filler.structured_value(crawl.FormField(name=name, kind=kind))
            first.value = value if value is not None else "Test"


def _force(form: Any, name: str, value: str) -> None:
    """Put the value in the field whatever its choices, as a tampering browser would."""
    fields = form.fields[name]
    for field in fields:
        if hasattr(field, "checked"):
            field.checked = False
    field = fields[0]
    if (field.attrs.get("type") or "").lower() == "checkbox":
        field.force_value(value)
        field.checked = True
    elif hasattr(field, "select_multiple"):
        field.force_value([value])
    else:
        field.force_value(value)


def _post_forms(page: Any) -> list[tuple[int, Any]]:
    return [(index, form) for index, form in page.forms.items()
            if form.method.lower() == "post"
            and not any(path in (form.action or "") for path in ("/logout", "/password"))]


def _pages(app, webapp, world: World) -> Iterator[tuple[str, Any]]:
    """Yield (url, page) for every HTML page of a GET route filled in with Ryd's records."""
    values = url_values(world.ryd, world.shared)
    for rule in crawl.routes(app):
        if "GET" not in (rule.methods or ()) or rule.endpoint in ("main.language",):
            continue
        url = crawl.build_url(app, rule, values)
        if url is None or url.endswith((".ics", ".xlsx", ".csv")):
            continue
        page = webapp.get(url, status="*")
        if page.status_int == 302:
            page = page.maybe_follow(status="*")
        if page.status_int == 200 and page.content_type == "text/html":
            yield url, page


@pytest.fixture
def ryd_applicant(db, make_person, make_enrolment):
    """A Ryd applicant, so that pages offering polare to choose have one to offer."""
    person = make_person(first_name="Rasmus", last_name="Sökande")
    make_enrolment(person, "Ryd", status=EnrolmentStatus.APPLICANT)
    db.commit()
    return person


@pytest.mark.parametrize(("role", "teams_"), ROLES, ids=[r.value for r, _t in ROLES])
def test_every_id_field_refuses_out_of_scope_and_missing_ids(
    app, webapp, web_login_as, world, ryd_applicant, fresh_personnummer, role, teams_
):
    web_login_as(role, teams=teams_)
    filler = crawl.Filler(payload="Test", personnummer=fresh_personnummer)
    tried = 0
    for url, page in _pages(app, webapp, world):
        for index, rendered in _post_forms(page):
            id_fields = {n for n in rendered.fields if n and ID_FIELD.search(n)}
            for name in sorted(id_fields | set(choice_fields(rendered))):
                for value in _out_of_scope_values(world, role, name):
                    form = webapp.get(url).forms[index]
                    _fill(form, name, filler)
                    _force(form, name, value)
                    before = _snapshot(flask_db.session)
                    response = form.submit(status="*")
                    tried += 1
                    where = f"{url} form {index} field {name}={value}"
                    assert response.status_int < 500, where
                    assert _snapshot(flask_db.session) == before, f"{where} changed data"
                    shown = response.maybe_follow(status="*").text \
                        if response.status_int == 302 else response.text
                    leaked = [s for s in world.berga.secrets if s in shown]
                    assert not leaked or role in (Role.ADMIN, Role.PAYROLL), (where, leaked)
    assert tried > 0
