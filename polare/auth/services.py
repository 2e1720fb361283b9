"""Users: creation, authentication with throttling, password changes, deactivation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from polare.audit.services import changes_between, record, snapshot
from polare.auth.models import Role, User
from polare.auth.passwords import (
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
)
from polare.clock import utcnow
from polare.errors import DomainError, NotFoundError
from polare.org.models import Team

USER_FIELDS = ("username", "full_name", "email", "role", "active", "can_attest")


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int = 5
    lock_minutes: int = 15


class LoginRefused(DomainError):
    """Wrong username or password, a locked or an inactive account."""


def _teams_by_name(session: Session, names: Sequence[str]) -> list[Team]:
    teams = []
    for name in names:
        team = session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))
        if team is None:
            raise DomainError(_("Teamet '%(name)s' finns inte.", name=name), field="teams")
        teams.append(team)
    return teams


def _check_role_teams(role: Role, teams: Sequence[Team]) -> None:
    if role in (Role.COORDINATOR, Role.SUPERVISOR) and not teams:
        raise DomainError(_("En samordnare eller handledare måste ha minst ett team."),
                          field="teams")


def create_user(
    session: Session,
    actor: User | None,
    *,
    username: str,
    password: str,
    role: Role,
    teams: Sequence[Team] = (),
    full_name: str = "",
    email: str = "",
    must_change_password: bool = False,
    can_attest: bool = False,
) -> User:
    """Create a staff user; the username must be new and the password meet the rules."""
    username = username.strip()
    if not username:
        raise DomainError(_("Användarnamn krävs."), field="username")
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise DomainError(_("Användarnamnet '%(username)s' är upptaget.", username=username),
                          field="username")
    check_password_rules(password, username)
    _check_role_teams(role, teams)
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        password_hash=hash_password(password),
        role=role,
        teams=list(teams),
        must_change_password=must_change_password,
        can_attest=can_attest,
    )
    session.add(user)
    session.flush()
    record(session, actor, "create", "user", user.id,
           changes={**changes_between({}, snapshot(user, USER_FIELDS)),
                    "teams": [None, [t.name for t in teams]]})
    return user


def create_user_by_team_names(
    session: Session, actor: User | None, *, team_names: Sequence[str], **fields: object
) -> User:
    """Create a user whose teams are given by name (the CLI's way)."""
    return create_user(session, actor, teams=_teams_by_name(session, team_names), **fields)


def update_user(
    session: Session,
    actor: User,
    user: User,
    *,
    full_name: str,
    email: str,
    role: Role,
    teams: Sequence[Team],
    active: bool,
    can_attest: bool | None = None,
) -> User:
    """Change a user's details, role, teams, active flag or attesträtt; deactivation logs them
    out."""
    if user.id == actor.id and (not active or role != user.role):
        raise DomainError(_("Du kan inte ändra din egen roll eller inaktivera dig själv."))
    _check_role_teams(role, teams)
    before = snapshot(user, USER_FIELDS)
    old_teams = sorted(t.name for t in user.teams)
    user.full_name, user.email = full_name.strip(), email.strip()
    user.role, user.active = role, active
    if can_attest is not None:
        user.can_attest = can_attest
    user.teams = list(teams)
    if not active or role != before["role"]:
        user.rotate_session_token()
    changes = changes_between(before, snapshot(user, USER_FIELDS))
    new_teams = sorted(t.name for t in teams)
    if new_teams != old_teams:
        changes["teams"] = [old_teams, new_teams]
    record(session, actor, "update", "user", user.id, changes=changes)
    return user


def set_attest_right(session: Session, actor: User | None, username: str,
                     allowed: bool) -> User:
    """Grant or revoke a user's attesträtt (the right to attest pay periods others closed)."""
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise NotFoundError(_("Det finns ingen användare %(username)s.", username=username))
    if user.can_attest != allowed:
        user.can_attest = allowed
        record(session, actor, "update", "user", user.id,
               changes={"can_attest": [not allowed, allowed]})
    return user


def set_password(
    session: Session, actor: User | None, user: User, password: str, *, force_change: bool = False
) -> None:
    """Set a new password, log out every session of the user, and audit it."""
    check_password_rules(password, user.username)
    user.password_hash = hash_password(password)
    user.must_change_password = force_change
    user.failed_logins = 0
    user.locked_until = None
    user.rotate_session_token()
    record(session, actor, "password", "user", user.id,
           note="reset by admin" if actor is not None and actor.id != user.id else "changed")


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    """Change the user's own password after checking the current one."""
    if not verify_password(user.password_hash, current):
        raise DomainError(_("Nuvarande lösenord är fel."), field="current_password")
    if verify_password(user.password_hash, new):
        raise DomainError(_("Välj ett annat lösenord än det nuvarande."), field="new_password")
    set_password(session, user, user, new)


def _lock_message(locked_until: datetime, now: datetime) -> str:
    minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
    return ngettext("För många misslyckade inloggningar. Försök igen om %(num)s minut.",
                    "För många misslyckade inloggningar. Försök igen om %(num)s minuter.",
                    minutes)


def authenticate(
    session: Session, username: str, password: str, policy: LoginPolicy
) -> User:
    """Return the user if the password is right; count failures and lock after too many."""
    now = utcnow()
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise LoginRefused(_("Fel användarnamn eller lösenord."))
    if user.locked_until is not None and user.locked_until > now:
        raise LoginRefused(_lock_message(user.locked_until, now))
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        note = f"failed login {user.failed_logins}"
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + timedelta(minutes=policy.lock_minutes)
            user.failed_logins = 0
            note = "locked after failed logins"
        record(session, None, "login_failed", "user", user.id, note=note)
        raise LoginRefused(_("Fel användarnamn eller lösenord."))
    if not user.active:
        raise LoginRefused(_("Kontot är inaktiverat. Kontakta en administratör."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record(session, user, "login", "user", user.id)
    return user


def logout(session: Session, user: User) -> None:
    """Rotate the user's session token so that every copy of the cookie stops working."""
    user.rotate_session_token()
    record(session, user, "logout", "user", user.id)


def get_user(session: Session, user_id: int) -> User:
    """Return a user by id or raise NotFoundError."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(_("Användaren finns inte."))
    return user
