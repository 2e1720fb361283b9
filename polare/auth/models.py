"""Staff users who log in, with their role and teams."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from polare.clock import utcnow
from polare.extensions import db, str_enum
from polare.org.models import Team


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    SUPERVISOR = "supervisor"
    PAYROLL = "payroll"


#: What each role is called on the pages.
ROLE_LABELS = {
    Role.ADMIN: _l("Administratör"),
    Role.COORDINATOR: _l("Samordnare"),
    Role.SUPERVISOR: _l("Handledare"),
    Role.PAYROLL: _l("Lön"),
}


user_teams = Table(
    "user_teams",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


def new_token() -> str:
    """Return a fresh random token for sessions and calendar feeds."""
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    active: Mapped[bool] = mapped_column(default=True)
    #: Part of the login cookie; rotated on logout, password change and deactivation.
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    #: Attesträtt: may attest a pay period closed by someone else.
    can_attest: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Secret of the user's read-only iCalendar feed; None until made, and again once revoked.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    teams: Mapped[list[Team]] = relationship(secondary=user_teams, order_by=Team.name)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Return the login identity: id and session token, so rotating the token logs out."""
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self) -> None:
        """Make every existing login cookie of this user useless."""
        self.session_token = new_token()

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginThrottle(db.Model):
    """Recent failed logins of one username or one client address, shared by every worker."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of "user:<username>" or "address:<address>"; the value itself is not kept.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    #: The count means nothing after this; while failures reach the limit, the key is blocked.
    expires_at: Mapped[datetime] = mapped_column(index=True)
