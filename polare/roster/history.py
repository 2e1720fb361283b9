"""The audit history of a person's record, as the person page shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry
from polare.roster.forms import STATUS_LABELS
from polare.roster.identity import format_phone_se, mask_personnummer
from polare.roster.models import Enrolment, EnrolmentStatus, Person

#: Most entries the person page lists.
HISTORY_LIMIT = 100

ACTION_LABELS = {
    "create": _l("Skapad"),
    "update": _l("Ändrad"),
    "consent": _l("Samtycke registrerat"),
    "guardian_add": _l("Vårdnadshavare tillagd"),
    "guardian_update": _l("Vårdnadshavare ändrad"),
    "guardian_remove": _l("Vårdnadshavare borttagen"),
    "year_end": _l("Stängd vid läsårets slut"),
}

FIELD_LABELS = {
    "personnummer": _l("Personnummer"),
    "birth_date": _l("Födelsedatum"),
    "first_name": _l("Förnamn"),
    "last_name": _l("Efternamn"),
    "phone": _l("Telefon"),
    "email": _l("E-post"),
    "address": _l("Adress"),
    "school": _l("Skola"),
    "notes": _l("Anteckningar"),
    "prior_years": _l("Tidigare år"),
    "name": _l("Namn"),
    "relation": _l("Relation"),
    "team": _l("Team"),
    "school_year": _l("Läsår"),
    "status": _l("Status"),
    "applied_on": _l("Anmäld"),
    "activated_on": _l("Aktiv från"),
    "ended_on": _l("Slutdatum"),
    "end_reason": _l("Anledning"),
    "waitlisted_at": _l("Väntelista sedan"),
    "consent_date": _l("Samtycke daterat"),
}
_STATUS_VALUES = frozenset(status.value for status in EnrolmentStatus)
#: Logged ids that mean nothing to a reader (the note and the user column say who).
HIDDEN_FIELDS = frozenset({"person_id", "consent_guardian_id", "consent_registered_by_id"})


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    username: str
    action: str
    subject: str
    changes: list[tuple[str, Any, Any]]
    note: str


def _shown(field: str, value: Any, full_personnummer: bool) -> Any:
    """Return a logged value as the viewer may see it (personnummer masked when needed)."""
    if value is None or value == "":
        return ""
    if field == "personnummer" and not full_personnummer:
        try:
            return mask_personnummer(value)
        except ValueError:
            return "****"
    if field == "status" and value in _STATUS_VALUES:
        return str(STATUS_LABELS[EnrolmentStatus(value)])
    if field == "phone":
        try:
            return format_phone_se(value)
        except ValueError:
            return value
    return value


def person_history(
    session: Session, person: Person, enrolments: list[Enrolment], *, full_personnummer: bool
) -> list[HistoryItem]:
    """Return the latest audit entries of the person and their enrolments, newest first."""
    labels = {str(e.id): f"{e.team.name} {e.school_year.label}" for e in enrolments}
    entries = session.scalars(
        select(AuditEntry)
        .where(or_(
            and_(AuditEntry.entity == "person", AuditEntry.entity_id == str(person.id)),
            and_(AuditEntry.entity == "enrolment", AuditEntry.entity_id.in_(labels)),
        ))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(HISTORY_LIMIT)
    )
    items = []
    for entry in entries:
        subject = (str(_l("Anmälan %(what)s", what=labels[entry.entity_id]))
                   if entry.entity == "enrolment" else str(_l("Person")))
        changes = [
            (str(FIELD_LABELS.get(field, field)), _shown(field, old, full_personnummer),
             _shown(field, new, full_personnummer))
            for field, (old, new) in (entry.changes or {}).items()
            if field not in HIDDEN_FIELDS and (old not in (None, "") or new not in (None, ""))
        ]
        items.append(HistoryItem(
            at=entry.at, username=entry.username,
            action=str(ACTION_LABELS.get(entry.action, entry.action)), subject=subject,
            changes=changes, note=entry.note if not entry.note.startswith("guardian ") else "",
        ))
    return items
