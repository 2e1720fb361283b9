"""Teams, districts, staff, polare, guardians, enrolments and events of a generated country."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from stdnum import luhn

import payroll
from benchmarks import names
from benchmarks.bulk import Ids, Writer
from benchmarks.plan import Plan, SchoolYearSpan
from polare.events.seed import EVENT_TYPES
from polare.roster.sorting import swedish_sort_key
from polare.walks.seed import INCIDENT_CATEGORIES

#: Every generated staff account has this password.
BENCH_PASSWORD = "polare-bench-2026"  # noqa: S105 (a published benchmark password)
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
#: The employer's contribution on every stipend (arbetsgivaravgift), in per cent.
CONTRIBUTION_PERCENT = Decimal("31.42")

#: (event type, month, day, title) of every team's events in a school year.
TEAM_EVENTS = (
    ("Introduktion", 8, 14, "Introduktion för nya polare"),
    ("Ledarskapsutbildning", 9, 9, "Ledarskapsutbildning del 1"),
    ("Föräldramöte", 9, 22, "Föräldramöte hösten"),
    ("Nätverksträff", 11, 12, "Nätverksträff"),
    ("Informationstillfälle", 2, 4, "Information om sommarlovet"),
    ("Nätverksträff", 4, 15, "Nätverksträff våren"),
)


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


def home_district_id(team_id: int) -> int:
    """Return the id of a team's home district (every team has five, written in order)."""
    return (team_id - 1) * DISTRICTS_PER_TEAM + 1


def rate_versions(plan: Plan) -> tuple[payroll.RateVersion, ...]:
    """Return the rate table from the first school year and its indexed successor."""
    first = plan.data_years[0].starts_on
    bands = tuple(payroll.RateBand(*band) for band in RATE_BANDS)
    base = payroll.RateVersion(1, first, bands, f"Arvoden från {first.isoformat()}")
    indexed_from = date(first.year + 1, 1, 1)
    indexed = payroll.index_version(base, INDEX_PERCENT, indexed_from, new_id=2,
                                    label=f"Uppräknad {INDEX_PERCENT} % från "
                                          f"{indexed_from.isoformat()}")
    return (base, indexed)


class People:
    """Writes the reference data, the teams with their staff, and every team's polare."""

    def __init__(self, plan: Plan, writer: Writer, ids: Ids, password_hash: str) -> None:
        self.plan = plan
        self.writer = writer
        self.ids = ids
        self.password_hash = password_hash
        self.personnummer_taken: set[str] = set()
        self.now = datetime.combine(plan.today, time(8, 0))

    def write_reference(self) -> None:
        """Write settings, event types, incident categories, school years and the rates."""
        add = self.writer.add
        add("settings", {"id": 1, "default_cap": POLARE_PER_TEAM, "min_age": 15, "max_age": 20,
                         "pay_code": "ARVODE", "minor_latest_end": time(22, 0),
                         "retention_months": 24, "deletion_decision_ref": "KS 2024-117"})
        for order, (name, name_en, required) in enumerate(EVENT_TYPES):
            add("event_types", {"id": order + 1, "name": name, "name_en": name_en,
                                "required": required, "active": True, "sort_order": order})
        for order, (name, name_en) in enumerate(INCIDENT_CATEGORIES):
            add("incident_categories", {"id": order + 1, "name": name, "name_en": name_en,
                                        "active": True, "sort_order": order})
        for year in self.plan.school_years:
            add("school_years", {"id": year.id, "label": year.label,
                                 "starts_on": year.starts_on, "ends_on": year.ends_on})
        for version in rate_versions(self.plan):
            add("rate_versions", {
                "id": version.id, "effective_from": version.effective_from,
                "label": version.label, "note": "Syntetisk arvodestabell",
                "label_en": "", "note_en": "Synthetic rate table",
                "indexed_from_id": 1 if version.id == 2 else None,
                "index_percent": INDEX_PERCENT if version.id == 2 else None,
                "created_by_id": PAYROLL_ID, "created_at": self.now,
                "decision_reference": f"KS 2024-{117 + version.id}",
                "decision_date": version.effective_from})
            for band in version.bands:
                add("rate_rows", {
                    "id": self.ids.next("rate_rows"), "version_id": version.id,
                    "age_from": band.age_from, "age_to": band.age_to,
                    "years_from": band.years_from, "years_to": band.years_to,
                    "amount": band.amount})
        # The employer's contribution, decided, as a real installation has it (without it
        # every stipend would be noted as unpriced on the cost pages).
        add("employer_contribution_rates", {
            "id": 1, "label": "Arbetsgivaravgift",
            "valid_from": self.plan.school_years[0].starts_on, "valid_to": None,
            "age_from": 0, "age_to": None, "rate_percent": CONTRIBUTION_PERCENT,
            "is_example": False})
        for month, period_id in self.plan.period_ids.items():
            add("pay_periods", {"id": period_id, "month": month, "status": "closed",
                                "closed_by_id": PAYROLL_ID,
                                "closed_at": self.plan.closed_at(month), "total": None,
                                "reopen_reason": ""})

    def _user(self, user_id: int, username: str, full_name: str, role: str) -> None:
        self.writer.add("users", {
            "id": user_id, "username": username, "full_name": full_name,
            "email": f"{username}@example.se", "password_hash": self.password_hash,
            "role": role, "active": True, "session_token": f"bench-{user_id:08d}-{self.plan.seed}",
            "must_change_password": False, "can_attest": False,
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
        if payroll.age_on(polare.birth_date, consent_on) < 18:
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
                     if rng.random() < 0.5 and payroll.age_on(p.birth_date, year.starts_on) <= 19]
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
        type_ids = {name: index + 1 for index, (name, *_rest) in enumerate(EVENT_TYPES)}
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
