"""The navigation: each entry is shown to the roles its view declares."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from polare.auth.access import allowed_roles_of


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str


NAV = (
    NavItem("main.index", _l("Översikt")),
    NavItem("roster.index", _l("Polare")),
    NavItem("events.index", _l("Utbildningar")),
    NavItem("walks.index", _l("Nattvandringar")),
    NavItem("walks.approval_queue", _l("Att godkänna")),
    NavItem("pay.periods", _l("Arvoden")),
    NavItem("reports.index", _l("Uppföljning")),
    NavItem("imports.index", _l("Import")),
    NavItem("admin.index", _l("Administration")),
)


def nav_items() -> list[NavItem]:
    """Return the entries whose view exists and lets the current user in."""
    if not current_user.is_authenticated:
        return []
    items = []
    for item in NAV:
        view = current_app.view_functions.get(item.endpoint)
        allowed = allowed_roles_of(view) if view else None
        if allowed and current_user.role in allowed:
            items.append(item)
    return items
