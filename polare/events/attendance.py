"""Invitations to events and attendance: who may be invited, inviting, marking, summaries.

Only people with an enrolment (not declined) in the event's team, or in any team for an
all-team event, in the event's school year can be invited. A coordinator or supervisor works
with their own teams' polare only, also at all-team events.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, true
from sqlalchemy.orm import Session, joinedload

from polare.audit.services import record
from polare.clock import utcnow
from polare.errors import DomainError, NotFoundError
from polare.events.models import Event, Invitation, InvitationStatus
from polare.events.services import scope_of
from polare.events.wording import ANY_OF_YOUR_TEAMS
from polare.org.models import Team
from polare.reports.aggregates import touch_event_months
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.roster.services.visibility import check_visible
from polare.upserts import upsert

MARKS = (InvitationStatus.ATTENDED, InvitationStatus.ABSENT)


@dataclass(frozen=True)
class AttendanceCounts:
    """How many were invited to an event, attended it and were absent."""

    invited: int = 0
    attended: int = 0
    absent: int = 0

    @property
    def unmarked(self) -> int:
        return self.invited - self.attended - self.absent


@dataclass(frozen=True)
class Candidate:
    """A person who may be invited to an event, with their team and enrolment status."""

    person: Person
    team_name: str
    status: EnrolmentStatus


# ---------------------------------------------------------------- who may be invited


def _placement(
    event: Event, scope: set[int] | None, *, active_only: bool
) -> list[ColumnElement[bool]]:
    """Return the conditions on Enrolment that let a person be invited to the event."""
    conditions = [Enrolment.school_year_id == event.school_year_id]
    if event.team_id is not None:
        conditions.append(Enrolment.team_id == event.team_id)
    if scope is not None:
        conditions.append(Enrolment.team_id.in_(scope))
    if active_only:
        conditions.append(Enrolment.status == EnrolmentStatus.ACTIVE)
    else:
        conditions.append(Enrolment.status != EnrolmentStatus.DECLINED)
    return conditions


def visible_invitations(scope: set[int] | None) -> ColumnElement[bool]:
    """Return a WHERE clause (on Invitation joined with Event) for invitees the scope covers."""
    if scope is None:
        return true()
    own_team = exists().where(
        Enrolment.person_id == Invitation.person_id,
        Enrolment.school_year_id == Event.school_year_id,
        Enrolment.team_id.in_(scope),
    )
    return or_(Event.team_id.in_(scope), own_team)


def candidates(session: Session, actor: Any, event: Event) -> list[Candidate]:
    """Return the people the actor may invite to the event and who are not yet invited."""
    invited = select(Invitation.person_id).where(Invitation.event_id == event.id)
    rows = session.execute(
        select(Person, Team.name, Enrolment.status)
        .select_from(Enrolment)
        .join(Person, Person.id == Enrolment.person_id)
        .join(Team, Team.id == Enrolment.team_id)
        .where(*_placement(event, scope_of(actor), active_only=False),
               Enrolment.person_id.not_in(invited))
        .order_by(Person.sort_key, Person.id, Team.name)
    )
    seen: set[int] = set()
    result = []
    for person, team_name, status in rows:
        if person.id not in seen:
            seen.add(person.id)
            result.append(Candidate(person, team_name, status))
    return result


# ---------------------------------------------------------------- inviting


def _check_open(event: Event) -> None:
    if event.cancelled:
        raise DomainError("events.cancelled")


def _insert_invitations(session: Session, event_id: int, person_ids: Sequence[int]) -> list[int]:
    """Insert invitations, skipping any that exist (also one a parallel request just made)."""
    statement = (
        upsert(session, Invitation)
        .values([{"event_id": event_id, "person_id": person_id,
                  "status": InvitationStatus.INVITED} for person_id in person_ids])
        .on_conflict_do_nothing(index_elements=["event_id", "person_id"])
        .returning(Invitation.person_id)
    )
    return sorted(session.scalars(statement).all())


def _invite(session: Session, actor: Any, event: Event, person_ids: Collection[int]) -> int:
    existing = set(session.scalars(select(Invitation.person_id).where(
        Invitation.event_id == event.id, Invitation.person_id.in_(person_ids))))
    missing = sorted(set(person_ids) - existing)
    if not missing:
        return 0
    created = _insert_invitations(session, event.id, missing)
    session.expire(event, ["invitations"])
    if created:
        touch_event_months(session, event_ids=[event.id])
        record(session, actor, "invite", "event", event.id,
               changes={"invited_person_ids": [None, created]}, persons=created)
    return len(created)


def invite_active_polare(session: Session, actor: Any, event: Event) -> int:
    """Invite the active polare of the event's team(s) in the actor's scope; return how many."""
    _check_open(event)
    person_ids = set(session.scalars(
        select(Enrolment.person_id).where(*_placement(event, scope_of(actor), active_only=True))
    ))
    return _invite(session, actor, event, person_ids)


def invite_persons(session: Session, actor: Any, event: Event, person_ids: Collection[int]) -> int:
    """Invite the chosen people; refuse all if anyone lacks a place in the event's team(s)."""
    _check_open(event)
    wanted = set(person_ids)
    if not wanted:
        raise DomainError("events.choose_invitees", field="person_ids")
    check_visible(session, actor, wanted, field="person_ids")
    placed = set(session.scalars(
        select(Enrolment.person_id).where(*_placement(event, scope_of(actor), active_only=False),
                                          Enrolment.person_id.in_(wanted))
    ))
    refused = wanted - placed
    if refused:
        where = event.team.name if event.team is not None else ANY_OF_YOUR_TEAMS
        raise DomainError("events.invitees_without_place", field="person_ids", n=len(refused),
                          team=where, year=event.school_year.label)
    return _invite(session, actor, event, wanted)


