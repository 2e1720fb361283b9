"""The rules of a walk (SPEC §5): its span, who may walk and staff it, and its warnings."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from payroll.ages import age_on
from polare.auth.models import Role, User
from polare.errors import DomainError
from polare.events.training import missing_required_training
from polare.org.models import SchoolYear
from polare.org.services import get_settings, school_year_on
from polare.roster.models import Enrolment, Person
from polare.roster.services.visibility import UnknownPersonError, scope_team_ids
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkStatus
from polare.walks.roles import STAFF_ROLES
from polare.wording import word

MAX_DURATION = timedelta(hours=12)
#: Polare under this age get the late-end warning.
ADULT_AGE = 18
#: A latest end for minors before noon is read as the next morning (e.g. 00:30).
_NOON = time(12, 0)


class OverlapError(DomainError):
    """A polare is already on a walk whose time overlaps; `more` others clash too."""

    def __init__(self, *, field: str, more: int, **values: object) -> None:
        super().__init__("walks.overlap", field=field, **values)
        self.more = more

    @property
    def message(self) -> str:
        """The first clash, and how many more polare clash."""
        first = super().message
        if not self.more:
            return first
        return f"{first} {word(DomainError('walks.overlap_more', n=self.more))}"


def walk_span(walk_date: date, start_time: time, end_time: time) -> tuple[datetime, datetime]:
    """Return when the walk starts and ends; an end at or before the start is next morning."""
    starts_at = datetime.combine(walk_date, start_time)
    end_day = walk_date if end_time > start_time else walk_date + timedelta(days=1)
    ends_at = datetime.combine(end_day, end_time)
    if ends_at - starts_at > MAX_DURATION:
        hours = format_hours(ends_at - starts_at)
        raise DomainError("walks.too_long", field="end_time", start=start_time.strftime("%H:%M"),
                          end=end_time.strftime("%H:%M"), hours=hours)
    return starts_at, ends_at


def format_hours(span: timedelta) -> str:
    """Format a duration in hours the Swedish way: 3,5."""
    hours = span.total_seconds() / 3600
    return f"{hours:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def check_counts(youths_met: int | None, youths_talked: int | None) -> None:
    """Refuse counts that are not whole numbers with 0 ≤ talked ≤ met."""
    if (youths_met is None) != (youths_talked is None):
        field = "youths_talked" if youths_talked is None else "youths_met"
        raise DomainError("walks.counts_incomplete", field=field)
    if youths_met is None or youths_talked is None:
        return
    if youths_met < 0:
        raise DomainError("walks.met_negative", field="youths_met")
    if youths_talked < 0:
        raise DomainError("walks.talked_negative", field="youths_talked")
    if youths_talked > youths_met:
        raise DomainError("walks.talked_more_than_met", field="youths_talked",
                          talked=youths_talked, met=youths_met)


def check_staff(session: Session, team_id: int, staff_ids: Collection[int]) -> list[User]:
    """Return the staff users; at least one, each active and working with the team."""
    if not staff_ids:
        raise DomainError("walks.staff_required", field="staff_ids")
    users = list(session.scalars(
        select(User).options(selectinload(User.teams)).where(User.id.in_(set(staff_ids)))
    ))
    if len(users) != len(set(staff_ids)):
        raise DomainError("walks.staff_unknown", field="staff_ids")
    for user in users:
        if not is_walk_staff(user, team_id):
            raise DomainError("walks.staff_not_allowed", field="staff_ids",
                              name=user.display_name)
    return users


def is_walk_staff(user: User, team_id: int) -> bool:
    """Tell whether the user can be responsible staff on a walk of the team."""
    if not user.active:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role in STAFF_ROLES and any(team.id == team_id for team in user.teams)


def enrolment_active_on(day: date) -> list[ColumnElement[bool]]:
    """Return the conditions of an enrolment active on the day (SPEC §3), joined to its year."""
    return [
        Enrolment.activated_on <= day,
        or_(Enrolment.ended_on.is_(None), Enrolment.ended_on > day),
        SchoolYear.starts_on <= day,
        SchoolYear.ends_on >= day,
    ]


def persons_with_active_enrolment(
    session: Session, person_ids: Collection[int], day: date,
    team_ids: Collection[int] | None = None,
) -> set[int]:
    """Return those of the persons with an enrolment active on the day (in any of the teams)."""
    if not person_ids:
        return set()
    query = (
        select(Enrolment.person_id)
        .join(SchoolYear, SchoolYear.id == Enrolment.school_year_id)
        .where(Enrolment.person_id.in_(set(person_ids)), *enrolment_active_on(day))
    )
    if team_ids is not None:
        query = query.where(Enrolment.team_id.in_(set(team_ids)))
    return set(session.scalars(query))


def load_persons(
    session: Session, person_ids: Collection[int], field: str = "person_ids"
) -> dict[int, Person]:
    """Return the persons by id, refusing ids that do not exist as unknown."""
    persons = {p.id: p for p in session.scalars(
        select(Person).where(Person.id.in_(set(person_ids))))}
    if len(persons) != len(set(person_ids)):
        raise UnknownPersonError(field=field)
    return persons


def check_active_in_actor_teams(
    session: Session, actor: User | None, persons: dict[int, Person], day: date,
    field: str = "person_ids",
) -> None:
    """Refuse polare active only in teams the actor does not work with (SPEC §11).

    A polare of another team walks with a team only when someone who works with both teams
    (admin, or a coordinator of both) puts them on the walk.
    """
    scope = scope_team_ids(actor)
    if scope is None or not persons:
        return
    here = persons_with_active_enrolment(session, persons.keys(), day, team_ids=scope)
    others = [persons[pid].full_name for pid in persons if pid not in here]
    if others:
        raise DomainError("walks.outside_actor_teams", field=field,
                          names=", ".join(sorted(others)), day=day.isoformat())


def lock_persons(session: Session, person_ids: Collection[int]) -> None:
    """Lock the persons' rows (PostgreSQL) so two walks cannot take them at once.

    The lock (FOR NO KEY UPDATE) makes a second planner of the same persons wait, but not a
    transaction that only refers to them (an audit entry naming them): that one may hold a
    team's follow-up row this planner is about to raise, and waiting for each other would be a
    deadlock.
    """
    if person_ids:
        session.execute(
            select(Person.id).where(Person.id.in_(set(person_ids)))
            .order_by(Person.id).with_for_update(key_share=True)
        ).all()


def check_enrolments(
    session: Session, persons: dict[int, Person], walk_date: date, field: str = "person_ids"
) -> None:
    """Refuse polare without an active enrolment on the walk's date."""
    active = persons_with_active_enrolment(session, persons.keys(), walk_date)
    missing = [persons[pid].full_name for pid in persons if pid not in active]
    if missing:
        raise DomainError("walks.no_active_enrolment", field=field,
                          names=", ".join(sorted(missing)), day=walk_date.isoformat())


