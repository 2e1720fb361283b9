"""A small fixed data set whose every figure is computed by hand in the tests.

Ryd (cap 15 in 2026/27) has polare Anna (born 2009-03-14, 16 on 1 January 2026), Bo (born
2008-01-01, 18 on 1 January), Cia (born 2010-06-01, 15) and Eva (ended 2026-10-01); Berga has
Dan (born 2009-05-05, 16). Stipends: 200,00 kr under 18 and 250,00 kr from 18 (age on the walk's
date). Periods 2026-08 and 2026-09 are closed; October onwards is open.

| walk | team  | date       | time        | district  | status    | met | talked | attended   |
|------|-------|------------|-------------|-----------|-----------|-----|--------|------------|
| W1   | Ryd   | 2026-08-31 | 18:00–22:00 | Ryd       | approved  | 10  | 4      | Anna       |
| W2   | Ryd   | 2026-09-01 | 22:00–02:00 | Lambohov  | approved  | 20  | 5      | Anna, Cia  |
| W3   | Ryd   | 2026-09-15 | 19:00–21:30 | Ryd       | cancelled | 99  | 9      | Anna       |
| W4   | Ryd   | 2026-11-20 | 18:00–21:00 | Ryd       | planned   |     |        | (Anna)     |
| W5   | Ryd   | 2026-11-06 | 18:30–23:15 | Malmslätt | approved  | 7   | 7      | Anna,Bo,Cia|
| W6   | Berga | 2026-10-10 | 18:00–22:00 | Berga     | approved  | 30  | 10     | Dan        |
| W7   | Ryd   | 2026-10-17 | 20:00–00:30 | Ekholmen  | completed | 5   | 1      | Bo         |

W1 also had Bo (absent; paid 250,00 in 2026-08 and taken back by a -250,00 correction in
2026-09) and Cia (absent). Incidents: W1 Bråk 1; W2 Bråk 2, Alkohol / droger 1; W3 Bråk 5;
W6 Skadegörelse 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import select

from polare.audit.services import record
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.org.models import District, TeamYear
from polare.pay.models import (
    LineKind,
    PayLine,
    PayPeriod,
    PeriodStatus,
    RateRow,
    RateVersion,
)
from polare.reports.budgets import load_example_rates
from polare.roster.models import EnrolmentStatus, Person
from polare.walks.models import (
    IncidentCategory,
    Participation,
    ParticipationStatus,
    Walk,
    WalkIncident,
    WalkStatus,
)
from polare.walks.rules import walk_span

ATTENDED = ParticipationStatus.ATTENDED
ABSENT = ParticipationStatus.ABSENT
SCHEDULED = ParticipationStatus.SCHEDULED


@dataclass
class DataSet:
    """The records of the fixed data set, by name."""

    persons: dict[str, Person]
    walks: dict[str, Walk]
    events: dict[str, Event]
    rate_version: RateVersion


@pytest.fixture
def districts(db) -> dict[str, District]:
    """The seeded districts by name."""
    return {d.name: d for d in db.scalars(select(District))}


@pytest.fixture
def make_walk(db, teams, districts):
    """Build a walk with participations and incidents directly (no rules applied)."""
    categories = {c.name: c for c in db.scalars(select(IncidentCategory))}

    def build(team: str, district: str, day: date, start: time, end: time,
              status: WalkStatus, *, met: int | None = None, talked: int | None = None,
              people: dict[Person, ParticipationStatus] | None = None,
              incidents: dict[str, int] | None = None) -> Walk:
        starts_at, ends_at = walk_span(day, start, end)
        walk = Walk(team_id=teams[team].id, district_id=districts[district].id, walk_date=day,
                    start_time=start, end_time=end, starts_at=starts_at, ends_at=ends_at,
                    status=status, youths_met=met, youths_talked=talked)
        db.add(walk)
        db.flush()
        for person, attendance in (people or {}).items():
            db.add(Participation(walk_id=walk.id, person_id=person.id, status=attendance))
        for name, count in (incidents or {}).items():
            db.add(WalkIncident(walk_id=walk.id, category_id=categories[name].id, count=count))
        db.flush()
        record(db, None, "create", "walk", walk.id, note="test fixture")
        return walk

    return build


def _participation(db: Any, walk: Walk, person: Person) -> Participation:
    return db.scalars(select(Participation).where(Participation.walk_id == walk.id,
                                                  Participation.person_id == person.id)).one()


def _pay_line(db: Any, period: PayPeriod, kind: LineKind, walk: Walk, person: Person,
              age: int, amount: str, version: RateVersion) -> PayLine:
    line = PayLine(
        period_id=period.id, kind=kind, participation_id=_participation(db, walk, person).id,
        person_id=person.id, walk_id=walk.id, walk_date=walk.walk_date,
        start_time=walk.start_time, end_time=walk.end_time, team_name="Ryd",
        cost_centre="KS-4102", district_name="", personnummer=person.personnummer,
        first_name=person.first_name, last_name=person.last_name, age=age, years=1,
        rate_version_id=version.id, band_label="", amount=Decimal(amount),
    )
    db.add(line)
    db.flush()
    return line


def _rates(db: Any) -> RateVersion:
    version = RateVersion(effective_from=date(2024, 1, 1), label="Test")
    version.rows = [
        RateRow(age_from=15, age_to=17, years_from=1, years_to=None, amount=Decimal("200.00")),
        RateRow(age_from=18, age_to=None, years_from=1, years_to=None,
                amount=Decimal("250.00")),
    ]
    db.add(version)
    db.flush()
    return version


def _persons(make_person, make_enrolment, db, school_year) -> dict[str, Person]:
    persons = {
        "Anna": make_person(first_name="Anna", last_name="Ahl", birth_date=date(2009, 3, 14)),
        "Bo": make_person(first_name="Bo", last_name="Berg", birth_date=date(2008, 1, 1)),
        "Cia": make_person(first_name="Cia", last_name="Carlsson",
                           birth_date=date(2010, 6, 1)),
        "Dan": make_person(first_name="Dan", last_name="Dahl", birth_date=date(2009, 5, 5)),
        "Eva": make_person(first_name="Eva", last_name="Ek", birth_date=date(2009, 8, 8)),
        "Fia": make_person(first_name="Fia", last_name="Falk", birth_date=date(2009, 9, 9)),
    }
    for name in ("Anna", "Bo", "Cia"):
        make_enrolment(persons[name], "Ryd")
    make_enrolment(persons["Dan"], "Berga")
    make_enrolment(persons["Eva"], "Ryd", status=EnrolmentStatus.ENDED,
                   ended_on=date(2026, 10, 1), end_reason="Flyttat")
    make_enrolment(persons["Fia"], "Ryd", status=EnrolmentStatus.WAITLISTED)
    return persons


def _walks(make_walk, p: dict[str, Person]) -> dict[str, Walk]:
    return {
        "W1": make_walk("Ryd", "Ryd", date(2026, 8, 31), time(18), time(22),
                        WalkStatus.APPROVED, met=10, talked=4,
                        people={p["Anna"]: ATTENDED, p["Bo"]: ABSENT, p["Cia"]: ABSENT},
                        incidents={"Bråk": 1}),
        "W2": make_walk("Ryd", "Lambohov", date(2026, 9, 1), time(22), time(2),
                        WalkStatus.APPROVED, met=20, talked=5,
                        people={p["Anna"]: ATTENDED, p["Cia"]: ATTENDED},
                        incidents={"Bråk": 2, "Alkohol / droger": 1}),
        "W3": make_walk("Ryd", "Ryd", date(2026, 9, 15), time(19), time(21, 30),
                        WalkStatus.CANCELLED, met=99, talked=9,
                        people={p["Anna"]: ATTENDED}, incidents={"Bråk": 5}),
        "W4": make_walk("Ryd", "Ryd", date(2026, 11, 20), time(18), time(21),
                        WalkStatus.PLANNED, people={p["Anna"]: SCHEDULED}),
        "W5": make_walk("Ryd", "Malmslätt", date(2026, 11, 6), time(18, 30), time(23, 15),
                        WalkStatus.APPROVED, met=7, talked=7,
                        people={p["Anna"]: ATTENDED, p["Bo"]: ATTENDED, p["Cia"]: ATTENDED}),
        "W6": make_walk("Berga", "Berga", date(2026, 10, 10), time(18), time(22),
                        WalkStatus.APPROVED, met=30, talked=10, people={p["Dan"]: ATTENDED},
                        incidents={"Skadegörelse": 1}),
        "W7": make_walk("Ryd", "Ekholmen", date(2026, 10, 17), time(20), time(0, 30),
                        WalkStatus.COMPLETED, met=5, talked=1, people={p["Bo"]: ATTENDED}),
    }


def _events(db, teams, school_year, p: dict[str, Person]) -> dict[str, Event]:
    types = {t.name: t for t in db.scalars(select(EventType))}
    specs = {
        "E1": ("Ledarskapsutbildning", "Ryd", date(2026, 9, 10), False,
               {"Anna": InvitationStatus.ATTENDED, "Bo": InvitationStatus.ABSENT,
                "Cia": InvitationStatus.ATTENDED}),
        "E2": ("Nätverksträff", None, date(2026, 10, 5), False,
               {"Anna": InvitationStatus.ATTENDED, "Dan": InvitationStatus.ATTENDED}),
        "E3": ("Nätverksträff", "Ryd", date(2026, 10, 20), True,
               {"Anna": InvitationStatus.INVITED}),
        "E4": ("Föräldramöte", "Berga", date(2026, 11, 1), False,
               {"Dan": InvitationStatus.ATTENDED}),
    }
    events = {}
    for key, (type_name, team, day, cancelled, invited) in specs.items():
        event = Event(type_id=types[type_name].id, title=type_name, event_date=day,
                      start_time=time(17), team_id=teams[team].id if team else None,
                      school_year_id=school_year.id, cancelled=cancelled)
        db.add(event)
        db.flush()
        for name, status in invited.items():
            db.add(Invitation(event_id=event.id, person_id=p[name].id, status=status))
        events[key] = event
    db.flush()
    return events


@pytest.fixture
def data(db, teams, school_year, make_person, make_enrolment, make_walk) -> DataSet:
    """Load the fixed data set (see the module docstring)."""
    persons = _persons(make_person, make_enrolment, db, school_year)
    db.add(TeamYear(team_id=teams["Ryd"].id, school_year_id=school_year.id, cap=15))
    walks = _walks(make_walk, persons)
    events = _events(db, teams, school_year, persons)
    version = _rates(db)
    august = PayPeriod(month="2026-08", status=PeriodStatus.CLOSED)
    september = PayPeriod(month="2026-09", status=PeriodStatus.CLOSED)
    db.add_all([august, september])
    db.flush()
    w1, w2 = walks["W1"], walks["W2"]
    _pay_line(db, august, LineKind.ORDINARY, w1, persons["Anna"], 17, "200.00", version)
    bo_paid = _pay_line(db, august, LineKind.ORDINARY, w1, persons["Bo"], 18, "250.00", version)
    _pay_line(db, september, LineKind.ORDINARY, w2, persons["Anna"], 17, "200.00", version)
    _pay_line(db, september, LineKind.ORDINARY, w2, persons["Cia"], 16, "200.00", version)
    correction = _pay_line(db, september, LineKind.CORRECTION, w1, persons["Bo"], 18,
                           "-250.00", version)
    correction.refers_to_id = bo_paid.id
    load_example_rates(db)
    record(db, None, "create", "report_test_data", note="test fixture")
    db.flush()
    return DataSet(persons, walks, events, version)


class _TableParser(HTMLParser):
    """Collect the cell texts of one table's rows (header, body and total)."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def page_table(html: str, key: str) -> list[list[str]]:
    """Return the rows of the report table `key` as the page shows them (header first)."""
    parser = _TableParser(f"table-{key}")
    parser.feed(html)
    return parser.rows


@pytest.fixture
def frozen_today(clock) -> date:
    """Make the pages' today 2026-11-25."""
    today = date(2026, 11, 25)
    clock.local(today)
    return today


@pytest.fixture
def rebuild_per_view(app, monkeypatch) -> Callable[[int], None]:
    """Return a function making a whole country's pages rebuild that many teams' aggregates a
    view, as they do at 1,000 teams after a new month."""

    def teams_a_view(teams: int) -> None:
        monkeypatch.setattr("polare.reports.aggregates.REFRESH_BATCH", teams)
        monkeypatch.setitem(app.config, "POLARE_REBUILD_SECONDS", 0)

    return teams_a_view


def reload_link(html: str) -> str:
    """Return the "reload now" link of a page whose figures are being rebuilt, as rendered."""
    found = re.search(r'<a href="([^"]+)">Ladda om nu</a>', html)
    assert found is not None, "no reload link on the page"
    return unescape(found[1])