def _invitation_in_scope(session: Session, actor: Any, event: Event, person_id: int) -> Invitation:
    invitation = session.scalar(
        select(Invitation).join(Event, Event.id == Invitation.event_id).where(
            Invitation.event_id == event.id, Invitation.person_id == person_id,
            visible_invitations(scope_of(actor)),
        )
    )
    if invitation is None:
        raise NotFoundError("events.not_invited")
    return invitation


def remove_invitation(session: Session, actor: Any, event: Event, person_id: int) -> None:
    """Take back an invitation whose attendance has not been marked."""
    invitation = _invitation_in_scope(session, actor, event, person_id)
    if invitation.status != InvitationStatus.INVITED:
        raise DomainError("events.invitation_marked")
    session.delete(invitation)
    session.flush()
    record(session, actor, "delete", "invitation", invitation.id,
           changes={"event_id": [event.id, None], "person_id": [person_id, None]},
           persons=[person_id])


# ---------------------------------------------------------------- attendance


def mark_attendance(
    session: Session, actor: Any, event: Event, person_id: int, status: InvitationStatus, *,
    on: date,
) -> Invitation:
    """Mark an invited person as attended or absent; from the event's day, not before."""
    if status not in MARKS:
        raise DomainError("events.choose_mark", field="status")
    _check_open(event)
    if event.event_date > on:
        raise DomainError("events.too_early_to_mark", day=event.event_date.isoformat())
    invitation = _invitation_in_scope(session, actor, event, person_id)
    if invitation.status == status:
        return invitation
    old = invitation.status
    invitation.status = status
    invitation.marked_by_id = getattr(actor, "id", None)
    invitation.marked_at = utcnow()
    session.flush()
    record(session, actor, "update", "invitation", invitation.id,
           changes={"status": [old.value, status.value]},
           note=f"event {event.id}, person {person_id}", persons=[person_id])
    return invitation


def invitations_for(session: Session, actor: Any, event: Event) -> list[Invitation]:
    """Return the event's invitations the actor may see, by name, with the person loaded."""
    return list(session.scalars(
        select(Invitation)
        .join(Event, Event.id == Invitation.event_id)
        .join(Person, Person.id == Invitation.person_id)
        .where(Invitation.event_id == event.id, visible_invitations(scope_of(actor)))
        .options(joinedload(Invitation.person))
        .order_by(Person.sort_key, Person.id)
    ))


def team_names_of(
    session: Session, person_ids: Collection[int], school_year_id: int
) -> dict[int, str]:
    """Map each person to the team(s) of their enrolments in the school year."""
    names: dict[int, list[str]] = {}
    if person_ids:
        rows = session.execute(
            select(Enrolment.person_id, Team.name)
            .join(Team, Team.id == Enrolment.team_id)
            .where(Enrolment.person_id.in_(set(person_ids)),
                   Enrolment.school_year_id == school_year_id)
            .order_by(Team.name)
        )
        for person_id, name in rows:
            names.setdefault(person_id, []).append(name)
    return {person_id: ", ".join(dict.fromkeys(team)) for person_id, team in names.items()}


# ---------------------------------------------------------------- summaries


def attendance_counts(
    session: Session, actor: Any, event_ids: Collection[int]
) -> dict[int, AttendanceCounts]:
    """Return invited/attended/absent per event, counting the invitees the actor may see."""
    if not event_ids:
        return {}

    def count_of(status: InvitationStatus) -> Any:
        return func.sum(case((Invitation.status == status, 1), else_=0))

    rows = session.execute(
        select(Invitation.event_id, func.count(Invitation.id),
               count_of(InvitationStatus.ATTENDED), count_of(InvitationStatus.ABSENT))
        .join(Event, Event.id == Invitation.event_id)
        .where(Invitation.event_id.in_(set(event_ids)), visible_invitations(scope_of(actor)))
        .group_by(Invitation.event_id)
    )
    return {
        event_id: AttendanceCounts(invited or 0, attended or 0, absent or 0)
        for event_id, invited, attended, absent in rows
    }


def _attended(school_year_id: int) -> ColumnElement[bool]:
    return and_(
        Invitation.status == InvitationStatus.ATTENDED,
        Event.cancelled.is_(False),
        Event.school_year_id == school_year_id,
    )


def events_attended(session: Session, person_id: int, school_year_id: int) -> list[Event]:
    """Return the events a person attended in the school year, earliest first."""
    return list(session.scalars(
        select(Event)
        .join(Invitation, Invitation.event_id == Event.id)
        .where(Invitation.person_id == person_id, _attended(school_year_id))
        .options(joinedload(Event.type), joinedload(Event.team))
        .order_by(Event.event_date, Event.start_time)
    ))


def attended_counts(
    session: Session, person_ids: Collection[int], school_year_id: int
) -> dict[int, int]:
    """Map each person to the number of events attended in the school year (0 if none)."""
    ids = set(person_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Invitation.person_id, func.count(Invitation.id))
        .join(Event, Event.id == Invitation.event_id)
        .where(Invitation.person_id.in_(ids), _attended(school_year_id))
        .group_by(Invitation.person_id)
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({person_id: count for person_id, count in rows})
    return counts
