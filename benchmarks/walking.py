"""Night walks of a generated country: staff, participants, attendance, incidents, and the
frozen pay lines of the closed months (computed by the `payroll` rules themselves)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from random import Random

import payroll
from benchmarks import names
from benchmarks.bulk import Ids, Writer
from benchmarks.people import (
    DISTRICTS_PER_TEAM,
    Polare,
    Stint,
    TeamInfo,
    home_district_id,
    rate_versions,
    team_name,
)
from benchmarks.plan import Plan, SchoolYearSpan, month_end, month_key, school_year_start
from polare.walks.seed import INCIDENT_CATEGORIES

#: Participants per walk and their weights: mean about 5.2.
WALK_SIZES = (3, 4, 5, 6)
WALK_SIZE_WEIGHTS = (1, 2, 3, 6)
WALK_STARTS = (time(18, 0), time(18, 30), time(19, 0))
#: A walk's version after the saves its status took (planned, logged, approved ...).
WALK_VERSIONS = {"planned": 1, "cancelled": 2, "completed": 2, "approved": 3}


@dataclass(frozen=True)
class WalkFacts:
    """What a walk's pay lines repeat of it."""

    id: int
    day: date
    status: str
    start: time
    end: time
    district_name: str


class Walks:
    """Writes every team's walks; pays the closed months' participations as frozen lines."""

    def __init__(self, plan: Plan, writer: Writer, ids: Ids) -> None:
        self.plan = plan
        self.writer = writer
        self.ids = ids
        self.versions = rate_versions(plan)
        self.closed = set(plan.closed_months)
        self.period_totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))

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
        return self.plan.closed_at(self.plan.closed_months[-1]) + timedelta(days=days)

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
            district_id = home_district_id(neighbour)
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

    @cache  # noqa: B019 (one per generated database; the cache dies with it)
    def _band(self, day: date, age: int, years: int) -> tuple[int, payroll.RateBand]:
        """Return the version id and the band for a walk's date, age and years."""
        version = payroll.version_in_force(self.versions, day)
        return version.id, payroll.find_band(version, age, years)

    @cache  # noqa: B019
    def _month_facts(self, month: str) -> tuple[int, datetime]:
        """Return a closed month's period id and when its lines were frozen."""
        return self.plan.period_ids[month], self.plan.closed_at(month)

    def _pay_line(self, team: TeamInfo, participation_id: int, walk: WalkFacts,
                  polare: Polare) -> None:
        day = walk.day
        age, years = payroll.age_on(polare.birth_date, day), polare.years_on(
            school_year_start(day))
        version_id, band = self._band(day, age, years)
        amount = band.amount
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
            "years": years, "rate_version_id": version_id, "band_label": band.label,
            "band_age_from": band.age_from, "band_age_to": band.age_to,
            "band_years_from": band.years_from, "band_years_to": band.years_to,
            "amount": amount, "refers_to_id": None, "reason": "", "created_at": frozen_at})

    def period_total_updates(self) -> dict[int, Decimal]:
        """Return each closed period's total, by period id."""
        return {self.plan.period_ids[month]: total for month, total in self.period_totals.items()}
