"""Generate realistic synthetic Polare data at national scale, written through bulk inserts.

    python benchmarks/generate.py --teams 1000 --years 2 [--database-url URL] [--seed N]

The database must be empty: the schema is created as `flask db upgrade` does, then every row is
written with SQLAlchemy Core `insert()` in large batches (COPY on PostgreSQL); no ORM objects,
no audit entries. The same arguments (and the same --today) always give the same data. Each
team gets its own random stream, so team 1 is identical at every scale.

Per team: a home district and four around it, a cost centre, a coordinator and two
supervisors, 20 active polare per school year (half of last year's return; minors have a
guardian and consent), a few who leave mid-year and are replaced, about 12 walks per month
with 3-6 polare (approved, some absent, some cancelled), counts met and talked with,
incidents, events with invitations and attendance. One rate table (with an indexed version
from the next January) covers ages 15-20 and years >= 1. Every month before the month before
today is closed with its frozen pay lines; the month before today (`Plan.bench_month`, about
60 payable lines per team) is left open for the payroll benchmarks, with a few late entries
and corrections waiting in it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time as clock
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Connection, Engine, Table, create_engine, func, select, text, update  # noqa: E402
from stdnum import luhn  # noqa: E402

import payroll  # noqa: E402
from benchmarks import names  # noqa: E402
from polare.events.seed import EVENT_TYPES  # noqa: E402
from polare.roster.sorting import swedish_sort_key  # noqa: E402
from polare.walks.seed import INCIDENT_CATEGORIES  # noqa: E402

#: Every generated staff account has this password.
BENCH_PASSWORD = "polare-bench-2026"  # noqa: S105 (a published benchmark password)
DEFAULT_SEED = 20_261_125
#: Buffered rows written at once (and per COPY / executemany).
FLUSH_ROWS = 50_000
POLARE_PER_TEAM = 20
DISTRICTS_PER_TEAM = 5
STAFF_PER_TEAM = 3
#: Users before the team staff: an administrator and a payroll officer.
GLOBAL_USERS = 2
ADMIN_ID, PAYROLL_ID = 1, 2

#: (age_from, age_to, years_from, years_to, amount) of the first rate table.
RATE_BANDS = (
    (15, 17, 1, 1, Decimal("300.00")),
    (15, 17, 2, None, Decimal("350.00")),
    (18, None, 1, 1, Decimal("400.00")),
    (18, None, 2, None, Decimal("450.00")),
)
INDEX_PERCENT = Decimal("3.00")

#: (event type, month, day, title) of every team's events in a school year.
TEAM_EVENTS = (
    ("Introduktion", 8, 14, "Introduktion för nya polare"),
    ("Ledarskapsutbildning", 9, 9, "Ledarskapsutbildning del 1"),
    ("Föräldramöte", 9, 22, "Föräldramöte hösten"),
    ("Nätverksträff", 11, 12, "Nätverksträff"),
    ("Informationstillfälle", 2, 4, "Information om sommarlovet"),
    ("Nätverksträff", 4, 15, "Nätverksträff våren"),
)

#: Participants per walk and their weights: mean about 5.2.
WALK_SIZES = (3, 4, 5, 6)
WALK_SIZE_WEIGHTS = (1, 2, 3, 6)
WALK_STARTS = (time(18, 0), time(18, 30), time(19, 0))
#: A walk's version after the saves its status took (planned, logged, approved ...).
WALK_VERSIONS = {"planned": 1, "cancelled": 2, "completed": 2, "approved": 3}

#: Tables in the order rows must reach the database (parents first).
TABLE_ORDER = (
    "settings", "event_types", "incident_categories", "teams", "districts", "school_years",
    "team_years", "users", "user_teams", "rate_versions", "rate_rows", "pay_periods",
    "persons", "guardians", "enrolments", "events", "invitations", "walks", "walk_staff",
    "participations", "walk_incidents", "pay_lines",
)


# ---------------------------------------------------------------- the plan


@cache
def month_key(day: date) -> str:
    """Return 'YYYY-MM' of a day."""
    return f"{day.year:04d}-{day.month:02d}"


def month_start(month: str) -> date:
    """Return the first day of a month 'YYYY-MM'."""
    year, number = payroll.parse_month(month)
    return date(year, number, 1)


def month_end(day: date) -> date:
    """Return the last day of the day's month."""
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


