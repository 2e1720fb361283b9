"""Reference data of SPEC §2, loaded idempotently by `flask seed`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.org.models import District, SchoolYear, Team
from polare.org.services import (
    default_school_year_span,
    get_settings,
    save_district,
    save_school_year,
    save_team,
    team_by_name,
)

#: Team -> (cost centre, surrounding districts); the home district has the team's name.
TEAMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Skäggetorp": ("KS-4101", ("Ljungsbro", "Linghem", "Bankekind", "Askeby", "Stjärnorp")),
    "Ryd": (
        "KS-4102",
        ("Vikingstad", "Lambohov", "Malmslätt", "Slaka", "Västerlösa", "Nykil", "Ulrika"),
    ),
    "Berga": ("KS-4103", ("City", "Ekholmen", "Sturefors", "Bestorp", "Brokind")),
}

FIRST_SCHOOL_YEAR = 2024


def current_school_year_start(today: date) -> int:
    """Return the calendar year in which the school year containing `today` began."""
    return today.year if today.month >= 8 else today.year - 1


def seed_reference_data(session: Session, today: date) -> list[str]:
    """Load teams, districts, settings and school years 2024/25 to next year; return news."""
    created: list[str] = []
    get_settings(session)
    for name, (cost_centre, surrounding) in TEAMS.items():
        team = team_by_name(session, name)
        if team is None:
            team = save_team(session, None, None, name=name, cost_centre=cost_centre)
            created.append(f"team {name}")
        for district_name, is_home in [(name, True), *((d, False) for d in surrounding)]:
            if session.scalar(select(District.id).where(District.name == district_name)):
                continue
            save_district(session, None, None, name=district_name, team_id=team.id,
                          is_home=is_home)
            created.append(f"stadsdel {district_name}")
    for start_year in range(FIRST_SCHOOL_YEAR, current_school_year_start(today) + 2):
        label, starts_on, ends_on = default_school_year_span(start_year)
        if session.scalar(select(SchoolYear.id).where(SchoolYear.label == label)):
            continue
        save_school_year(session, None, None, label=label, starts_on=starts_on, ends_on=ends_on)
        created.append(f"läsår {label}")
    return created


def all_teams(session: Session) -> list[Team]:
    """Return every team, by name."""
    return list(session.scalars(select(Team).order_by(Team.name)))
