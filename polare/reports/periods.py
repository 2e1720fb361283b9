"""Report periods: months, tertials (Jan–Apr, May–Aug, Sep–Dec) and date ranges."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

#: The longest report, in calendar months: three school years.
MAX_REPORT_MONTHS = 36
#: Tertial number -> (first month, last month).
TERTIAL_MONTHS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}
TERTIAL_NAMES = {1: "jan–apr", 2: "maj–aug", 3: "sep–dec"}


def month_key(day: date) -> str:
    """Return the month of a date as 'YYYY-MM'."""
    return f"{day.year:04d}-{day.month:02d}"


def month_span(year: int, month: int) -> tuple[date, date]:
    """Return the first and last day of a calendar month."""
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def span_of_months(first: str, last: str) -> tuple[date, date]:
    """Return the first day of month `first` and the last of month `last` ('YYYY-MM')."""
    return (month_span(*map(int, first.split("-")))[0],
            month_span(*map(int, last.split("-")))[1])


def tertial_of(day: date) -> int:
    """Return the tertial (1, 2 or 3) a date lies in."""
    return (day.month - 1) // 4 + 1


def tertial_span(year: int, tertial: int) -> tuple[date, date]:
    """Return the first and last day of a tertial of a year."""
    first, last = TERTIAL_MONTHS[tertial]
    return date(year, first, 1), month_span(year, last)[1]


def tertial_label(year: int, tertial: int) -> str:
    """Name a tertial, e.g. '2026 T3 (sep–dec)'."""
    return f"{year} T{tertial} ({TERTIAL_NAMES[tertial]})"


def months_between(first: date, last: date) -> list[str]:
    """Return every month from the one of `first` to the one of `last`, as 'YYYY-MM'."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_count(first: date, last: date) -> int:
    """Return how many calendar months a date range touches."""
    return (last.year - first.year) * 12 + last.month - first.month + 1