def overlapping_walks(
    session: Session, person_ids: Collection[int], starts_at: datetime, ends_at: datetime,
    exclude_walk_id: int | None = None,
) -> dict[int, Walk]:
    """Return, per person, a walk (any team, not cancelled) whose time overlaps the span."""
    if not person_ids:
        return {}
    rows = session.execute(
        select(Participation.person_id, Walk)
        .join(Walk, Walk.id == Participation.walk_id)
        .options(selectinload(Walk.team))
        .where(
            Participation.person_id.in_(set(person_ids)),
            Walk.status != WalkStatus.CANCELLED,
            Walk.starts_at < ends_at,
            Walk.ends_at > starts_at,
            Walk.id != (exclude_walk_id or 0),
        )
        .order_by(Walk.starts_at)
    ).all()
    found: dict[int, Walk] = {}
    for person_id, walk in rows:
        found.setdefault(person_id, walk)
    return found


def check_overlaps(
    session: Session, persons: dict[int, Person], starts_at: datetime, ends_at: datetime,
    exclude_walk_id: int | None = None, field: str = "person_ids",
) -> None:
    """Refuse polare who are already on a walk whose time overlaps this one."""
    clashes = overlapping_walks(session, persons.keys(), starts_at, ends_at, exclude_walk_id)
    if clashes:
        person_id, other = sorted(clashes.items(), key=lambda item: persons[item[0]].sort_key)[0]
        raise OverlapError(
            field=field, more=len(clashes) - 1, name=persons[person_id].full_name,
            day=other.walk_date.isoformat(), start=other.start_time.strftime("%H:%M"),
            end=other.end_time.strftime("%H:%M"), team=other.team.name)


