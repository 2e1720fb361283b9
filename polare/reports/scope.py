"""What a report covers: a date range, teams and districts, limited to what the user may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, true

from polare.auth.access import team_ids_for
from polare.auth.models import Role, User

#: Roles that see stipend cost: payroll and admin for all teams, coordinators for theirs.
COST_ROLES = frozenset({Role.ADMIN, Role.PAYROLL, Role.COORDINATOR})


@dataclass(frozen=True)
class ReportScope:
    """A date range (inclusive), the teams (None = all) and the districts (empty = all)."""

    date_from: date
    date_to: date
    team_ids: frozenset[int] | None = None
    district_ids: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise ValueError(f"{self.date_to} is before {self.date_from}")

    def dates(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """Return a WHERE clause keeping dates in the range."""
        return and_(column >= self.date_from, column <= self.date_to)

    def teams(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """Return a WHERE clause keeping the scope's teams."""
        return true() if self.team_ids is None else column.in_(self.team_ids)

    def districts(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """Return a WHERE clause keeping the scope's districts."""
        return column.in_(self.district_ids) if self.district_ids else true()

    def has_team(self, team_id: int) -> bool:
        """Tell whether a team is in the scope."""
        return self.team_ids is None or team_id in self.team_ids

    def has_district(self, district_id: int) -> bool:
        """Tell whether a district is in the scope."""
        return not self.district_ids or district_id in self.district_ids


def scope_for(
    user: User | None, date_from: date, date_to: date, *,
    team_ids: Iterable[int] = (), district_ids: Iterable[int] = (),
) -> ReportScope:
    """Return the scope of a report a user asked for, cut down to the teams they may see.

    No teams asked for means every team the user may see; `user` None (the CLI) sees all.
    """
    asked = frozenset(team_ids)
    allowed = None if user is None else team_ids_for(user)
    if allowed is None:
        teams = asked or None
    else:
        teams = frozenset(asked & allowed) if asked else frozenset(allowed)
    return ReportScope(date_from, date_to, teams, frozenset(district_ids))


def sees_cost(user: User | None) -> bool:
    """Tell whether the user may see stipend cost (the CLI, user None, may)."""
    return user is None or user.role in COST_ROLES