@dataclass(frozen=True)
class SchoolYearSpan:
    id: int
    label: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Plan:
    """What to generate: teams, school years with data, and the date everything is relative to."""

    teams: int
    years: int
    today: date
    seed: int = DEFAULT_SEED

    @property
    def school_years(self) -> list[SchoolYearSpan]:
        """Return the school years with data, then the next one (empty, as `flask seed` has)."""
        current = self.today.year if self.today.month >= 8 else self.today.year - 1
        first = current - self.years + 1
        return [
            SchoolYearSpan(index + 1, f"{year}/{(year + 1) % 100:02d}", date(year, 8, 1),
                           date(year + 1, 7, 31))
            for index, year in enumerate(range(first, current + 2))
        ]

    @property
    def data_years(self) -> list[SchoolYearSpan]:
        """Return the school years that get polare, walks and events."""
        return self.school_years[: self.years]

    @property
    def last_walk_day(self) -> date:
        """Return the last day with walks: the end of today's month."""
        return month_end(self.today)

    @property
    def bench_month(self) -> str:
        """Return the month before today's: complete, approved and left open."""
        return month_key(self.today.replace(day=1) - timedelta(days=1))

    @property
    def closed_months(self) -> list[str]:
        """Return the months with walks before the benchmark month, all closed."""
        months = []
        day = self.data_years[0].starts_on
        while month_key(day) < self.bench_month:
            months.append(month_key(day))
            day = month_end(day) + timedelta(days=1)
        return months


# ---------------------------------------------------------------- writing


class Ids:
    """Explicit primary keys, counted per table from 1 (the database starts empty)."""

    def __init__(self) -> None:
        self._last: dict[str, int] = defaultdict(int)

    def next(self, table: str) -> int:
        """Return the next id of the table."""
        self._last[table] += 1
        return self._last[table]


class Writer:
    """Buffers rows per table and writes them parents first, in large batches."""

    def __init__(self, connection: Connection, tables: dict[str, Table]) -> None:
        self.connection = connection
        self.tables = tables
        self.postgres = connection.dialect.name == "postgresql"
        self.buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.buffered = 0
        self.written: dict[str, int] = defaultdict(int)

    def add(self, table: str, row: dict[str, Any]) -> None:
        """Queue a row; write everything queued once enough is waiting."""
        self.buffers[table].append(row)
        self.buffered += 1
        if self.buffered >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write every queued row, parents before children."""
        for name in TABLE_ORDER:
            rows = self.buffers.pop(name, None)
            if rows:
                self._write(name, rows)
                self.written[name] += len(rows)
        self.buffered = 0

    def _write(self, name: str, rows: list[dict[str, Any]]) -> None:
        if self.postgres:
            self._copy(name, rows)
        else:
            self._executemany(name, rows)

    def _executemany(self, name: str, rows: list[dict[str, Any]]) -> None:
        """Insert through the driver's executemany, values bound as SQLAlchemy binds them.

        Core's own executemany spends most of its time building a parameter dict per row;
        here each column's bind processor (dates to ISO text, Decimal to REAL, ...) runs
        directly, so SQLite stores exactly what an ORM insert would have stored.
        """
        table = self.tables[name]
        dialect = self.connection.dialect
        compiled = table.insert().compile(dialect=dialect, column_keys=list(rows[0]))
        columns = list(compiled.positiontup or ())
        processors = [
            (index, processor) for index, column in enumerate(columns)
            if (processor := table.c[column].type.dialect_impl(dialect).bind_processor(dialect))
        ]
        memos: dict[int, dict[Any, Any]] = {index: {} for index, _ in processors}
        values = []
        for row in rows:
            record = [row[column] for column in columns]
            for index, processor in processors:
                value = record[index]
                if value is not None:
                    memo = memos[index]
                    bound = memo.get(value)
                    if bound is None:
                        bound = memo[value] = processor(value)
                    record[index] = bound
            values.append(tuple(record))
        self.connection.exec_driver_sql(compiled.string, values)

    def _copy(self, name: str, rows: list[dict[str, Any]]) -> None:
        columns = list(rows[0])
        raw = self.connection.connection.driver_connection
        statement = f"COPY {name} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])


# ---------------------------------------------------------------- people


@dataclass
class Polare:
    """A generated person and the school years in which they were active."""

    id: int
    birth_date: date
    first_name: str
    last_name: str
    personnummer: str
    prior_years: int
    guardian_id: int | None = None
    active_starts: list[date] = field(default_factory=list)

    def years_on(self, school_year_start: date) -> int:
        """Return years in the programme in the school year starting then (SPEC §3)."""
        return payroll.years_in_programme(self.active_starts, school_year_start,
                                          self.prior_years)


@dataclass(frozen=True)
class Stint:
    """A polare active in a team from `starts` until the day before `ends` (None: year end)."""

    polare: Polare
    starts: date
    ends: date | None

    def active_on(self, day: date) -> bool:
        """Tell whether the polare is active on the day."""
        return self.starts <= day and (self.ends is None or day < self.ends)


@dataclass(frozen=True)
class WalkFacts:
    """What a walk's pay lines repeat of it."""

    id: int
    day: date
    status: str
    start: time
    end: time
    district_name: str


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    cost_centre: str
    district_ids: tuple[int, ...]
    district_names: tuple[str, ...]
    coordinator_id: int
    supervisor_ids: tuple[int, int]


