"""Shared steps of every walk change: loading, access, optimistic locking, audit, send-back."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from polare.audit.services import changes_between, record
from polare.auth.access import can_access_team
from polare.auth.models import Role, User
from polare.clock import utcnow
from polare.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from polare.walks.models import WALK_TRANSITIONS, Participation, Walk, WalkStatus
from polare.walks.wording import STATUS_LABELS

#: Why a walk went back to completed, as the audit log says it (stored data: Swedish).
SENT_BACK_NOTE = "Godkänd nattvandring ändrades och skickades tillbaka till genomförd."

#: Walk columns written to the audit log with old and new values.
WALK_FIELDS = (
    "walk_date", "start_time", "end_time", "district_id", "meeting_point", "status",
    "youths_met", "youths_talked", "note", "approved_by_id", "approved_at",
    "training_confirmed_by_id", "training_confirmed_at",
)


def check_actor(actor: User | None, team_id: int) -> None:
    """Refuse an actor who may not change walks of the team (None is the system)."""
    if actor is None:
        return
    if actor.role == Role.PAYROLL:
        raise PermissionDeniedError("walks.payroll_cannot_change")
    if not can_access_team(actor, team_id):
        raise NotFoundError("walks.not_found")


def load_walk(session: Session, actor: User | None, walk_id: int, version: int) -> Walk:
    """Return the walk for a change, refusing other teams' walks and stale versions."""
    walk = session.get(Walk, walk_id, options=[
        selectinload(Walk.participations).selectinload(Participation.person),
        selectinload(Walk.staff),
        selectinload(Walk.incidents),
    ])
    if walk is None:
        raise NotFoundError("walks.not_found")
    check_actor(actor, walk.team_id)
    if walk.version != version:
        raise ConflictError("walks.conflict")
    return walk


def check_changeable(walk: Walk) -> None:
    """Refuse changes to a cancelled walk."""
    if walk.status == WalkStatus.CANCELLED:
        raise DomainError("walks.cancelled")


def move(walk: Walk, status: WalkStatus) -> None:
    """Change the walk's status if the transition table allows it."""
    if status not in WALK_TRANSITIONS[walk.status]:
        raise DomainError("walks.status_move", old=STATUS_LABELS[walk.status],
                          new=STATUS_LABELS[status])
    walk.status = status


def walk_state(walk: Walk) -> dict[str, Any]:
    """Return the audited state of a walk: columns, staff, polare, attendance, incidents."""
    state: dict[str, Any] = {}
    for name in WALK_FIELDS:
        value = getattr(walk, name)
        state[name] = value.isoformat() if hasattr(value, "isoformat") else (
            value.value if isinstance(value, WalkStatus) else value)
    state["staff"] = sorted(user.id for user in walk.staff)
    state["participants"] = sorted(p.person_id for p in walk.participations)
    for participation in walk.participations:
        state[f"attendance[{participation.person_id}]"] = participation.status.value
    for incident in walk.incidents:
        state[f"incidents[{incident.category_id}]"] = incident.count
    return state


def flush(session: Session) -> None:
    """Flush, turning a concurrent save of the same walk into a ConflictError."""
    try:
        session.flush()
    except StaleDataError as error:
        raise ConflictError("walks.conflict") from error


def clear_approval(walk: Walk) -> None:
    """Forget who approved the walk and any training confirmation."""
    walk.approved_by_id = None
    walk.approved_at = None
    walk.training_confirmed_by_id = None
    walk.training_confirmed_at = None


def save_changes(
    session: Session, actor: User | None, walk: Walk, before: dict[str, Any], action: str,
    note: str = "",
) -> Walk:
    """Audit what changed since `before`; an approved walk that changed goes back to completed.

    Nothing is written when nothing changed. Touching `updated_at` makes the version go up
    even when only staff, polare or incidents changed.
    """
    if not changes_between(before, walk_state(walk)):
        return walk
    if walk.status == WalkStatus.APPROVED:
        move(walk, WalkStatus.COMPLETED)
        clear_approval(walk)
        note = " ".join(filter(None, [note, SENT_BACK_NOTE]))
    walk.updated_at = utcnow()
    flush(session)
    touched = {*before.get("participants", ()), *(p.person_id for p in walk.participations)}
    record(session, actor, action, "walk", walk.id,
           changes=changes_between(before, walk_state(walk)), note=note, persons=touched)
    return walk
