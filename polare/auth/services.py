"""Users: creation, authentication with throttling, password changes, deactivation."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from limits import parse as parse_limit
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from polare.audit.services import changes_between, record, snapshot
from polare.auth import throttle, wording
from polare.auth.models import Role, User
from polare.auth.passwords import (
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
    verify_password_or_dummy,
)
from polare.clock import utcnow
from polare.errors import DomainError, NotFoundError, Refusal
from polare.org.models import Team

USER_FIELDS = ("username", "full_name", "email", "role", "active", "can_attest")


@dataclass(frozen=True)
class LoginPolicy:
    """How many failed logins a username and a client address may have, and for how long."""

    per_username: throttle.Limit = throttle.Limit(5, timedelta(minutes=15))
    per_address: throttle.Limit = throttle.Limit(20, timedelta(minutes=10))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LoginPolicy:
        """Read the policy from the app's settings."""
        per_address = parse_limit(config["LOGIN_RATE_LIMIT"])
        return cls(
            per_username=throttle.Limit(config["LOGIN_MAX_FAILURES"],
                                        timedelta(minutes=config["LOGIN_LOCK_MINUTES"])),
            per_address=throttle.Limit(per_address.amount,
                                       timedelta(seconds=per_address.get_expiry())),
        )


class LoginRefused(Refusal):
    """Wrong username or password, or an inactive account; the failure has been counted.

    Not a `DomainError`: a refusal undoes what its request did, but the failure this one
    counted must outlive the request (the login page keeps it with `keep_on_refusal`), or no
    lock would ever close.
    """


class LoginThrottled(LoginRefused):
    """Too many failed attempts: the username or the address must wait `retry_after` seconds."""

    def __init__(self, code: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(code, field=field, num=_minutes(retry_after))
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        """The refusal, with the minutes to wait in singular or plural."""
        return wording.word_counted(self.code, self.values["num"])


def _teams_by_name(session: Session, names: Sequence[str]) -> list[Team]:
    teams = []
    for name in names:
        team = session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))
        if team is None:
            raise DomainError("auth.team_not_found", field="teams", name=name)
        teams.append(team)
    return teams


def _check_role_teams(role: Role, teams: Sequence[Team]) -> None:
    if role in (Role.COORDINATOR, Role.SUPERVISOR) and not teams:
        raise DomainError("auth.team_required", field="teams")


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
        raise DomainError("auth.username_required", field="username")
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise DomainError("auth.username_taken", field="username", username=username)
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
        raise DomainError("auth.own_role_or_active")
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
    if not active and user.calendar_token is not None:
        user.calendar_token = None  # revoked for good: reactivating does not bring it back
        changes["calendar_feed"] = ["active", "revoked"]
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
        raise NotFoundError("auth.no_such_username", username=username)
    if user.can_attest != allowed:
        user.can_attest = allowed
        record(session, actor, "update", "user", user.id,
               changes={"can_attest": [not allowed, allowed]})
    return user


def set_password(
    session: Session, actor: User | None, user: User, password: str, *, force_change: bool = False
) -> None:
    """Set a new password, log out every session of the user, and audit it.

    Set by someone else (an admin's reset), it also revokes the calendar feed address: whoever
    knew the old password may have copied it. It also lifts a lock from failed logins.
    """
    check_password_rules(password, user.username)
    reset_by_other = actor is not None and actor.id != user.id
    user.password_hash = hash_password(password)
    user.must_change_password = force_change
    user.rotate_session_token()
    note = "changed"
    if reset_by_other:
        note = "reset by admin" if user.calendar_token is None else (
            "reset by admin; calendar feed revoked")
        user.calendar_token = None
    throttle.forget(session, throttle.username_key(user.username))
    record(session, actor, "password", "user", user.id, note=note)


def change_own_password(
    session: Session, user: User, current: str, new: str, policy: LoginPolicy
) -> None:
    """Change the user's own password; wrong current passwords count as failed logins."""
    now = utcnow()
    key = throttle.username_key(user.username)
    wait = throttle.seconds_blocked(session, key, policy.per_username, now)
    if wait:
        raise LoginThrottled("auth.passwords_locked", retry_after=wait,
                             field="current_password")
    if not verify_password(user.password_hash, current):
        failures = throttle.count_failure(session, key, policy.per_username, now)
        record(session, user, "password_change_failed", "user", user.id,
               note=f"wrong current password {failures}")
        raise LoginRefused("auth.wrong_current_password", field="current_password")
    if verify_password(user.password_hash, new):
        raise DomainError("auth.same_password", field="new_password")
    check_password_rules(new, user.username, field="new_password")
    set_password(session, user, user, new)


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def _seconds_blocked(session: Session, keys: dict[str, throttle.Limit],
                     now: datetime) -> int:
    return max(throttle.seconds_blocked(session, key, limit, now) for key, limit in keys.items())


def authenticate(
    session: Session, username: str, password: str, policy: LoginPolicy, *, address: str
) -> User:
    """Return the user if the password is right; count failures per username and address.

    An unknown username, a deactivated account and a wrong password get the same answer,
    after the same argon2 work, and are counted and locked the same way.
    """
    now = utcnow()
    keys = {throttle.username_key(username): policy.per_username,
            throttle.address_key(address): policy.per_address}
    wait = _seconds_blocked(session, keys, now)
    if wait:
        raise LoginThrottled("auth.logins_locked", retry_after=wait)
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    right = verify_password_or_dummy(user.password_hash if user else None, password)
    if user is None or not right or not user.active:
        failures = [throttle.count_failure(session, key, limit, now)
                    for key, limit in keys.items()]
        record(session, None, "login_failed", "user", user.id if user else None,
               note=f"failed login {failures[0]}" if user else "unknown username")
        raise LoginRefused("auth.wrong_credentials")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.forget(session, throttle.username_key(username))
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
        raise NotFoundError("auth.user_not_found")
    return user


def usernames_by_id(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """Return the usernames of the users with the ids (None and unknown ids are left out)."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
