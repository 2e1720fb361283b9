"""Lookups by full personnummer: who may make them, how many per user, and their audit trail.

A full number finds one person, so every lookup (roster search by number, registering a number
or changing a person's number, enrolling an existing person, a `polare` import's match on
another team's person) counts against a per-user limit (`PNR_LOOKUP_LIMIT`, e.g. "30 per
hour") and writes an audit entry.
"""

from __future__ import annotations

import time

from flask import current_app
from limits import parse

from polare.auth.models import Role, User
from polare.errors import DomainError
from polare.extensions import limiter

#: Roles that see full personnummer and so may search by one (admin always may).
LOOKUP_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


class LookupLimitError(DomainError):
    """The user made too many personnummer lookups; they may try again later."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__("privacy.lookup_limit", field="personnummer", n=minutes)
        self.retry_after = retry_after


def may_look_up_personnummer(user: User) -> bool:
    """Tell whether the user may look a person up by full personnummer (not supervisors)."""
    return user.role in LOOKUP_ROLES


def count_personnummer_lookup(user: User) -> None:
    """Count one lookup for the user; refuse it when the user's limit is used up."""
    item = parse(current_app.config["PNR_LOOKUP_LIMIT"])
    if not limiter.limiter.hit(item, "personnummer-lookup", str(user.id)):
        raise _limit_reached(user)


def lookups_used_up(user: User) -> LookupLimitError | None:
    """Return the refusal the user's next lookup would get, or None; count nothing."""
    item = parse(current_app.config["PNR_LOOKUP_LIMIT"])
    if limiter.limiter.test(item, "personnummer-lookup", str(user.id)):
        return None
    return _limit_reached(user)


def _limit_reached(user: User) -> LookupLimitError:
    item = parse(current_app.config["PNR_LOOKUP_LIMIT"])
    reset_at, _remaining = limiter.limiter.get_window_stats(item, "personnummer-lookup",
                                                            str(user.id))
    return LookupLimitError(max(1, int(reset_at - time.time())))
