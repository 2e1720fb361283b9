"""After the walk: logging it, and moving it through completed, approved or cancelled."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.audit.services import changes_between, record
from polare.auth.models import User
from polare.clock import utcnow
from polare.errors import DomainError
from polare.roster.services.visibility import check_visible
from polare.walks import rules
from polare.walks.models import (
    IncidentCategory,
    Participation,
    ParticipationStatus,
    Walk,
    WalkIncident,
    WalkStatus,
)
from polare.walks.services import (
    check_changeable,
    clear_approval,
    flush,
    load_walk,
    move,
    save_changes,
    walk_state,
)

NOTE_MAX = 4000


@dataclass(frozen=True)
class WalkLog:
    """What was logged after a walk."""

    #: person id -> attended / absent, or None while not marked.
    attendance: Mapping[int, ParticipationStatus | None]
    youths_met: int | None
    youths_talked: int | None
    #: category id -> number of incidents (0 = none).
    incidents: Mapping[int, int]
    note: str = ""
    #: Polare who joined on the night without being planned; they attended.
    joined_person_ids: Collection[int] = field(default_factory=tuple)


def _check_incidents(session: Session, incidents: Mapping[int, int]) -> None:
    if any(count < 0 for count in incidents.values()):
        raise DomainError("walks.incidents_negative", field="incidents")
    known = set(session.scalars(
        select(IncidentCategory.id).where(IncidentCategory.id.in_(set(incidents)))))
    if set(incidents) - known:
        raise DomainError("walks.incident_category_unknown", field="incidents")


def _check_joined(
    session: Session, actor: User | None, walk: Walk, person_ids: Collection[int]
) -> None:
    """Refuse polare who may not join: unknown to the actor, already on it, not free then."""
    check_visible(session, actor, person_ids, field="joined_person_id")
    on_walk = {p.person_id for p in walk.participations}
    persons = rules.load_persons(session, person_ids, field="joined_person_id")
    already = [persons[pid].full_name for pid in persons if pid in on_walk]
    if already:
        raise DomainError("walks.already_on_walk", field="joined_person_id",
                          names=", ".join(already))
    rules.lock_persons(session, person_ids)
    rules.check_enrolments(session, persons, walk.walk_date, field="joined_person_id")
    rules.check_active_in_actor_teams(session, actor, persons, walk.walk_date,
                                      field="joined_person_id")
    rules.check_overlaps(session, persons, walk.starts_at, walk.ends_at, walk.id,
                         field="joined_person_id")


def check_log_complete(walk: Walk) -> None:
    """Refuse a completed walk without counts or with polare whose attendance is not marked."""
    unmarked = sorted(p.person.full_name for p in walk.participations
                      if p.status == ParticipationStatus.SCHEDULED)
    if unmarked:
        raise DomainError("walks.attendance_unmarked", field="attendance",
                          names=", ".join(unmarked))
    if walk.youths_met is None or walk.youths_talked is None:
        raise DomainError("walks.counts_missing", field="youths_met")


def _apply_attendance(walk: Walk, attendance: Mapping[int, ParticipationStatus | None]) -> None:
    by_person = {p.person_id: p for p in walk.participations}
    if set(attendance) - set(by_person):
        raise DomainError("walks.attendance_not_on_walk", field="attendance")
    for person_id, status in attendance.items():
        wanted = status or ParticipationStatus.SCHEDULED
        if by_person[person_id].status != wanted:
            by_person[person_id].status = wanted


def _apply_incidents(walk: Walk, incidents: Mapping[int, int]) -> None:
    existing = {incident.category_id: incident for incident in walk.incidents}
    for category_id, count in incidents.items():
        incident = existing.get(category_id)
        if count == 0 and incident is not None:
            walk.incidents.remove(incident)
        elif count and incident is None:
            walk.incidents.append(WalkIncident(category_id=category_id, count=count))
        elif count and incident.count != count:
            incident.count = count


def log_walk(
    session: Session, actor: User | None, walk_id: int, log: WalkLog, *, version: int
) -> Walk:
    """Save attendance, counts, incidents and note; an approved walk goes back to completed."""
    walk = load_walk(session, actor, walk_id, version)
    check_changeable(walk)
    rules.check_counts(log.youths_met, log.youths_talked)
    _check_incidents(session, log.incidents)
    if len(log.note) > NOTE_MAX:
        raise DomainError("walks.note_too_long", field="note", n=NOTE_MAX)
    if log.joined_person_ids:
        _check_joined(session, actor, walk, log.joined_person_ids)
    before = walk_state(walk)
    _apply_attendance(walk, log.attendance)
    for person_id in sorted(set(log.joined_person_ids)):
        walk.participations.append(Participation(
            person_id=person_id, status=ParticipationStatus.ATTENDED, joined_on_night=True))
    if (walk.youths_met, walk.youths_talked) != (log.youths_met, log.youths_talked):
        walk.youths_met, walk.youths_talked = log.youths_met, log.youths_talked
    if walk.note != log.note.strip():
        walk.note = log.note.strip()
    _apply_incidents(walk, log.incidents)
    if walk.status != WalkStatus.PLANNED:
        check_log_complete(walk)
    return save_changes(session, actor, walk, before, "log")


def complete_walk(
    session: Session, actor: User | None, walk_id: int, *, version: int, now: datetime
) -> Walk:
    """Mark a planned walk completed; it must have begun and be fully logged."""
    walk = load_walk(session, actor, walk_id, version)
    if walk.status != WalkStatus.PLANNED:
        raise DomainError("walks.complete_not_planned")
    if now < walk.starts_at:
        raise DomainError("walks.not_started",
                          start=walk.starts_at.strftime("%Y-%m-%d %H:%M"))
    check_log_complete(walk)
    before = walk_state(walk)
    move(walk, WalkStatus.COMPLETED)
    return save_changes(session, actor, walk, before, "complete")


def training_gaps(session: Session, walk: Walk) -> dict[int, list[str]]:
    """Return the required training each attending polare of the walk lacks."""
    return rules.missing_training(session, walk.walk_date, rules.attending_persons(walk))


def _names(walk: Walk, person_ids: Collection[int]) -> str:
    return ", ".join(sorted(p.person.full_name for p in walk.participations
                            if p.person_id in person_ids))


def approve_walk(
    session: Session, actor: User | None, walk_id: int, *, version: int,
    confirm_training: bool = False,
) -> Walk:
    """Approve a completed walk for payment, recording who and when.

    When attending polare lack required training the approver must confirm it explicitly;
    the confirmation is recorded on the walk and in the audit log.
    """
    walk = load_walk(session, actor, walk_id, version)
    if walk.status != WalkStatus.COMPLETED:
        raise DomainError("walks.approve_not_completed")
    check_log_complete(walk)
    gaps = training_gaps(session, walk)
    if gaps and not confirm_training:
        raise DomainError("walks.training_unconfirmed", field="confirm_training",
                          names=_names(walk, gaps))
    before = walk_state(walk)
    move(walk, WalkStatus.APPROVED)
    now = utcnow()
    walk.approved_by_id, walk.approved_at = getattr(actor, "id", None), now
    if gaps:
        walk.training_confirmed_by_id, walk.training_confirmed_at = walk.approved_by_id, now
        record(session, actor, "confirm_training", "walk", walk.id,
               changes={f"missing_training[{pid}]": [None, names] for pid, names in gaps.items()},
               note=_("Godkänd trots att %(count)s polare saknar obligatorisk utbildning.",
                      count=len(gaps)),
               persons=gaps)
    walk.updated_at = now
    flush(session)
    record(session, actor, "approve", "walk", walk.id,
           changes=changes_between(before, walk_state(walk)),
           persons=[p.person_id for p in walk.participations])
    return walk


def cancel_walk(
    session: Session, actor: User | None, walk_id: int, *, version: int, reason: str = ""
) -> Walk:
    """Cancel a walk; a cancelled walk is never paid and cannot be changed."""
    walk = load_walk(session, actor, walk_id, version)
    check_changeable(walk)
    before = walk_state(walk)
    move(walk, WalkStatus.CANCELLED)
    return save_changes(session, actor, walk, before, "cancel", note=reason.strip())


def send_back_walk(
    session: Session, actor: User | None, walk_id: int, *, version: int, reason: str = ""
) -> Walk:
    """Send an approved walk back to completed, so that it can be corrected and re-approved."""
    walk = load_walk(session, actor, walk_id, version)
    if walk.status != WalkStatus.APPROVED:
        raise DomainError("walks.send_back_not_approved")
    before = walk_state(walk)
    move(walk, WalkStatus.COMPLETED)
    clear_approval(walk)
    return save_changes(session, actor, walk, before, "send_back", note=reason.strip())