def team_name(index: int) -> str:
    """Return a unique, Swedish-sounding team name for a 1-based index."""
    stems, endings = names.PLACE_STEMS, names.PLACE_ENDINGS
    base = stems[(index - 1) % len(stems)] + endings[((index - 1) // len(stems)) % len(endings)]
    cycle = (index - 1) // (len(stems) * len(endings))
    return base if cycle == 0 else f"{base} {cycle + 1}"


def district_names(team: str) -> tuple[str, ...]:
    """Return the home district (the team's own name) and four around it."""
    return (team, f"{team} norra", f"{team} södra", f"{team} östra", f"{team} västra")


# ---------------------------------------------------------------- the generator


def _age(birth: date, on: date) -> int:
    return payroll.age_on(birth, on)


class Generator:
    """Writes one plan's rows; `run` returns the number of rows per table."""

    def __init__(self, plan: Plan, writer: Writer, password_hash: str) -> None:
        self.plan = plan
        self.writer = writer
        self.password_hash = password_hash
        self.ids = Ids()
        self.personnummer_taken: set[str] = set()
        self.versions = self._rate_versions()
        self.closed = set(plan.closed_months)
        self.period_ids = {month: index + 1 for index, month in enumerate(plan.closed_months)}
        self.period_totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
        self.now = datetime.combine(plan.today, time(8, 0))

    # ------------------------------------------------------------ reference data

    def _rate_versions(self) -> tuple[payroll.RateVersion, ...]:
        first = self.plan.data_years[0].starts_on
        bands = tuple(payroll.RateBand(*band) for band in RATE_BANDS)
        base = payroll.RateVersion(1, first, bands, f"Arvoden från {first.isoformat()}")
        indexed_from = date(first.year + 1, 1, 1)
        indexed = payroll.index_version(base, INDEX_PERCENT, indexed_from, new_id=2,
                                        label=f"Uppräknad {INDEX_PERCENT} % från "
                                              f"{indexed_from.isoformat()}")
        return (base, indexed)

    def write_reference(self) -> None:
        """Write settings, event types, incident categories, school years and the rates."""
        add = self.writer.add
        add("settings", {"id": 1, "default_cap": POLARE_PER_TEAM, "min_age": 15, "max_age": 20,
                         "pay_code": "ARVODE", "minor_latest_end": time(22, 0),
                         "retention_months": 24, "deletion_decision_ref": "KS 2024-117"})
        for order, (name, required) in enumerate(EVENT_TYPES):
            add("event_types", {"id": order + 1, "name": name, "required": required,
                                "active": True, "sort_order": order})
        for order, name in enumerate(INCIDENT_CATEGORIES):
            add("incident_categories", {"id": order + 1, "name": name, "active": True,
                                        "sort_order": order})
        for year in self.plan.school_years:
            add("school_years", {"id": year.id, "label": year.label,
                                 "starts_on": year.starts_on, "ends_on": year.ends_on})
        for version in self.versions:
            add("rate_versions", {
                "id": version.id, "effective_from": version.effective_from,
                "label": version.label, "note": "Syntetisk arvodestabell",
                "indexed_from_id": 1 if version.id == 2 else None,
                "index_percent": INDEX_PERCENT if version.id == 2 else None,
                "created_by_id": PAYROLL_ID, "created_at": self.now})
            for band in version.bands:
                add("rate_rows", {
                    "id": self.ids.next("rate_rows"), "version_id": version.id,
                    "age_from": band.age_from, "age_to": band.age_to,
                    "years_from": band.years_from, "years_to": band.years_to,
                    "amount": band.amount})
        for month, period_id in self.period_ids.items():
            closed_at = datetime.combine(month_end(month_start(month)) + timedelta(days=5),
                                         time(14, 0))
            add("pay_periods", {"id": period_id, "month": month, "status": "closed",
                                "closed_by_id": PAYROLL_ID, "closed_at": closed_at,
                                "total": None})

    def _user(self, user_id: int, username: str, full_name: str, role: str) -> None:
        self.writer.add("users", {
            "id": user_id, "username": username, "full_name": full_name,
            "email": f"{username}@example.se", "password_hash": self.password_hash,
            "role": role, "active": True, "session_token": f"bench-{user_id:08d}-{self.plan.seed}",
            "failed_logins": 0, "locked_until": None, "must_change_password": False,
            "calendar_token": None, "created_at": self.now, "last_login_at": None})

    def write_teams(self) -> list[TeamInfo]:
        """Write every team with its districts, staff and team-years; return them."""
        self._user(ADMIN_ID, "admin", "Administratör Bench", "admin")
        self._user(PAYROLL_ID, "lon", "Lönehandläggare Bench", "payroll")
        infos = []
        for index in range(1, self.plan.teams + 1):
            rng = Random(f"{self.plan.seed}:staff:{index}")
            name = team_name(index)
            self.writer.add("teams", {"id": index, "name": name,
                                      "cost_centre": f"KS-{10000 + index}", "active": True})
            district_ids = []
            for position, district in enumerate(district_names(name)):
                district_id = self.ids.next("districts")
                district_ids.append(district_id)
                self.writer.add("districts", {"id": district_id, "name": district,
                                              "team_id": index, "is_home": position == 0})
            for year in self.plan.school_years:
                self.writer.add("team_years", {"id": self.ids.next("team_years"),
                                               "team_id": index, "school_year_id": year.id,
                                               "cap": POLARE_PER_TEAM})
            staff = []
            for role, username in (("coordinator", f"samordnare{index:04d}"),
                                   ("supervisor", f"handledare{index:04d}a"),
                                   ("supervisor", f"handledare{index:04d}b")):
                user_id = GLOBAL_USERS + self.ids.next("team_users")
                first = rng.choice(names.FEMALE_FIRST_NAMES + names.MALE_FIRST_NAMES)
                self._user(user_id, username, f"{first} {rng.choice(names.LAST_NAMES)}", role)
                self.writer.add("user_teams", {"user_id": user_id, "team_id": index})
                staff.append(user_id)
            infos.append(TeamInfo(index, name, f"KS-{10000 + index}", tuple(district_ids),
                                  district_names(name), staff[0], (staff[1], staff[2])))
        return infos

    # ------------------------------------------------------------ persons and enrolments

    def _personnummer(self, rng: Random, birth: date, female: bool) -> str:
        while True:
            serial = rng.randrange(0, 1000)
            if (serial % 10) % 2 != (0 if female else 1):
                serial = (serial + 1) % 1000
            digits = f"{birth:%y%m%d}{serial:03d}"
            number = f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(digits)}"
            if number not in self.personnummer_taken:
                self.personnummer_taken.add(number)
                return number

    def _new_polare(self, rng: Random, age_on_start: int, school_year_start: date) -> Polare:
        birth = (school_year_start.replace(year=school_year_start.year - age_on_start)
                 - timedelta(days=rng.randrange(0, 365)))
        female = rng.random() < 0.5
        first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
        last = rng.choice(names.LAST_NAMES)
        polare = Polare(self.ids.next("persons"), birth, first, last,
                        self._personnummer(rng, birth, female),
                        prior_years=1 if rng.random() < 0.05 else 0)
        street = f"{rng.choice(names.STREETS)} {rng.randint(1, 80)}"
        self.writer.add("persons", {
            "id": polare.id, "personnummer": polare.personnummer, "birth_date": birth,
            "first_name": first, "last_name": last, "sort_key": swedish_sort_key(last, first),
            "phone": f"+4670{rng.randrange(0, 10_000_000):07d}",
            "email": f"{first.lower()}.{polare.id}@example.se", "address": street,
            "school": rng.choice(names.SCHOOLS), "notes": "", "prior_years": polare.prior_years,
            "created_at": datetime.combine(school_year_start - timedelta(days=40), time(9, 0)),
            "anonymised_at": None})
        return polare

    def _guardian(self, rng: Random, polare: Polare) -> int:
        if polare.guardian_id is None:
            polare.guardian_id = self.ids.next("guardians")
            first = rng.choice(names.FEMALE_FIRST_NAMES + names.MALE_FIRST_NAMES)
            self.writer.add("guardians", {
                "id": polare.guardian_id, "person_id": polare.id,
                "name": f"{first} {polare.last_name}",
                "phone": f"+4673{rng.randrange(0, 10_000_000):07d}", "email": "",
                "relation": rng.choice(("förälder", "mamma", "pappa", "vårdnadshavare"))})
        return polare.guardian_id

    def _enrol(self, rng: Random, team: TeamInfo, year: SchoolYearSpan, polare: Polare, *,
               status: str, activated_on: date | None = None, ended_on: date | None = None,
               applied_on: date | None = None) -> None:
        applied = applied_on or (activated_on or year.starts_on) - timedelta(days=30)
        consent_on = activated_on or self.plan.today
        consent: dict[str, Any] = {"consent_date": None, "consent_guardian_id": None,
                                   "consent_registered_by_id": None,
                                   "consent_registered_at": None}
        if _age(polare.birth_date, consent_on) < 18:
            consent_date = min(applied + timedelta(days=rng.randint(1, 14)), consent_on)
            consent = {"consent_date": consent_date,
                       "consent_guardian_id": self._guardian(rng, polare),
                       "consent_registered_by_id": team.coordinator_id,
                       "consent_registered_at": datetime.combine(consent_date, time(10, 0))}
        if activated_on is not None:
            polare.active_starts.append(year.starts_on)
        self.writer.add("enrolments", {
            "id": self.ids.next("enrolments"), "person_id": polare.id, "team_id": team.id,
            "school_year_id": year.id, "status": status, "applied_on": applied,
            "activated_on": activated_on, "ended_on": ended_on,
            "end_reason": "Flyttat från orten" if ended_on else "",
            "waitlisted_at": (datetime.combine(applied, time(12, 0))
                              if status == "waitlisted" else None),
            **consent, "created_at": datetime.combine(applied, time(9, 0))})

    def _recruit(self, rng: Random, year: SchoolYearSpan) -> Polare:
        return self._new_polare(rng, rng.choice((15, 15, 16, 16, 17, 18)), year.starts_on)

    def enrol_year(self, rng: Random, team: TeamInfo, year: SchoolYearSpan,
                   previous: list[Polare]) -> list[Stint]:
        """Enrol 20 polare for the year (half of last year's return); return who is when."""
        returning = [p for p in previous
                     if rng.random() < 0.5 and _age(p.birth_date, year.starts_on) <= 19]
        holders = returning + [self._recruit(rng, year)
                               for _ in range(POLARE_PER_TEAM - len(returning))]
        last_day = min(year.ends_on, self.plan.today - timedelta(days=1))
        stints = []
        for polare in holders:
            activated = year.starts_on
            leaves = (rng.random() < 0.08
                      and (last_day - activated).days > 60)
            ended = activated + timedelta(days=rng.randint(30, (last_day - activated).days - 1)) \
                if leaves else None
            self._enrol(rng, team, year, polare, status="ended" if ended else "active",
                        activated_on=activated, ended_on=ended)
            stints.append(Stint(polare, activated, ended))
            if ended is not None:
                replacement = self._recruit(rng, year)
                self._enrol(rng, team, year, replacement, status="active", activated_on=ended)
                stints.append(Stint(replacement, ended, None))
        if year.starts_on <= self.plan.today <= year.ends_on:
            for status in ("applicant", "applicant", "applicant", "waitlisted"):
                self._enrol(rng, team, year, self._recruit(rng, year), status=status,
                            applied_on=self.plan.today - timedelta(days=rng.randint(3, 40)))
        return stints

    # ------------------------------------------------------------ events

    def write_events(self, rng: Random, team: TeamInfo, year: SchoolYearSpan,
                     stints: list[Stint]) -> None:
        """Write the team's events of the year, with invitations and attendance."""
        type_ids = {name: index + 1 for index, (name, _required) in enumerate(EVENT_TYPES)}
        for type_name, month, day, title in TEAM_EVENTS:
            event_date = date(year.starts_on.year + (0 if month >= 8 else 1), month, day)
            event_id = self.ids.next("events")
            held = event_date < self.plan.today
            self.writer.add("events", {
                "id": event_id, "type_id": type_ids[type_name], "title": title,
                "event_date": event_date, "start_time": time(17, 30), "end_time": time(20, 0),
                "team_id": team.id, "school_year_id": year.id,
                "place": rng.choice(names.EVENT_PLACES), "notes": "", "cancelled": False,
                "created_by_id": team.coordinator_id,
                "created_at": datetime.combine(event_date - timedelta(days=21), time(9, 0))})
            for stint in stints:
                if not stint.active_on(event_date):
                    continue
                status = "invited"
                if held:
                    status = "attended" if rng.random() < 0.85 else "absent"
                self.writer.add("invitations", {
                    "id": self.ids.next("invitations"), "event_id": event_id,
                    "person_id": stint.polare.id, "status": status,
                    "marked_by_id": team.coordinator_id if held else None,
                    "marked_at": datetime.combine(event_date, time(20, 30)) if held else None})

    # ------------------------------------------------------------ walks and pay

    def _walk_days(self, rng: Random, year: SchoolYearSpan) -> Iterable[date]:
        day = year.starts_on
        last = min(year.ends_on, self.plan.last_walk_day)
        while day <= last:
            end = min(month_end(day), last)
            count = min(rng.randint(11, 13), (end - day).days + 1)
            for number in sorted(rng.sample(range(day.day, end.day + 1), count)):
                yield day.replace(day=number)
            day = end + timedelta(days=1)

    def _walk_status(self, rng: Random, day: date) -> str:
        if day >= self.plan.today:
            return "planned"
        roll = rng.random()
        if month_key(day) == month_key(self.plan.today):
            return "cancelled" if roll < 0.03 else ("approved" if roll < 0.6 else "completed")
        if roll < 0.03:
            return "cancelled"
        return "completed" if roll < 0.035 and month_key(day) in self.closed else "approved"

    def write_walks(self, rng: Random, team: TeamInfo, year: SchoolYearSpan,
                    stints: list[Stint]) -> None:
        """Write the team's walks of the year with staff, participants, incidents and pay.

        Changes after the latest close touch the walk's updated_at, as the walk services do:
        in one team in ten a walk of the last closed month was approved after the close (a
        late entry), and one paid participation in a thousand was marked absent (a correction).
        """
        last_closed = self.plan.closed_months[-1] if self.plan.closed_months else None
        late_pending = rng.random() < 0.1
        for day in self._walk_days(rng, year):
            status = self._walk_status(rng, day)
            in_last_closed = month_key(day) == last_closed
            late = late_pending and in_last_closed and status == "approved"
            late_pending = late_pending and not late
            active = [stint.polare for stint in stints if stint.active_on(day)]
            size = min(rng.choices(WALK_SIZES, WALK_SIZE_WEIGHTS)[0], len(active))
            chosen = rng.sample(active, size)
            states = [self._attendance(rng, status) for _ in chosen]
            paid = [status == "approved" and state == "attended" and not late
                    and month_key(day) in self.closed for state in states]
            absent_later = [pays and in_last_closed and rng.random() < 0.001 for pays in paid]
            walk = self._walk(rng, team, day, status, approved_late=late,
                              changed_later=any(absent_later))
            for polare, state, pays, changed in zip(chosen, states, paid, absent_later,
                                                    strict=True):
                participation_id = self.ids.next("participations")
                if pays:
                    self._pay_line(team, participation_id, walk, polare)
                self.writer.add("participations", {
                    "id": participation_id, "walk_id": walk.id, "person_id": polare.id,
                    "status": "absent" if changed else state,
                    "joined_on_night": rng.random() < 0.03})

    @staticmethod
    def _attendance(rng: Random, walk_status: str) -> str:
        if walk_status in ("completed", "approved"):
            return "attended" if rng.random() < 0.96 else "absent"
        return "scheduled"

    def _after_last_close(self, days: int) -> datetime:
        """Return a moment `days` after the latest period was closed."""
        closed_at = self._month_facts(self.plan.closed_months[-1])[1]
        return closed_at + timedelta(days=days)

    def _walk(self, rng: Random, team: TeamInfo, day: date, status: str, *,
              approved_late: bool, changed_later: bool) -> WalkFacts:
        walk_id = self.ids.next("walks")
        start = rng.choice(WALK_STARTS)
        starts_at = datetime.combine(day, start)
        ends_at = starts_at + timedelta(minutes=rng.choice((180, 210, 240, 270)))
        position = rng.choices(range(DISTRICTS_PER_TEAM), (40, 15, 15, 15, 15))[0]
        district_id = team.district_ids[position]
        district_name = team.district_names[position]
        if rng.random() < 0.04:
            neighbour = team.id + 1 if team.id < self.plan.teams else max(team.id - 1, 1)
            district_id = (neighbour - 1) * DISTRICTS_PER_TEAM + 1
            district_name = team_name(neighbour)
        done = status in ("completed", "approved")
        met = rng.randint(5, 60) if done else None
        approved_at = None
        if status == "approved":
            approved_at = datetime.combine(day + timedelta(days=rng.randint(1, 3)), time(10, 0))
            if approved_late:
                approved_at = self._after_last_close(days=2)
        updated_at = approved_at or datetime.combine(day, time(23, 59))
        if changed_later:
            updated_at = self._after_last_close(days=3)
        self.writer.add("walks", {
            "id": walk_id, "team_id": team.id, "district_id": district_id, "walk_date": day,
            "start_time": start, "end_time": ends_at.time(), "starts_at": starts_at,
            "ends_at": ends_at, "meeting_point": rng.choice(names.MEETING_POINTS),
            "status": status, "youths_met": met,
            "youths_talked": rng.randint(0, met // 3) if met is not None else None,
            "note": rng.choice(names.WALK_NOTES) if done else "", "series_id": None,
            "approved_by_id": team.coordinator_id if approved_at else None,
            "approved_at": approved_at, "training_confirmed_by_id": None,
            "training_confirmed_at": None, "created_by_id": team.supervisor_ids[0],
            "created_at": datetime.combine(day - timedelta(days=14), time(9, 0)),
            "updated_at": updated_at,
            "version": WALK_VERSIONS[status] + int(changed_later)})
        staff = team.supervisor_ids if rng.random() < 0.5 else team.supervisor_ids[:1]
        for user_id in staff:
            self.writer.add("walk_staff", {"walk_id": walk_id, "user_id": user_id})
        if done and rng.random() < 0.3:
            categories = range(1, len(INCIDENT_CATEGORIES) + 1)
            for category in rng.sample(categories, rng.randint(1, 2)):
                self.writer.add("walk_incidents", {"walk_id": walk_id, "category_id": category,
                                                   "count": rng.randint(1, 3)})
        return WalkFacts(walk_id, day, status, start, ends_at.time(), district_name)

    @cache  # noqa: B019 (one generator per run; the cache dies with it)
    def _band(self, day: date, age: int, years: int) -> tuple[int, str, Decimal]:
        """Return the version id, band label and amount for a walk's date, age and years."""
        version = payroll.version_in_force(self.versions, day)
        band = payroll.find_band(version, age, years)
        return version.id, band.label, band.amount

    @cache  # noqa: B019
    def _month_facts(self, month: str) -> tuple[int, datetime]:
        """Return a closed month's period id and when its lines were frozen."""
        frozen_at = datetime.combine(month_end(month_start(month)) + timedelta(days=5),
                                     time(14, 0))
        return self.period_ids[month], frozen_at

    def _pay_line(self, team: TeamInfo, participation_id: int, walk: WalkFacts,
                  polare: Polare) -> None:
        day = walk.day
        school_year_start = date(day.year if day.month >= 8 else day.year - 1, 8, 1)
        age, years = _age(polare.birth_date, day), polare.years_on(school_year_start)
        version_id, band_label, amount = self._band(day, age, years)
        month = month_key(day)
        period_id, frozen_at = self._month_facts(month)
        self.period_totals[month] += amount
        self.writer.add("pay_lines", {
            "id": self.ids.next("pay_lines"), "period_id": period_id,
            "kind": "ordinary", "participation_id": participation_id, "person_id": polare.id,
            "walk_id": walk.id, "walk_date": day, "start_time": walk.start,
            "end_time": walk.end, "team_name": team.name, "cost_centre": team.cost_centre,
            "district_name": walk.district_name, "personnummer": polare.personnummer,
            "first_name": polare.first_name, "last_name": polare.last_name, "age": age,
            "years": years, "rate_version_id": version_id, "band_label": band_label,
            "amount": amount, "refers_to_id": None, "reason": "", "created_at": frozen_at})

    # ------------------------------------------------------------ the whole run

    def write_team_data(self, team: TeamInfo) -> None:
        """Write one team's polare, events and walks of every school year."""
        rng = Random(f"{self.plan.seed}:team:{team.id}")
        previous: list[Polare] = []
        for year in self.plan.data_years:
            stints = self.enrol_year(rng, team, year, previous)
            self.write_events(rng, team, year, stints)
            self.write_walks(rng, team, year, stints)
            previous = [s.polare for s in stints if s.ends is None]

    def period_total_updates(self) -> dict[int, Decimal]:
        """Return each closed period's total, by period id."""
        return {self.period_ids[month]: total for month, total in self.period_totals.items()}


# ---------------------------------------------------------------- schema and entry point


def create_schema(database_url: str, app_config: dict[str, Any] | None = None) -> None:
    """Create the schema on an empty database as `flask db upgrade` does."""
    import flask_migrate

    from polare import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "benchmark-schema", **(app_config or {})})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        from polare.extensions import db

        db.engine.dispose()


