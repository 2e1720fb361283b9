"""Access rules in one place: every view declares its roles; team scope is checked here.

`enforce_access` runs before every request. A view without a declaration is refused (403), so a
new route must say who may use it; the role × endpoint test reads the same declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, true

from polare.auth.models import Role, User

F = TypeVar("F", bound=Callable[..., Any])

ALL_ROLES = frozenset(Role)
#: Roles whose access covers every team.
ALL_TEAM_ROLES = frozenset({Role.ADMIN, Role.PAYROLL})

#: Endpoints a user who must change password may still reach.
_PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.change_password", "auth.logout", "main.language"})


def roles(*allowed: Role) -> Callable[[F], F]:
    """Declare which roles may use a view (admin is always allowed)."""

    def decorate(view: F) -> F:
        view.allowed_roles = frozenset(allowed) | {Role.ADMIN}  # type: ignore[attr-defined]
        return view

    return decorate


def public(view: F) -> F:
    """Declare a view open to anonymous users."""
    view.public = True  # type: ignore[attr-defined]
    return view


def allowed_roles_of(view: Callable[..., Any]) -> frozenset[Role] | None:
    """Return the roles declared for a view, or None when it has no declaration."""
    return getattr(view, "allowed_roles", None)


def enforce_access() -> Any:
    """Refuse the request unless the endpoint's declaration lets the current user in."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static" or endpoint.startswith("bootstrap."):
        return None
    view = current_app.view_functions[endpoint]
    if getattr(view, "public", False):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    allowed = allowed_roles_of(view)
    if allowed is None or current_user.role not in allowed:
        abort(403)
    if current_user.must_change_password and endpoint not in _PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("auth.change_password"))
    return None


def team_ids_for(user: User) -> set[int] | None:
    """Return the ids of the teams the user works with, or None for all teams."""
    if user.role in ALL_TEAM_ROLES:
        return None
    return {team.id for team in user.teams}


def can_access_team(user: User, team_id: int | None) -> bool:
    """Tell whether the user may see and change data of the team."""
    ids = team_ids_for(user)
    return ids is None or team_id in ids


def can_access_any_team(user: User, team_ids: Iterable[int | None]) -> bool:
    """Tell whether the user works with at least one of the teams."""
    ids = team_ids_for(user)
    return ids is None or any(team_id in ids for team_id in team_ids)


def ensure_team(user: User, team_id: int | None) -> None:
    """Answer 404 for a record of a team the user does not work with (nothing leaks)."""
    if not can_access_team(user, team_id):
        abort(404)


def team_filter(user: User, column: ColumnElement[Any]) -> ColumnElement[bool]:
    """Return a WHERE clause restricting `column` (a team id) to the user's teams."""
    ids = team_ids_for(user)
    if ids is None:
        return true()
    return column.in_(ids)


def can_see_full_personnummer(user: User, person_team_ids: Iterable[int]) -> bool:
    """Tell whether the user may see a person's full personnummer (SPEC §11)."""
    if user.role in ALL_TEAM_ROLES:
        return True
    if user.role != Role.COORDINATOR:
        return False
    ids = team_ids_for(user) or set()
    return any(team_id in ids for team_id in person_team_ids)
