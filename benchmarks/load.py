"""The load benchmark: gunicorn (4 workers) on PostgreSQL, 20 simulated users for 60 s.

The database is generated, then prepared: five teams get a second coordinator and 20 more
applicants, and their cap is raised by six, so two coordinators race for six places while
two supervisors per team log walks. Afterwards everything the users were told was saved is
counted back from the database, and the cap is checked for every team and school year.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, func, select, text, update
from stdnum import luhn

from benchmarks.bulk import model_tables
from benchmarks.export import ROOT, app_environment
from benchmarks.people import BENCH_PASSWORD, GLOBAL_USERS, STAFF_PER_TEAM, home_district_id
from benchmarks.plan import Plan

BIN = Path(sys.executable).parent
LOAD_TEAMS = 5
EXTRA_APPLICANTS = 20
EXTRA_PLACES = 6
USERS = 20
WORKERS = 4


@dataclass(frozen=True)
class LoadFigures:
    """What the load run measured and what was counted back."""

    requests: int
    failures: int
    rps: float
    p95_ms: float
    walks_reported: int
    activations_reported: int
    refused: int
    lost_writes: int
    cap_exceeded: int
    details: list[str]


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _user_id(team: int, position: int) -> int:
    """Return the generated user id of a team's coordinator (0) or supervisor (1, 2)."""
    return GLOBAL_USERS + (team - 1) * STAFF_PER_TEAM + position + 1


def _free_personnummer(connection: Connection, birth: date) -> str:
    """Return a valid personnummer for the birth date that no person has yet."""
    persons = model_tables()["persons"]
    for serial in range(999, 0, -1):
        digits = f"{birth:%y%m%d}{serial:03d}"
        number = f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(digits)}"
        if connection.scalar(select(persons.c.id).where(persons.c.personnummer == number)) is None:
            return number
    raise RuntimeError(f"no free personnummer for {birth}")


def prepare(connection: Connection, plan: Plan) -> dict[str, Any]:
    """Add a second coordinator and applicants to the load teams; return the users' plan."""
    tables = model_tables()
    users, user_teams = tables["users"], tables["user_teams"]
    persons, enrolments = tables["persons"], tables["enrolments"]
    team_years, school_years = tables["team_years"], tables["school_years"]
    password_hash = connection.scalar(select(users.c.password_hash).where(users.c.id == 1))
    year_id = connection.scalar(select(school_years.c.id).where(
        school_years.c.starts_on <= plan.today, school_years.c.ends_on >= plan.today))
    next_user = connection.scalar(select(func.max(users.c.id))) + 1
    next_person = connection.scalar(select(func.max(persons.c.id))) + 1
    now = datetime.combine(plan.today, clock_time(8, 0))
    coordinators, supervisors = [], []
    for team in range(1, LOAD_TEAMS + 1):
        extra_id = next_user + team - 1
        connection.execute(users.insert().values(
            id=extra_id, username=f"samordnare{team:04d}-2", full_name="Extra Samordnare",
            email="", password_hash=password_hash, role="coordinator", active=True,
            session_token=f"load-{extra_id}", must_change_password=False,
            created_at=now))
        connection.execute(user_teams.insert().values(user_id=extra_id, team_id=team))
        for user_id, username in ((_user_id(team, 0), f"samordnare{team:04d}"),
                                  (extra_id, f"samordnare{team:04d}-2")):
            coordinators.append({"username": username, "user_id": user_id, "team_id": team})
        for slot, suffix in enumerate("ab"):
            supervisors.append({"username": f"handledare{team:04d}{suffix}",
                                "user_id": _user_id(team, slot + 1), "team_id": team,
                                "slot": slot,
                                "district_id": home_district_id(team)})
        for number in range(EXTRA_APPLICANTS):
            person_id = next_person
            next_person += 1
            birth = plan.today.replace(year=plan.today.year - 19) + timedelta(days=number)
            connection.execute(persons.insert().values(
                id=person_id, personnummer=_free_personnummer(connection, birth),
                birth_date=birth, first_name=f"Sökande{number}",
                last_name=f"Lasttest{team:04d}", sort_key=f"lasttest{team:04d}{number:02d}",
                phone="", email="", address="", school="", notes="", prior_years=0,
                created_at=now))
            connection.execute(enrolments.insert().values(
                person_id=person_id, team_id=team, school_year_id=year_id, status="applicant",
                applied_on=plan.today - timedelta(days=7), end_reason="", created_at=now))
        connection.execute(update(team_years).where(
            team_years.c.team_id == team, team_years.c.school_year_id == year_id)
            .values(cap=team_years.c.cap + EXTRA_PLACES))
    if connection.dialect.name == "postgresql":
        for name in ("users", "persons", "enrolments"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                                    f"(SELECT MAX(id) FROM {name}))"))
    return {"today": plan.today.isoformat(), "password": BENCH_PASSWORD,
            "coordinators": coordinators, "supervisors": supervisors,
            "counts": {"coordinators": len(coordinators), "supervisors": len(supervisors)}}


