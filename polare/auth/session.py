"""Flask-Login wiring: the cookie identity is the user id plus a rotating session token."""

from __future__ import annotations

import hmac

from flask import Flask
from flask_babel import lazy_gettext as _l

from polare.auth.models import User
from polare.extensions import db, login_manager


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """Return the user of a cookie whose token still matches; otherwise nobody."""
    user_id, _, token = identity.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    return user


def init_login(app: Flask) -> None:
    """Configure Flask-Login for the app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logga in för att fortsätta.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
