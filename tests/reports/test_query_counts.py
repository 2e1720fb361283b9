"""The dashboard and the report page run as many queries for 1,000 walks as for 10."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event, insert, select

from polare.audit.services import record
from polare.auth.models import Role
from polare.extensions import db as flask_db
from polare.reports.aggregates import touch_teams
from polare.walks.models import (
    IncidentCategory,
    Participation,
    ParticipationStatus,
    Walk,
    WalkIncident,
    WalkStatus,
)
from tests.reports.conftest import _rates

FIRST_DAY = date(2026, 9, 1)
DAYS = 85  # 2026-09-01 .. 2026-11-24


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run on the app's engine inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(flask_db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(flask_db.engine, "before_cursor_execute", count)


@pytest.fixture
def add_walks(db, teams, districts, make_person, make_enrolment):
    """Bulk-insert n walks of Ryd with two attended polare and an incident each."""
    persons = [make_person(first_name=f"P{i}") for i in range(4)]
    for person in persons:
        make_enrolment(person, "Ryd")
    _rates(db)
    category = db.scalars(select(IncidentCategory)).first()
    ryd_districts = [d.id for d in districts.values() if d.team_id == teams["Ryd"].id]

    def add(n: int) -> None:
        rows = []
        for i in range(n):
            day = FIRST_DAY + timedelta(days=i % DAYS)
            start = datetime.combine(day, time(18 + i % 4))
            rows.append({
                "team_id": teams["Ryd"].id, "district_id": ryd_districts[i % len(ryd_districts)],
                "walk_date": day, "start_time": start.time(), "end_time": time((22 + i % 4) % 24),
                "starts_at": start, "ends_at": start + timedelta(hours=4),
                "status": WalkStatus.APPROVED if i % 3 else WalkStatus.COMPLETED,
                "youths_met": 10, "youths_talked": 3, "version": 1, "meeting_point": "",
                "note": "",
            })
        known = set(db.scalars(select(Walk.id)))
        db.execute(insert(Walk), rows)
        walk_ids = [walk_id for walk_id in db.scalars(select(Walk.id)) if walk_id not in known]
        db.execute(insert(Participation), [
            {"walk_id": walk_id, "person_id": persons[(k + j) % 4].id,
             "status": ParticipationStatus.ATTENDED, "joined_on_night": False}
            for k, walk_id in enumerate(walk_ids) for j in range(2)])
        db.execute(insert(WalkIncident), [
            {"walk_id": walk_id, "category_id": category.id, "count": 1} for walk_id in walk_ids])
        touch_teams(db, {teams["Ryd"].id})  # as the session hook does for ORM changes
        record(db, None, "create", "walk", note=f"{n} test walks")
        db.flush()

    return add


def _queries(client, url: str) -> list[str]:
    with counted_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements


PAGES = ["/", "/reports/?period=tertial&tertial=2026-3",
         "/reports/?period=range&date_from=2026-08-01&date_to=2027-07-31"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_queries_do_not_grow_with_the_number_of_walks(client, login_as, add_walks, frozen_today,
                                                      db, url, role):
    login_as(role, teams=("Ryd",))
    add_walks(10)
    client.get(url)  # brings the follow-up aggregates up to date
    few = _queries(client, url)
    add_walks(990)
    assert len(db.scalars(select(Walk.id)).all()) == 1000
    client.get(url)
    many = _queries(client, url)
    assert len(many) == len(few), "\n".join(difflib.unified_diff(
        [q[:120] for q in few], [q[:120] for q in many], lineterm=""))
    assert len(few) < 80


#: Statements a page may send (issue 23's target), whatever the data.
MOST_STATEMENTS = 20


@pytest.mark.parametrize(("role", "query"), [
    (Role.COORDINATOR, ""),
    (Role.COORDINATOR, "?period=month&month=2026-09&districts={lambohov}"),
    (Role.ADMIN, ""),
    (Role.ADMIN, "?period=tertial&tertial=2026-3&teams={ryd}&teams={berga}"),
])
def test_a_report_of_whole_months_reads_the_aggregates_in_at_most_20_statements(
        client, login_as, data, teams, districts, frozen_today, role, query):
    login_as(role, teams=("Ryd",))
    url = "/reports/" + query.format(lambohov=districts["Lambohov"].id, ryd=teams["Ryd"].id,
                                     berga=teams["Berga"].id)
    client.get(url)  # brings the follow-up aggregates up to date
    statements = _queries(client, url)
    assert len(statements) <= MOST_STATEMENTS, "\n".join(q[:120] for q in statements)
    assert any("FROM follow_up_walkers" in q for q in statements)  # from the aggregates