def model_tables() -> dict[str, Table]:
    """Return the app's tables by name."""
    from polare.extensions import db

    __import__("polare.models")
    return dict(db.metadata.tables)


def _reset_sequences(connection: Connection, tables: dict[str, Table]) -> None:
    """Move PostgreSQL's id sequences past the explicit ids written."""
    for name in TABLE_ORDER:
        table = tables[name]
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        # The names come from TABLE_ORDER above, never from input.
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
            f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))


def bench_engine(database_url: str) -> Engine:
    """Return an engine for bulk writing (SQLite: WAL, no fsync while loading)."""
    engine = create_engine(database_url)
    if engine.dialect.name == "sqlite":
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.close()

    return engine


def _load(connection: Connection, tables: dict[str, Table], plan: Plan, *,
          quiet: bool) -> dict[str, int]:
    """Write the plan's rows in one transaction; return the rows written per table."""
    from polare.auth.passwords import hash_password

    if connection.scalar(select(func.count()).select_from(tables["teams"])):
        raise SystemExit("The database is not empty: generate into a new one.")
    writer = Writer(connection, tables)
    if writer.postgres and connection.scalar(text("SELECT rolsuper FROM pg_roles "
                                                  "WHERE rolname = current_user")):
        # Rows are written parents first and consistent by construction (the smoke tests
        # check it on SQLite): skip the per-row foreign key triggers while loading.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
    generator = Generator(plan, writer, hash_password(BENCH_PASSWORD))
    generator.write_reference()
    teams = generator.write_teams()
    writer.flush()
    for number, team in enumerate(teams, start=1):
        generator.write_team_data(team)
        if not quiet and number % 100 == 0:
            print(f"  {number}/{len(teams)} teams", file=sys.stderr)
    writer.flush()
    periods = tables["pay_periods"]
    for period_id, total in generator.period_total_updates().items():
        connection.execute(update(periods).where(periods.c.id == period_id).values(total=total))
    if writer.postgres:
        _reset_sequences(connection, tables)
    return dict(writer.written)


