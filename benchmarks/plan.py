"""What a generated country looks like in time: school years, months with walks, closed months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

import payroll

DEFAULT_SEED = 20_261_125


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


def school_year_start(day: date) -> date:
    """Return the start (1 August) of the school year the day belongs to."""
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)


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
        first = school_year_start(self.today).year - self.years + 1
        return [
            SchoolYearSpan(index + 1, f"{year}/{(year + 1) % 100:02d}", date(year, 8, 1),
                           date(year + 1, 7, 31))
            for index, year in enumerate(range(first, school_year_start(self.today).year + 2))
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

    @property
    def period_ids(self) -> dict[str, int]:
        """Return the pay period id of every closed month."""
        return {month: index + 1 for index, month in enumerate(self.closed_months)}

    @staticmethod
    def closed_at(month: str) -> datetime:
        """Return when a closed month was closed (and its lines frozen): five days after."""
        return datetime.combine(month_end(month_start(month)) + timedelta(days=5), time(14, 0))
