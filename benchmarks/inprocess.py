"""Measurements made inside this process: page cost (queries and time) and preview/close.

Pages are requested through Flask's test client against the real app (CSRF on, a real login
with a scraped token); every statement the engine sends during a request is counted with a
`before_cursor_execute` listener.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from benchmarks.people import BENCH_PASSWORD
from polare import create_app
from polare.extensions import db

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

#: (name, path) of the pages measured; {person_id} is filled in per database.
PAGES = (
    ("roster", "/roster/"),
    ("walk list", "/walks/"),
    ("person page", "/roster/persons/{person_id}"),
    ("dashboard", "/"),
    ("report page", "/reports/"),
)


def bench_app(database_url: str, instance_dir: str) -> Flask:
    """Return the real app (production settings) on the database."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                       "SECRET_KEY": "polare-benchmark", "INSTANCE_DIR": instance_dir})


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[int]]:
    """Count the statements the app's engine executes; yield a one-item counter."""
    counter = [0]

    def count(*_args: Any) -> None:
        counter[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


def log_in(client: FlaskClient, username: str) -> None:
    """Log in through the login form, with the CSRF token scraped from it."""
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_TOKEN.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    response = client.post("/login", data={"csrf_token": token[1], "username": username,
                                           "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed: HTTP {response.status_code}")


def first_polare_of_team(app: Flask, team_id: int) -> int:
    """Return the id of the team's first active polare of the current school year, by name."""
    from polare.clock import local_today
    from polare.org.services import school_year_on
    from polare.roster.models import Enrolment, EnrolmentStatus, Person

    with app.app_context():
        year = school_year_on(db.session, local_today())
        person_id = db.session.scalar(
            select(Person.id).join(Enrolment, Enrolment.person_id == Person.id)
            .where(Enrolment.team_id == team_id, Enrolment.school_year_id == year.id,
                   Enrolment.status == EnrolmentStatus.ACTIVE)
            .order_by(Person.sort_key, Person.id).limit(1))
        db.session.remove()
    if person_id is None:
        raise RuntimeError(f"team {team_id} has no active polare")
    return person_id


@dataclass(frozen=True)
class PageCost:
    """Statements per request (the same on every request) and the median time."""

    name: str
    path: str
    queries: int
    median_s: float
    bytes: int


def measure_page(database_url: str, instance_dir: str, username: str, *, team_id: int,
                 page: tuple[str, str], repeats: int, budget_s: float = 60) -> PageCost:
    """Request a page `repeats` times as the user (after one warm-up request).

    A slow page stops repeating once it has spent `budget_s` on at least three requests.
    """
    name, template = page
    app = bench_app(database_url, instance_dir)
    path = template.format(person_id=first_polare_of_team(app, team_id))
    client = app.test_client()
    log_in(client, username)
    with counting_queries(app) as counter:
        warm = client.get(path)
        if warm.status_code != 200:
            raise RuntimeError(f"{path} as {username}: HTTP {warm.status_code}")
        counts, times = set(), []
        for _ in range(repeats):
            if len(times) >= min(3, repeats) and sum(times) > budget_s:
                break
            counter[0] = 0
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            counts.add(counter[0])
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
    with app.app_context():
        db.engine.dispose()
    if len(counts) != 1:
        raise RuntimeError(f"{path} sent a different number of queries each time: "
                           f"{sorted(counts)}")
    return PageCost(name, path, counts.pop(), statistics.median(times),
                    len(response.get_data()))


@dataclass(frozen=True)
class CloseCost:
    """Seconds to preview and to close a month, and its lines."""

    preview_s: float
    close_s: float
    lines: int

    @property
    def total_s(self) -> float:
        return self.preview_s + self.close_s


def preview_and_close(database_url: str, instance_dir: str, month: str) -> CloseCost:
    """Preview the open month, then close it as the payroll officer, committing."""
    from polare.auth.models import User
    from polare.pay.services import close_period, preview_period

    app = bench_app(database_url, instance_dir)
    with app.app_context():
        started = time.perf_counter()
        preview = preview_period(db.session, month)
        previewed = time.perf_counter()
        if preview.close_refusal is not None:
            raise RuntimeError(f"{month} cannot be closed: {preview.close_refusal}")
        db.session.rollback()
        closing = time.perf_counter()
        actor = db.session.scalar(select(User).where(User.username == "lon"))
        close_period(db.session, actor, month, expected_digest=preview.digest)
        db.session.commit()
        closed = time.perf_counter()
        db.session.remove()
        db.engine.dispose()
    return CloseCost(previewed - started, closed - closing, len(preview.lines))
