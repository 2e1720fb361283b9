"""Teams, districts, school years, team-years and settings."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import payroll
from polare.audit.services import changes_between, record, snapshot
from polare.errors import DomainError, NotFoundError
from polare.org.models import District, SchoolYear, Settings, Team, TeamYear
from polare.pay.models import PayPeriod, PeriodStatus

SETTINGS_FIELDS = (
    "default_cap",
    "min_age",
    "max_age",
    "pay_code",
    "minor_latest_end",
    "retention_months",
    "deletion_decision_ref",
    "applications_next_year_from",
    "first_pay_period",
)


def get_settings(session: Session) -> Settings:
    """Return the settings row, creating it with the defaults if missing."""
    settings = session.get(Settings, 1)
    if settings is None:
        settings = Settings(id=1)
        session.add(settings)
        session.flush()
    return settings


def update_settings(session: Session, actor: object, **values: object) -> Settings:
    """Change settings; the eligible age range must be sensible."""
    settings = get_settings(session)
    min_age = values.get("min_age", settings.min_age)
    max_age = values.get("max_age", settings.max_age)
    if min_age > max_age:  # type: ignore[operator]
        raise DomainError("org.ages_reversed", field="min_age")
    first = values.get("first_pay_period", settings.first_pay_period) or None
    if first != settings.first_pay_period:
        _check_first_pay_period(session, first)
    before = snapshot(settings, SETTINGS_FIELDS)
    for name, value in values.items():
        if name not in SETTINGS_FIELDS:
            raise ValueError(name)
        setattr(settings, name, value)
    record(session, actor, "update", "settings", 1,
           changes=changes_between(before, snapshot(settings, SETTINGS_FIELDS)))
    return settings


def _check_first_pay_period(session: Session, month: str | None) -> None:
    """Refuse a first pay period that is no month, or any change once a month is closed."""
    if month is not None:
        try:
            payroll.parse_month(month)
        except payroll.InvalidMonthError as error:
            raise DomainError("org.first_pay_period_format", field="first_pay_period") from error
    closed = session.scalar(select(func.min(PayPeriod.month)).where(
        PayPeriod.status.in_((PeriodStatus.CLOSED, PeriodStatus.ATTESTED))))
    if closed is not None:
        raise DomainError("org.first_pay_period_closed", field="first_pay_period", month=closed)


def get_team(session: Session, team_id: int) -> Team:
    """Return a team or raise NotFoundError."""
    team = session.get(Team, team_id)
    if team is None:
        raise NotFoundError("org.team_not_found")
    return team


def team_by_name(session: Session, name: str) -> Team | None:
    """Return the team with this name (case-insensitive), if any."""
    return session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))


def save_team(
    session: Session, actor: object, team: Team | None, *, name: str, cost_centre: str,
    active: bool = True,
) -> Team:
    """Create or change a team; names are unique."""
    name = name.strip()
    clash = team_by_name(session, name)
    if clash is not None and clash is not team:
        raise DomainError("org.team_name_taken", name=name,
                          field="name")
    is_new = team is None
    team = team or Team(name=name)
    before = {} if is_new else snapshot(team, ("name", "cost_centre", "active"))
    team.name, team.cost_centre, team.active = name, cost_centre.strip(), active
    session.add(team)
    session.flush()
    record(session, actor, "create" if is_new else "update", "team", team.id,
           changes=changes_between(before, snapshot(team, ("name", "cost_centre", "active"))))
    return team


def save_district(
    session: Session, actor: object, district: District | None, *, name: str, team_id: int,
    is_home: bool = False,
) -> District:
    """Create or change a district; names are unique."""
    name = name.strip()
    clash = session.scalar(select(District).where(func.lower(District.name) == name.lower()))
    if clash is not None and clash is not district:
        raise DomainError("org.district_name_taken", field="name", name=name)
    get_team(session, team_id)
    is_new = district is None
    district = district or District(name=name, team_id=team_id)
    fields = ("name", "team_id", "is_home")
    before = {} if is_new else snapshot(district, fields)
    district.name, district.team_id, district.is_home = name, team_id, is_home
    session.add(district)
    session.flush()
    record(session, actor, "create" if is_new else "update", "district", district.id,
           changes=changes_between(before, snapshot(district, fields)))
    return district


def default_school_year_span(start_year: int) -> tuple[str, date, date]:
    """Return the label and default span (1 August – 31 July) of the year starting then."""
    return (f"{start_year}/{(start_year + 1) % 100:02d}", date(start_year, 8, 1),
            date(start_year + 1, 7, 31))


def save_school_year(
    session: Session, actor: object, school_year: SchoolYear | None, *, label: str,
    starts_on: date, ends_on: date,
) -> SchoolYear:
    """Create or change a school year; it may not overlap another."""
    label = label.strip()
    if starts_on >= ends_on:
        raise DomainError("org.school_year_reversed", field="ends_on")
    overlapping = session.scalar(
        select(SchoolYear).where(
            SchoolYear.starts_on <= ends_on,
            SchoolYear.ends_on >= starts_on,
            SchoolYear.id != (school_year.id if school_year else -1),
        )
    )
    if overlapping is not None:
        raise DomainError("org.school_year_overlaps", field="starts_on", label=overlapping.label,
                          start=overlapping.starts_on.isoformat(),
                          end=overlapping.ends_on.isoformat())
    clash = session.scalar(select(SchoolYear).where(SchoolYear.label == label))
    if clash is not None and clash is not school_year:
        raise DomainError("org.school_year_label_taken", field="label", label=label)
    is_new = school_year is None
    school_year = school_year or SchoolYear(label=label, starts_on=starts_on, ends_on=ends_on)
    fields = ("label", "starts_on", "ends_on")
    before = {} if is_new else snapshot(school_year, fields)
    school_year.label, school_year.starts_on, school_year.ends_on = label, starts_on, ends_on
    session.add(school_year)
    session.flush()
    record(session, actor, "create" if is_new else "update", "school_year", school_year.id,
           changes=changes_between(before, snapshot(school_year, fields)))
    return school_year


def school_year_on(session: Session, day: date) -> SchoolYear | None:
    """Return the school year the day belongs to, if any."""
    return session.scalar(
        select(SchoolYear).where(SchoolYear.starts_on <= day, SchoolYear.ends_on >= day)
    )


def ensure_team_year(session: Session, team_id: int, school_year_id: int) -> TeamYear:
    """Return the team-year row, creating it with the default cap when missing."""
    team_year = session.scalar(
        select(TeamYear).where(
            TeamYear.team_id == team_id, TeamYear.school_year_id == school_year_id
        )
    )
    if team_year is None:
        team_year = TeamYear(team_id=team_id, school_year_id=school_year_id,
                             cap=get_settings(session).default_cap)
        session.add(team_year)
        session.flush()
    return team_year


def lock_team_year(session: Session, team_id: int, school_year_id: int) -> TeamYear:
    """Return the team-year row locked for update (PostgreSQL); SQLite holds its write lock."""
    team_year = ensure_team_year(session, team_id, school_year_id)
    return session.scalars(
        select(TeamYear).where(TeamYear.id == team_year.id).with_for_update()
    ).one()


def set_team_year_cap(
    session: Session, actor: object, team_id: int, school_year_id: int, cap: int
) -> TeamYear:
    """Change the cap of a team in a school year."""
    if cap < 0:
        raise DomainError("org.cap_negative", field="cap")
    team_year = lock_team_year(session, team_id, school_year_id)
    old = team_year.cap
    team_year.cap = cap
    record(session, actor, "update", "team_year", team_year.id, changes={"cap": [old, cap]})
    return team_year


def minor_latest_end(session: Session) -> time:
    """Return the latest end time for polare under 18."""
    return get_settings(session).minor_latest_end
