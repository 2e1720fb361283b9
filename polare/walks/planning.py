"""Planning walks: one walk, a series on chosen weekdays, and changes to the plan."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from polare.audit.services import record
from polare.auth.models import User
from polare.errors import DomainError
from polare.org.models import District
from polare.org.services import get_team
from polare.roster.models import Person
from polare.roster.services.visibility import check_visible
from polare.walks import rules
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkStatus
from polare.walks.services import (
    check_actor,
    check_changeable,
    load_walk,
    save_changes,
    walk_state,
)

#: A series longer than this is most likely a mistake in the dates.
MAX_SERIES_WALKS = 120
MEETING_POINT_MAX = 160


@dataclass(frozen=True)
class WalkPlan:
    """What a planner chooses for a walk."""

    team_id: int
    walk_date: date
    start_time: time
    end_time: time
    district_id: int
    meeting_point: str
    staff_ids: Collection[int]
    person_ids: Collection[int]


@dataclass(frozen=True)
class CheckedPlan:
    """A plan whose rules hold, with its span and the records it refers to."""

    plan: WalkPlan
    starts_at: datetime
    ends_at: datetime
    staff: list[User]


@dataclass(frozen=True)
class DateConflict:
    """A date of a series and the rule it breaks, worded when shown: "2026-12-05: …"."""

    day: date
    error: DomainError

    def __str__(self) -> str:
        return f"{self.day.isoformat()}: {self.error.message}"


class SeriesConflictError(DomainError):
    """Some dates of a series break a rule; nothing was planned."""

    def __init__(self, conflicts: list[DateConflict], total: int) -> None:
        super().__init__("walks.series_conflicts", n=len(conflicts), total=total)
        self.conflicts = conflicts


@dataclass(frozen=True)
class Chooser:
    """Who chooses the polare, and those already on the walk (kept even outside scope)."""

    actor: User | None
    already: frozenset[int] = frozenset()

    def new_ids(self, person_ids: Collection[int]) -> set[int]:
        """Return the chosen polare who are not on the walk yet."""
        return set(person_ids) - self.already


def _check_fixed(
    session: Session, plan: WalkPlan, chooser: Chooser
) -> tuple[list[User], dict[int, Person]]:
    """Check what does not depend on the date; return the staff and the polare."""
    get_team(session, plan.team_id)
    if session.get(District, plan.district_id) is None:
        raise DomainError("walks.district_required", field="district_id")
    if len(plan.meeting_point.strip()) > MEETING_POINT_MAX:
        raise DomainError("walks.meeting_point_too_long", field="meeting_point")
    rules.walk_span(plan.walk_date, plan.start_time, plan.end_time)
    staff = rules.check_staff(session, plan.team_id, plan.staff_ids)
    check_visible(session, chooser.actor, chooser.new_ids(plan.person_ids), field="person_ids")
    rules.lock_persons(session, plan.person_ids)
    return staff, rules.load_persons(session, plan.person_ids)


def _check_dated(
    session: Session, plan: WalkPlan, staff: list[User], persons: dict[int, Person],
    chooser: Chooser, exclude_walk_id: int | None = None,
) -> CheckedPlan:
    """Check the rules that depend on the date: enrolments and overlapping walks."""
    starts_at, ends_at = rules.walk_span(plan.walk_date, plan.start_time, plan.end_time)
    rules.check_enrolments(session, persons, plan.walk_date)
    new = {pid: person for pid, person in persons.items() if pid not in chooser.already}
    rules.check_active_in_actor_teams(session, chooser.actor, new, plan.walk_date)
    rules.check_overlaps(session, persons, starts_at, ends_at, exclude_walk_id)
    return CheckedPlan(plan, starts_at, ends_at, staff)


def check_plan(
    session: Session, plan: WalkPlan, chooser: Chooser, exclude_walk_id: int | None = None
) -> CheckedPlan:
    """Check every rule of a plan; raise DomainError naming the field that breaks one."""
    staff, persons = _check_fixed(session, plan, chooser)
    return _check_dated(session, plan, staff, persons, chooser, exclude_walk_id)


def _create(
    session: Session, actor: User | None, checked: CheckedPlan, series_id: str | None
) -> Walk:
    plan = checked.plan
    walk = Walk(
        team_id=plan.team_id, district_id=plan.district_id, walk_date=plan.walk_date,
        start_time=plan.start_time, end_time=plan.end_time, starts_at=checked.starts_at,
        ends_at=checked.ends_at, status=WalkStatus.PLANNED,
        meeting_point=plan.meeting_point.strip(), series_id=series_id,
        created_by_id=getattr(actor, "id", None), staff=checked.staff,
        participations=[
            Participation(person_id=pid, status=ParticipationStatus.SCHEDULED)
            for pid in sorted(set(plan.person_ids))
        ],
    )
    session.add(walk)
    session.flush()
    record(session, actor, "create", "walk", walk.id,
           changes={name: [None, value] for name, value in walk_state(walk).items()
                    if value not in (None, "", [])},
           note=_("Del av en serie.") if series_id else "",
           persons=[p.person_id for p in walk.participations])
    return walk


def plan_walk(session: Session, actor: User | None, plan: WalkPlan) -> Walk:
    """Plan one walk; refuse it with a message naming the field when a rule is broken."""
    check_actor(actor, plan.team_id)
    return _create(session, actor, check_plan(session, plan, Chooser(actor)), None)


def series_dates(first_date: date, last_date: date, weekdays: Collection[int]) -> list[date]:
    """Return the dates from first to last (inclusive) falling on the weekdays (0 = Monday)."""
    days = (last_date - first_date).days + 1
    return [first_date + timedelta(days=n) for n in range(max(days, 0))
            if (first_date + timedelta(days=n)).weekday() in weekdays]


def plan_series(
    session: Session, actor: User | None, plan: WalkPlan, *, last_date: date,
    weekdays: Collection[int],
) -> list[Walk]:
    """Plan a walk on each chosen weekday from plan.walk_date to last_date, all or nothing."""
    check_actor(actor, plan.team_id)
    if last_date < plan.walk_date:
        raise DomainError("walks.series_reversed", field="last_date")
    if not weekdays:
        raise DomainError("walks.weekdays_required", field="weekdays")
    dates = series_dates(plan.walk_date, last_date, weekdays)
    if not dates:
        raise DomainError("walks.series_without_dates", field="weekdays")
    if len(dates) > MAX_SERIES_WALKS:
        raise DomainError("walks.series_too_long", field="last_date", n=MAX_SERIES_WALKS,
                          count=len(dates))
    chooser = Chooser(actor)
    staff, persons = _check_fixed(session, plan, chooser)
    plans, conflicts = [], []
    for day in dates:
        try:
            plans.append(_check_dated(session, replace(plan, walk_date=day), staff, persons,
                                      chooser))
        except DomainError as error:
            conflicts.append(DateConflict(day, error))
    if conflicts:
        raise SeriesConflictError(conflicts, total=len(dates))
    series_id = str(uuid.uuid4())
    return [_create(session, actor, item, series_id) for item in plans]


def _apply_plan(walk: Walk, checked: CheckedPlan) -> None:
    plan = checked.plan
    updates = {
        "walk_date": plan.walk_date, "start_time": plan.start_time, "end_time": plan.end_time,
        "starts_at": checked.starts_at, "ends_at": checked.ends_at,
        "district_id": plan.district_id, "meeting_point": plan.meeting_point.strip(),
    }
    for name, value in updates.items():
        if getattr(walk, name) != value:
            setattr(walk, name, value)
    if {u.id for u in walk.staff} != {u.id for u in checked.staff}:
        walk.staff = checked.staff
    wanted = set(plan.person_ids)
    for participation in [p for p in walk.participations if p.person_id not in wanted]:
        walk.participations.remove(participation)
    present = {p.person_id for p in walk.participations}
    for person_id in sorted(wanted - present):
        walk.participations.append(
            Participation(person_id=person_id, status=ParticipationStatus.SCHEDULED))


def update_walk(
    session: Session, actor: User | None, walk_id: int, plan: WalkPlan, *, version: int
) -> Walk:
    """Change the plan of a walk saved at `version`; an approved walk goes back to completed."""
    walk = load_walk(session, actor, walk_id, version)
    check_changeable(walk)
    if plan.team_id != walk.team_id:
        raise DomainError("walks.team_fixed", field="team_id")
    chooser = Chooser(actor, frozenset(p.person_id for p in walk.participations))
    checked = check_plan(session, plan, chooser, exclude_walk_id=walk.id)
    before = walk_state(walk)
    _apply_plan(walk, checked)
    return save_changes(session, actor, walk, before, "update")
