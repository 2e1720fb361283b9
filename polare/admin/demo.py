"""Demo data for trying the app: one user per role, and example records of each domain."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.auth.models import Role, User
from polare.auth.services import create_user
from polare.org.services import team_by_name

DEMO_PASSWORD = "polare-demo-2026"  # noqa: S105  (printed for trying the app, not a secret)

#: username, role, teams, name, description
DEMO_USERS = (
    ("admin", Role.ADMIN, (), "Alva Admin", "administratör, attesträtt"),
    ("samordnare", Role.COORDINATOR, ("Ryd",), "Sam Ordnare", "samordnare, Ryd"),
    ("handledare", Role.SUPERVISOR, ("Ryd",), "Hanna Handledare", "handledare, Ryd"),
    ("berga", Role.COORDINATOR, ("Berga",), "Bo Berga", "samordnare, Berga"),
    ("lon", Role.PAYROLL, (), "Lena Lön", "lön, alla team"),
)
#: Demo users with attesträtt: a month Lena closes, Alva attests.
DEMO_ATTESTANTS = frozenset({"admin"})


def load_demo_users(session: Session) -> list[tuple[str, str]]:
    """Create the demo users that are missing; return every demo login."""
    for username, role, team_names, full_name, _description in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)):
            continue
        teams = [team_by_name(session, name) for name in team_names]
        create_user(session, None, username=username, password=DEMO_PASSWORD, role=role,
                    teams=[t for t in teams if t is not None], full_name=full_name,
                    can_attest=username in DEMO_ATTESTANTS)
    return [(username, description) for username, _r, _t, _n, description in DEMO_USERS]


def load_demo(session: Session, today: date) -> list[tuple[str, str]]:
    """Load every kind of demo data, idempotently; return the demo logins."""
    from polare.events import demo as events_demo
    from polare.pay import demo as payroll_demo
    from polare.privacy import demo as privacy_demo
    from polare.reports import demo as reports_demo
    from polare.roster import demo as roster_demo
    from polare.walks import demo as walks_demo

    logins = load_demo_users(session)
    # Order matters: walks need enrolled polare, payroll and reports read the walks.
    for domain in (roster_demo, privacy_demo, events_demo, walks_demo, payroll_demo,
                   reports_demo):
        domain.load_demo(session, today)
    return logins