@dataclass(frozen=True)
class WalkWarning:
    """Something the user should know about a walk; it does not stop the save."""

    kind: str
    person_id: int
    message: str


def minor_limit(walk_date: date, latest_end: time) -> datetime:
    """Return when a walk must end for polare under 18 (a morning time is the next day)."""
    day = walk_date + timedelta(days=1) if latest_end < _NOON else walk_date
    return datetime.combine(day, latest_end)


def late_minor_warnings(
    session: Session, walk_date: date, ends_at: datetime, persons: Iterable[Person]
) -> list[WalkWarning]:
    """Warn about polare under 18 on a walk ending after the latest end time for minors."""
    latest_end = get_settings(session).minor_latest_end
    if ends_at <= minor_limit(walk_date, latest_end):
        return []
    warnings = []
    for person in sorted(persons, key=lambda p: p.sort_key):
        age = age_on(person.birth_date, walk_date)
        if age < ADULT_AGE:
            warnings.append(WalkWarning("minor_late", person.id, _(
                "%(name)s är %(age)s år och nattvandringen slutar %(end)s, efter den senaste "
                "sluttiden för polare under 18 (%(latest)s).",
                name=person.full_name, age=age, end=ends_at.strftime("%H:%M"),
                latest=latest_end.strftime("%H:%M"))))
    return warnings


def missing_training(
    session: Session, walk_date: date, persons: Iterable[Person]
) -> dict[int, list[str]]:
    """Return the required training each person lacks in the walk's school year."""
    people = list(persons)
    year = school_year_on(session, walk_date)
    if year is None or not people:
        return {}
    missing = missing_required_training(session, [p.id for p in people], year.id)
    return {person_id: names for person_id, names in missing.items() if names}


def attending_persons(walk: Walk) -> list[Person]:
    """Return the polare marked as attended (the ones paid once the walk is approved)."""
    return [p.person for p in walk.participations if p.status == ParticipationStatus.ATTENDED]


def training_gaps_by_walk(
    session: Session, walks: Iterable[Walk]
) -> dict[int, dict[int, list[str]]]:
    """Return, per walk, the required training its attending polare lack (one query a year)."""
    walks = list(walks)
    years = list(session.scalars(select(SchoolYear)))
    year_of: dict[int, int] = {}
    wanted: dict[int, set[int]] = {}
    for walk in walks:
        year = next((y for y in years if y.contains(walk.walk_date)), None)
        if year is not None:
            year_of[walk.id] = year.id
            wanted.setdefault(year.id, set()).update(p.id for p in attending_persons(walk))
    missing = {year_id: missing_required_training(session, sorted(ids), year_id)
               for year_id, ids in wanted.items() if ids}
    gaps: dict[int, dict[int, list[str]]] = {}
    for walk in walks:
        lacking = missing.get(year_of.get(walk.id, 0), {})
        gaps[walk.id] = {p.id: lacking[p.id] for p in attending_persons(walk)
                         if lacking.get(p.id)}
    return gaps


def training_warnings(
    session: Session, walk_date: date, persons: Iterable[Person]
) -> list[WalkWarning]:
    """Warn about polare lacking required training in the walk's school year."""
    people = {person.id: person for person in persons}
    missing = missing_training(session, walk_date, people.values())
    return [
        WalkWarning("training", person_id, _(
            "%(name)s saknar obligatorisk utbildning: %(missing)s.",
            name=people[person_id].full_name, missing=", ".join(names)))
        for person_id, names in sorted(missing.items(), key=lambda i: people[i[0]].sort_key)
    ]


def walking_persons(walk: Walk) -> list[Person]:
    """Return the polare on the walk who are not marked absent."""
    return [p.person for p in walk.participations if p.status != ParticipationStatus.ABSENT]


def walk_warnings(session: Session, walk: Walk) -> list[WalkWarning]:
    """Return the warnings of a walk: late minors and missing required training."""
    if walk.status == WalkStatus.CANCELLED:
        return []
    persons = walking_persons(walk)
    return (late_minor_warnings(session, walk.walk_date, walk.ends_at, persons)
            + training_warnings(session, walk.walk_date, persons))
