"""Failed-login counters per username and per client address, kept in the database.

Only failures count, so an office behind one address is never locked out by its own logins.
The counters live in the database (not in a worker's memory), so every worker and app server
sees the same counts. A key is a hash: attempted usernames and addresses are not stored.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from polare.auth.models import LoginThrottle
from polare.upserts import upsert


@dataclass(frozen=True)
class Limit:
    """At most `failures` failed attempts within `window`; reaching it blocks for `window`."""

    failures: int
    window: timedelta


def username_key(username: str) -> str:
    """Return the counter key of a username (as typed, case and spaces ignored)."""
    return _key("user", username.strip().casefold())


def address_key(address: str) -> str:
    """Return the counter key of a client address."""
    return _key("address", address)


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def seconds_blocked(session: Session, key: str, limit: Limit, now: datetime) -> int:
    """Return how many seconds the key must wait before trying again (0: it may try now)."""
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == key))
    if row is None or row.expires_at <= now or row.failures < limit.failures:
        return 0
    return max(1, math.ceil((row.expires_at - now).total_seconds()))


def count_failure(session: Session, key: str, limit: Limit, now: datetime) -> int:
    """Count one failure of the key and return its failures in the current window."""
    session.execute(
        upsert(session, LoginThrottle).values(key=key, failures=0, expires_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.scalars(
        select(LoginThrottle).where(LoginThrottle.key == key)
        .with_for_update().execution_options(populate_existing=True)
    ).one()
    if row.expires_at <= now:
        row.failures, row.expires_at = 0, now + limit.window
    row.failures += 1
    if row.failures >= limit.failures:
        row.expires_at = now + limit.window  # blocked for a whole window from now
    session.execute(delete(LoginThrottle).where(LoginThrottle.expires_at < now))
    session.flush()
    return row.failures


def forget(session: Session, key: str) -> None:
    """Drop the key's failures (after a successful login or a new password)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
