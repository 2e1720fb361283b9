"""Simulated staff for the load benchmark (run by benchmarks/load.py, headless, on loopback).

Each simulated user logs in once with a real account (argon2 is slow by design). When the last
one is in, the statistics are reset and the measured window of POLARE_LOAD_SECONDS starts, at
the end of which the run stops itself; so logins are not measured. Then, with short pauses,
each user reads pages (start page, roster, person pages, walk list, report), and:

* supervisors plan a walk with three polare, then log it: attendance, youths met and talked
  with, incidents, "save and mark completed";
* coordinators activate applicants of their team, racing a colleague for the last places
  under the cap.

CSRF tokens are scraped from the forms, as a browser would send them. What the app confirmed
(a redirect after a save) is written to POLARE_LOAD_REPORT at the end, so that load.py can
count it back from the database. A refusal the rules allow (the cap is full, a polare not
active that day) is a correct answer, counted as refused, not as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["POLARE_LOAD_PLAN"]).read_text())
TODAY = date.fromisoformat(PLAN["today"])

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PERSON_LINK = re.compile(r'href="/roster/persons/(\d+)"')
ENROLMENT_LINK = re.compile(r'href="/roster/enrolments/(\d+)"')
WALK_LINK = re.compile(r'href="/walks/(\d+)"')
PLANNABLE = re.compile(r'name="person_ids" type="checkbox" value="(\d+)"')
ATTENDANCE = re.compile(r'name="attendance_(\d+)"')
INCIDENT = re.compile(r'name="incident_(\d+)"')
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
WALK_CREATED = re.compile(r"/walks/(\d+)$")

#: Walk slots (start, end) of the two supervisors of a team: never overlapping.
SLOTS = (("09:00", "11:00"), ("12:00", "14:00"))

_accounts = {role: itertools.cycle(PLAN[role]) for role in ("coordinators", "supervisors")}
REPORT: dict[str, list[Any]] = {"walks": [], "activations": [], "refused": [], "logins": []}
#: Set when every user has logged in: the measured window starts.
EVERYONE_IN = Event()


@events.test_stop.add_listener
def write_report(**_kwargs: Any) -> None:
    """Write what the app confirmed, for load.py to count back."""
    Path(os.environ["POLARE_LOAD_REPORT"]).write_text(json.dumps(REPORT))


def token(html: str) -> str:
    """Return the CSRF token of the first form on the page."""
    found = CSRF_TOKEN.search(html)
    if found is None:
        raise RuntimeError("no CSRF token on the page")
    return found[1]


class Staff(HttpUser):
    """A logged-in staff member reading the pages everyone reads."""

    abstract = True
    role = ""
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.account = next(_accounts[self.role])
        page = self.client.get("/login", name="/login").text
        response = self.client.post("/login", name="/login", allow_redirects=False, data={
            "csrf_token": token(page), "username": self.account["username"],
            "password": PLAN["password"]})
        if response.status_code != 302:
            raise RuntimeError(f"login {self.account['username']}: {response.status_code}")
        REPORT["logins"].append(self.account["username"])
        self.person_ids: list[int] = []
        if len(REPORT["logins"]) == sum(PLAN["counts"].values()):
            self.environment.stats.reset_all()
            gevent.spawn_later(int(os.environ["POLARE_LOAD_SECONDS"]),
                               self.environment.runner.quit)
            EVERYONE_IN.set()
        EVERYONE_IN.wait()

    @task(3)
    def start_page(self) -> None:
        self.client.get("/", name="/")

    @task(3)
    def roster(self) -> None:
        html = self.client.get("/roster/", name="/roster/").text
        self.person_ids = [int(i) for i in PERSON_LINK.findall(html)] or self.person_ids

    @task(3)
    def person_page(self) -> None:
        if self.person_ids:
            self.client.get(f"/roster/persons/{random.choice(self.person_ids)}",
                            name="/roster/persons/[id]")

    @task(3)
    def walk_list(self) -> None:
        html = self.client.get("/walks/", name="/walks/").text
        walks = WALK_LINK.findall(html)
        if walks:
            self.client.get(f"/walks/{random.choice(walks)}", name="/walks/[id]")

    @task(1)
    def report_page(self) -> None:
        self.client.get("/reports/", name="/reports/")

    def post(self, path: str, name: str, data: dict[str, Any]) -> tuple[bool, str]:
        """POST a form; return (saved, redirect target), a refusal the rules allow is not
        an error."""
        with self.client.post(path, name=name, data=data, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code == 302:
                response.success()
                return True, response.headers.get("Location", "")
            if response.status_code in (409, 422):
                response.success()
                return False, ""
            response.failure(f"HTTP {response.status_code}")
            return False, ""


class Coordinator(Staff):
    """Activates applicants of the team (two coordinators per team race for the places)."""

    role = "coordinators"
    fixed_count = PLAN["counts"]["coordinators"]

    @task(3)
    def activate_applicant(self) -> None:
        html = self.client.get("/roster/?status=applicant", name="/roster/?status=applicant").text
        candidates = ENROLMENT_LINK.findall(html)
        if not candidates:
            return
        enrolment_id = int(random.choice(candidates))
        page = self.client.get(f"/roster/enrolments/{enrolment_id}",
                               name="/roster/enrolments/[id]").text
        saved, _target = self.post(
            f"/roster/enrolments/{enrolment_id}/activate", "/roster/enrolments/[id]/activate",
            {"csrf_token": token(page), "on": TODAY.isoformat()})
        REPORT["activations" if saved else "refused"].append({
            "kind": "activation", "enrolment_id": enrolment_id,
            "team_id": self.account["team_id"]})


class Supervisor(Staff):
    """Plans a walk with three polare and logs it as completed."""

    role = "supervisors"
    fixed_count = PLAN["counts"]["supervisors"]

    def on_start(self) -> None:
        super().on_start()
        self.walks_logged = 0

    @task(4)
    def log_a_walk(self) -> None:
        team_id = self.account["team_id"]
        form = self.client.get(f"/walks/new?team_id={team_id}", name="/walks/new").text
        polare = PLANNABLE.findall(form)
        if len(polare) < 3:
            return
        self.walks_logged += 1
        day = TODAY - timedelta(days=self.walks_logged)
        start, end = SLOTS[self.account["slot"]]
        chosen = random.sample(polare, 3)
        saved, target = self.post(f"/walks/new?team_id={team_id}", "/walks/new", {
            "csrf_token": token(form), "walk_date": day.isoformat(), "start_time": start,
            "end_time": end, "district_id": self.account["district_id"],
            "meeting_point": "Torget", "staff_ids": [self.account["user_id"]],
            "person_ids": chosen, "submit": "Spara"})
        created = WALK_CREATED.search(target)
        if not saved or created is None:
            REPORT["refused"].append({"kind": "walk", "day": day.isoformat()})
            return
        self.log_walk(int(created[1]))

    def log_walk(self, walk_id: int) -> None:
        page = self.client.get(f"/walks/{walk_id}/log", name="/walks/[id]/log").text
        met = random.randint(0, 40)
        talked = random.randint(0, met)
        attendance = {pid: random.choice(("attended", "attended", "absent"))
                      for pid in ATTENDANCE.findall(page)}
        incidents = {cid: random.choice((0, 0, 1, 2)) for cid in INCIDENT.findall(page)}
        version = VERSION.search(page)
        data = {"csrf_token": token(page), "youths_met": met, "youths_talked": talked,
                "note": "Lugnt i centrum.", "joined_person_id": "",
                "version": version[1] if version else "", "complete": "Spara och markera genomförd",
                **{f"attendance_{pid}": status for pid, status in attendance.items()},
                **{f"incident_{cid}": count for cid, count in incidents.items()}}
        saved, _target = self.post(f"/walks/{walk_id}/log", "/walks/[id]/log", data)
        if saved:
            REPORT["walks"].append({"walk_id": walk_id, "met": met, "talked": talked,
                                    "attendance": attendance,
                                    "incidents": {c: n for c, n in incidents.items() if n}})
        else:
            REPORT["refused"].append({"kind": "log", "walk_id": walk_id})
