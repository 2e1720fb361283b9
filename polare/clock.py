"""Current time in one place, so that nothing evaluates `now` at import."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Stockholm")


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime (how the database stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """Return a stored (naive) UTC time as Swedish local time, naive like the stored one."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ).replace(tzinfo=None)


def utc_start_of_local_day(day: date) -> datetime:
    """Return the stored (naive UTC) time at which the Swedish day begins."""
    return (datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)
            .replace(tzinfo=None))


def local_now() -> datetime:
    """Return the local time in Sweden, naive like the walks' times."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None)


def local_today() -> date:
    """Return today's date in Sweden."""
    return datetime.now(LOCAL_TZ).date()
