"""Two teams' worth of records and a client that walks the app as a user would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from polare.auth.models import Role, User
from polare.roster.models import EnrolmentStatus
from tests.conftest import TEST_PASSWORD, valid_personnummer
from tests.privacy import factories
from tests.security import crawl

#: How each integer URL argument names a team's record (see `TeamRecords.ids`).
OBJECT_ARGUMENTS = {
    "person_id": "person",
    "enrolment_id": "enrolment",
    "guardian_id": "guardian",
    "event_id": "event",
    "invitation_id": "invitation",
    "walk_id": "walk",
    "participation_id": "participation",
}
#: Integer URL arguments of reference data shared by every team (admin pages): not scoped.
SHARED_ARGUMENTS = {
    "user_id": "user",
    "team_id": "team",
    "district_id": "district",
    "year_id": "school_year",
    "school_year_id": "school_year",
    "type_id": "event_type",
    "version_id": "rate_version",
    "rate_id": "contribution_rate",
    "category_id": "incident_category",
}
#: Values of the string URL arguments.
STRING_ARGUMENTS = {"month": "2026-10", "code": "sv", "token": "no-such-token",
                    "team_slug": "ryd"}


@dataclass
class TeamRecords:
    """One team's records; `secrets` must never appear on another team's pages."""

    team: str
    ids: dict[str, int]
    personnummer: str
    secrets: tuple[str, ...]


@dataclass
class World:
    ryd: TeamRecords
    berga: TeamRecords
    shared: dict[str, int] = field(default_factory=dict)

    @property
    def personnummer_forms(self) -> list[str]:
        forms = []
        for number in (self.ryd.personnummer, self.berga.personnummer):
            digits = number.replace("-", "")
            forms += [number, digits, digits[2:], f"{digits[2:8]}-{digits[8:]}"]
        return forms


def _team_records(db, teams, make_person, make_enrolment, name: str, first: str, last: str,
                  place: str, serial: int) -> TeamRecords:
    team = teams[name]
    person = make_person(first_name=first, last_name=last, birth_date=date(2008, 4, 4),
                         personnummer=valid_personnummer(date(2008, 4, 4), serial),
                         notes=f"Anteckning om {first}")
    guardian = factories.guardian(db, person, f"{first}s förälder")
    enrolment = make_enrolment(person, name, status=EnrolmentStatus.ACTIVE,
                               activated_on=date(2026, 8, 20))
    event = factories.event(db, team, date(2026, 10, 5), [person], title=f"{place}kursen")
    walk = factories.walk(db, team, date(2026, 10, 9), [person], meeting_point=f"{place}torget")
    factories.pay_line(db, "2026-10", person, walk)
    return TeamRecords(
        team=name,
        ids={"person": person.id, "guardian": guardian.id, "enrolment": enrolment.id,
             "event": event.id, "invitation": event.invitations[0].id, "walk": walk.id,
             "participation": walk.participations[0].id},
        personnummer=person.personnummer,
        secrets=(f"{first} {last}", last, person.personnummer, f"{place}torget",
                 f"{place}kursen", f"{first}s förälder"),
    )


@pytest.fixture
def world(db, teams, make_person, make_enrolment, make_user) -> World:
    """A polare with guardian, enrolment, event, walk and pay line in Ryd and in Berga."""
    ryd = _team_records(db, teams, make_person, make_enrolment, "Ryd", "Rut", "Rydén", "Ryd",
                        501)
    berga = _team_records(db, teams, make_person, make_enrolment, "Berga", "Berit",
                          "Bergström", "Berga", 502)
    other = make_user(Role.SUPERVISOR, teams=("Berga",), username="bergahandledare")
    db.commit()
    return World(ryd=ryd, berga=berga, shared={"user": other.id, "team": teams["Berga"].id})


def url_values(records: TeamRecords, shared: dict[str, int]) -> dict[str, Any]:
    """Return values for every known URL argument, pointing at the team's records."""
    values: dict[str, Any] = dict(STRING_ARGUMENTS)
    values.update({arg: records.ids[kind] for arg, kind in OBJECT_ARGUMENTS.items()})
    values.update({arg: shared.get(kind, 1) for arg, kind in SHARED_ARGUMENTS.items()})
    return values


class Browser:
    """A logged-in client that follows redirects, logs in again if logged out, keeps pages."""

    def __init__(self, app: Flask, client: FlaskClient, user: User) -> None:
        self.app, self.client, self.user = app, client, user
        self.pages: dict[str, str] = {}

    def log_in(self) -> None:
        response = self.client.post("/login", data={"username": self.user.username,
                                                    "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)

    def open(self, url: str, method: str = "GET", data: Any = None):
        """Request a URL (following redirects), keep HTML pages; return the last response."""
        response = self.client.open(url, method=method, data=data)
        for _hop in range(5):
            if response.status_code not in (301, 302, 303):
                break
            location = response.headers["Location"]
            if location.startswith("/login"):
                self.log_in()
                return self.open(url, method, data)
            response = self.client.get(location)
        if response.mimetype == "text/html":
            self.pages[url] = response.get_data(as_text=True)
        return response

    def visit_get_routes(self, values: dict[str, Any]) -> list[str]:
        """Open every GET route that can be filled in; return the URLs opened."""
        opened = []
        for rule in crawl.routes(self.app):
            if "GET" not in (rule.methods or ()) or rule.endpoint in ("main.language",):
                continue
            url = crawl.build_url(self.app, rule, values)
            if url is not None and not url.endswith((".ics", ".xlsx")):
                self.open(url)
                opened.append(url)
        return opened


@pytest.fixture
def browse(app, client, make_user):
    """Return a function that logs the client in as a new user and gives a Browser."""

    def start(role: Role, teams: tuple[str, ...] = ("Ryd",)) -> Browser:
        browser = Browser(app, client, make_user(role, teams=teams))
        browser.log_in()
        return browser

    return start


@pytest.fixture
def fresh_personnummer():
    """Return a function giving a new valid personnummer each call."""
    serials = itertools.count(600)
    return lambda: valid_personnummer(date(2009, 5, 5), next(serials))