def _wait_until_up(base: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def _locust_totals(prefix: Path) -> tuple[int, int, float, float]:
    """Return requests, failures, requests per second and the 95th percentile (ms)."""
    with Path(f"{prefix}_stats.csv").open(newline="") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return (int(total["Request Count"]), int(total["Failure Count"]),
            float(total["Requests/s"]), float(total["95%"]))


def count_back(connection: Connection, report: dict[str, Any]) -> tuple[int, list[str]]:
    """Return how many reported saves the database does not hold exactly, and which."""
    tables = model_tables()
    walks, participations = tables["walks"], tables["participations"]
    incidents, enrolments = tables["walk_incidents"], tables["enrolments"]
    lost = []
    for walk in report["walks"]:
        row = connection.execute(select(walks.c.status, walks.c.youths_met, walks.c.youths_talked)
                                 .where(walks.c.id == walk["walk_id"])).first()
        attendance = dict(connection.execute(
            select(participations.c.person_id, participations.c.status)
            .where(participations.c.walk_id == walk["walk_id"])).tuples().all())
        counted = dict(connection.execute(
            select(incidents.c.category_id, incidents.c.count)
            .where(incidents.c.walk_id == walk["walk_id"])).tuples().all())
        expected = {int(pid): status for pid, status in walk["attendance"].items()}
        expected_incidents = {int(cid): count for cid, count in walk["incidents"].items()}
        if (row is None or tuple(row) != ("completed", walk["met"], walk["talked"])
                or attendance != expected or counted != expected_incidents):
            lost.append(f"walk {walk['walk_id']}: reported {walk}, stored {row} {attendance}")
    for activation in report["activations"]:
        status = connection.scalar(select(enrolments.c.status)
                                   .where(enrolments.c.id == activation["enrolment_id"]))
        if status != "active":
            lost.append(f"enrolment {activation['enrolment_id']}: reported active, is {status}")
    return len(lost), lost


def cap_exceeded(connection: Connection) -> int:
    """Return how many team-years have more active enrolments than their cap."""
    return connection.scalar(text("""
        SELECT count(*) FROM team_years ty WHERE ty.cap < (
            SELECT count(*) FROM enrolments e WHERE e.team_id = ty.team_id
            AND e.school_year_id = ty.school_year_id AND e.status = 'active')""")) or 0


def run_load(database_url: str, plan: Plan, workdir: Path, *, seconds: int) -> LoadFigures:
    """Serve the prepared database with gunicorn and let locust's users work on it."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        users_plan = prepare(connection, plan)
    plan_file, report_file = workdir / "load-plan.json", workdir / "load-report.json"
    plan_file.write_text(json.dumps(users_plan))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Several workers share their request limits through Redis (gunicorn.conf.py insists).
    env = {**app_environment(database_url, str(workdir)),
           "REDIS_URL": os.environ.get("POLARE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--timeout",
         "120", "--log-level", "warning", "app:app"],
        cwd=ROOT, env=env, stdout=(workdir / "gunicorn.log").open("wb"),
        stderr=subprocess.STDOUT)
    prefix = workdir / "locust"
    try:
        _wait_until_up(base, server, 180)
        subprocess.run(
            [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", "-u", str(USERS), "-r", str(USERS), "-t", f"{seconds + 300}s",
             "--stop-timeout", "10", "--host", base, "--csv", str(prefix), "--only-summary",
             "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            cwd=ROOT, env={**os.environ, "POLARE_LOAD_PLAN": str(plan_file),
                           "POLARE_LOAD_REPORT": str(report_file),
                           "POLARE_LOAD_SECONDS": str(seconds)},
            stdout=(workdir / "locust.log").open("wb"), stderr=subprocess.STDOUT,
            check=True, timeout=seconds + 420)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    requests, failures, rps, p95 = _locust_totals(prefix)
    report = json.loads(report_file.read_text())
    with engine.connect() as connection:
        lost, details = count_back(connection, report)
        exceeded = cap_exceeded(connection)
    engine.dispose()
    return LoadFigures(requests, failures, rps, p95, len(report["walks"]),
                       len(report["activations"]), len(report["refused"]), lost, exceeded,
                       details[:10])

