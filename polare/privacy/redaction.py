"""Removing a purged person's data from the audit log, which otherwise keeps it forever.

The audit log records old and new values, so a person's name, personnummer, contact details
and guardians live on there after the person record is anonymised. When a person is purged,
every entry that refers to the person (by id, in audit_entry_persons: a walk they walked, an
import of their row, an export that held their data, whatever record it is filed under) and
every entry filed under their own records keeps who did what and when, but the personal
values in it are replaced by REDACTED. Any other entry that quotes the personnummer (in its
note or values) is redacted the same way, and so are the notes of the walks and events the
person took part in (`redact_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry, AuditEntryPerson

REDACTED = "[gallrad]"

#: Audit change keys whose values are personal data of a polare or a guardian.
PERSONAL_KEYS = frozenset({
    "personnummer", "first_name", "last_name", "name", "full_name", "sort_key", "phone",
    "email", "address", "school", "notes", "relation", "end_reason",
})

#: Shorter strings are not searched for inside free text (too many false hits).
_MIN_SEARCH_LENGTH = 3


@dataclass(frozen=True)
class PersonalTrace:
    """What identifies one person in the audit log: the records and the strings."""

    #: entity name -> ids of the person's records of that entity.
    records: Mapping[str, frozenset[int]]
    #: Names, numbers and addresses to blank out wherever they appear in a targeted entry.
    strings: frozenset[str]
    #: Searched for in every audit entry (unique enough not to hit anyone else).
    personnummer_forms: frozenset[str]
    #: The person(s) whose entries (by reference in audit_entry_persons) are redacted.
    person_ids: frozenset[int] = frozenset()


def personnummer_forms(personnummer: str | None) -> frozenset[str]:
    """Return the ways a canonical personnummer may have been written down."""
    if not personnummer:
        return frozenset()
    digits = personnummer.replace("-", "")
    return frozenset({personnummer, digits, f"{digits[2:8]}-{digits[8:]}"})


def _search_pattern(strings: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({s for s in strings if len(s) >= _MIN_SEARCH_LENGTH}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _redact_value(value: Any, pattern: re.Pattern[str] | None) -> Any:
    if isinstance(value, str):
        return pattern.sub(REDACTED, value) if pattern else value
    if isinstance(value, list):
        return [_redact_value(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _redact_value(item, pattern) for key, item in value.items()}
    return value


def _redact_changes(changes: dict[str, Any], pattern: re.Pattern[str] | None) -> dict[str, Any]:
    redacted: dict[str, Any] = {}
    for key, values in changes.items():
        if key in PERSONAL_KEYS:
            redacted[key] = _blank(values)
        else:
            redacted[key] = _redact_value(values, pattern)
    return redacted


def _blank(values: Any) -> Any:
    """Replace every value that was set with REDACTED, keeping None (not set) as it was."""
    if isinstance(values, list):
        return [None if value is None else REDACTED for value in values]
    return None if values is None else REDACTED


def redact_entry(entry: AuditEntry, pattern: re.Pattern[str] | None) -> bool:
    """Redact one entry in place; tell whether anything changed."""
    note = _redact_value(entry.note or "", pattern)
    changes = _redact_changes(entry.changes, pattern) if entry.changes else entry.changes
    if note == (entry.note or "") and changes == entry.changes:
        return False
    entry.note = note
    entry.changes = changes
    return True


def redact_text(text: str, trace: PersonalTrace) -> str:
    """Return free text with the person's names, numbers and contact details replaced."""
    pattern = _search_pattern([*trace.strings, *trace.personnummer_forms])
    return pattern.sub(REDACTED, text) if pattern else text


def redact_quotes(session: Session, entity: str, entity_ids: Iterable[int],
                  trace: PersonalTrace) -> int:
    """Replace the person's names and details wherever entries filed under the records quote
    them (an event's notes in its history); return how many entries changed."""
    ids = sorted({str(entity_id) for entity_id in entity_ids})
    pattern = _search_pattern([*trace.strings, *trace.personnummer_forms])
    if not ids or pattern is None:
        return 0
    count = 0
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.entity == entity,
                                                          AuditEntry.entity_id.in_(ids))):
        note = _redact_value(entry.note or "", pattern)
        changes = _redact_value(entry.changes, pattern)
        if note != (entry.note or "") or changes != entry.changes:
            entry.note, entry.changes = note, changes
            count += 1
    return count


def _filed_under_records(session: Session, trace: PersonalTrace) -> list[AuditEntry]:
    clauses = [
        (AuditEntry.entity == entity) & AuditEntry.entity_id.in_([str(i) for i in ids])
        for entity, ids in trace.records.items() if ids
    ]
    if not clauses:
        return []
    return list(session.scalars(select(AuditEntry).where(or_(*clauses))))


def _referring_to(session: Session, person_ids: frozenset[int]) -> list[AuditEntry]:
    if not person_ids:
        return []
    referring = select(AuditEntryPerson.entry_id).where(
        AuditEntryPerson.person_id.in_(sorted(person_ids)))
    return list(session.scalars(select(AuditEntry).where(AuditEntry.id.in_(referring))))


def _entries_quoting(session: Session, forms: frozenset[str]) -> list[AuditEntry]:
    if not forms:
        return []
    changes_text = cast(AuditEntry.changes, String)
    clauses = [AuditEntry.note.contains(form, autoescape=True) for form in forms]
    clauses += [changes_text.contains(form, autoescape=True) for form in forms]
    return list(session.scalars(select(AuditEntry).where(or_(*clauses))))


def _recorded_strings(entries: Iterable[AuditEntry]) -> set[str]:
    """Return the personal values the entries recorded (old names and numbers included)."""
    found: set[str] = set()
    for entry in entries:
        for key, values in (entry.changes or {}).items():
            if key in PERSONAL_KEYS:
                items = values if isinstance(values, list) else [values]
                found.update(item for item in items if isinstance(item, str) and item)
    return found


def redact_person_trace(session: Session, trace: PersonalTrace) -> int:
    """Redact every audit entry referring to a person and any entry quoting their number."""
    own = _filed_under_records(session, trace)
    targeted = {entry.id: entry for entry in [*own, *_referring_to(session, trace.person_ids)]}
    targeted_pattern = _search_pattern(
        [*trace.strings, *trace.personnummer_forms, *_recorded_strings(own)]
    )
    number_pattern = _search_pattern(trace.personnummer_forms)
    count = 0
    targeted_ids = set(targeted)
    for entry in targeted.values():
        count += redact_entry(entry, targeted_pattern)
    for entry in _entries_quoting(session, trace.personnummer_forms):
        if entry.id not in targeted_ids:
            count += redact_entry(entry, number_pattern)
    return count
