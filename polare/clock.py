"""Current time in one place, so that nothing evaluates `now` at import.

Every reading of the time goes through one source, the system clock. Tests freeze or move time
with `set_clock` (the `clock` fixture) and nowhere else.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Stockholm")


def _system_now() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system_now


def set_clock(source: Callable[[], datetime] | None) -> None:
    """Read the time from `source` (returning an aware datetime); None: the system clock."""
    global _source  # noqa: PLW0603  (the one seam every reading of the time goes through)
    _source = source or _system_now


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime (how the database stores it)."""
    return _source().astimezone(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """Return a stored (naive) UTC time as Swedish local time, naive like the stored one."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ).replace(tzinfo=None)


def utc_start_of_local_day(day: date) -> datetime:
    """Return the stored (naive UTC) time at which the Swedish day begins."""
    return (datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)
            .replace(tzinfo=None))


def local_now() -> datetime:
    """Return the local time in Sweden, naive like the walks' times."""
    return _source().astimezone(LOCAL_TZ).replace(tzinfo=None)


def local_today() -> date:
    """Return today's date in Sweden."""
    return local_now().date()