def _tidy(engine: Engine) -> None:
    """PostgreSQL: VACUUM ANALYZE, as autovacuum would soon; SQLite: fold the WAL back in.

    SQLite gets no ANALYZE: the app never runs one, so the benchmark plans as production does.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def generate(database_url: str, plan: Plan, *, quiet: bool = False,
             app_config: dict[str, Any] | None = None) -> dict[str, int]:
    """Create the schema and write the plan's data; return the rows written per table.

    `app_config` is passed to the app made to run the migrations (tests keep their settings).
    """
    started = clock.perf_counter()
    create_schema(database_url, app_config)
    tables = model_tables()
    engine = bench_engine(database_url)
    try:
        loading = clock.perf_counter()
        with engine.begin() as connection:
            written = _load(connection, tables, plan, quiet=quiet)
        loaded = clock.perf_counter()
        _tidy(engine)
    finally:
        engine.dispose()
    if not quiet:
        total = sum(written.values())
        print(f"{total:,} rows in {loaded - loading:.1f} s: "
              f"{total / max(loaded - loading, 1e-9):,.0f} rows/s "
              f"({clock.perf_counter() - started:.1f} s in all, with schema and "
              f"{'VACUUM ANALYZE' if engine.dialect.name == 'postgresql' else 'checkpoint'}); "
              f"{plan.teams} teams, {plan.years} school years, open month {plan.bench_month}")
        for name in TABLE_ORDER:
            if written.get(name):
                print(f"  {name:<22} {written[name]:>10,}")
    return written


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, required=True)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="the date the data is relative to (default: today in Sweden)")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    if args.teams < 1 or args.years < 1:
        parser.error("--teams and --years must be at least 1")
    return args


def main(argv: list[str] | None = None) -> dict[str, int]:
    """Generate the data the command line asks for."""
    from polare.clock import local_today

    args = parse_args(argv)
    plan = Plan(args.teams, args.years, args.today or local_today(), args.seed)
    return generate(args.database_url, plan)


if __name__ == "__main__":
    main()
