"""Template filters: Swedish money, ISO dates, times, stored UTC times shown in local time."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from flask import Flask

from payroll.money import format_sek
from polare.clock import to_local


def iso_date(value: date | datetime | None) -> str:
    """Format a date as 2026-11-24 (a datetime as 2026-11-24 21:05)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def clock(value: time | None) -> str:
    """Format a time as 21:05."""
    return value.strftime("%H:%M") if value else ""


def local_time(value: datetime | None) -> datetime | None:
    """Return a stored UTC time as local time in Sweden (Europe/Stockholm), for display."""
    return None if value is None else to_local(value)


def sek(value: Decimal | int | None) -> str:
    """Format an amount as 1 234,50 kr."""
    return "" if value is None else format_sek(Decimal(value))


def register_filters(app: Flask) -> None:
    """Register the filters on the app's Jinja environment."""
    app.jinja_env.filters["iso"] = iso_date
    app.jinja_env.filters["clock"] = clock
    app.jinja_env.filters["sek"] = sek
    app.jinja_env.filters["local_time"] = local_time
