"""Current time in one place, so that nothing evaluates `now` at import."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Stockholm")


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime (how the database stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Return today's date in Sweden."""
    return datetime.now(LOCAL_TZ).date()
