"""The audit history of a person's record, as the person page shows it."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from polare.audit.models import AuditEntry
from polare.clock import to_local
from polare.roster.forms import STATUS_LABELS
from polare.roster.identity import format_phone_se, mask_personnummer
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.wording import N_

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
    "view": _l("Personnumret visat"),
    "lookup": _l("Personnumret sökt"),
    "export": _l("Registerutdrag hämtat"),
    "purge": _l("Gallrad"),
    "apply": _l("Ansökan"),
    "consent_link": _l("Samtyckeslänk"),
    "consent_withdrawn": _l("Samtycke återkallat"),
}
#: Entries that say who was shown or looked up the number: listed apart, behind a toggle.
VIEW_ACTIONS = ("view", "lookup")

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
    "anonymised_at": _l("Anonymiserad"),
    "pay_lines_anonymised": _l("Anonymiserade arvodesrader"),
}
_STATUS_VALUES = frozenset(status.value for status in EnrolmentStatus)
#: Logged ids that mean nothing to a reader (the note and the user column say who).
HIDDEN_FIELDS = frozenset({"person_id", "consent_guardian_id", "consent_registered_by_id"})


#: Notes written in Swedish when the entry was logged, worded again at display time: each
#: action's logged note (as its service writes it) and the note in the reader's language.
#: A value named `until` is a logged UTC time, shown in local time. Other notes show as logged.
_WORDED_NOTES: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "consent": (
        (re.compile(r"Samtycke från (?P<name>.+)"), N_("Samtycke från %(name)s")),
        (re.compile(r"Samtycke via e-postlänk från (?P<name>.+) \(text (?P<version>[^)]*)\)"),
         N_("Samtycke via e-postlänk från %(name)s (text %(version)s)")),
    ),
    "consent_withdrawn": (
        (re.compile(r"Samtycke återkallat via e-postlänk av (?P<name>.+)\. Anmälan är aktiv\."),
         N_("Samtycke återkallat via e-postlänk av %(name)s. Anmälan är aktiv.")),
        (re.compile(r"Samtycke återkallat via e-postlänk av (?P<name>.+)\."),
         N_("Samtycke återkallat via e-postlänk av %(name)s.")),
    ),
    "consent_link": (
        (re.compile(r"Samtyckeslänk skapad för (?P<name>.+) <(?P<email>[^>]*)>, "
                    r"giltig till (?P<until>[\d-]+ [\d:]+) UTC"),
         N_("Samtyckeslänk skapad för %(name)s <%(email)s>, giltig till %(until)s")),
        (re.compile(r"Samtyckeslänk förnyad för (?P<name>.+) <(?P<email>[^>]*)>, "
                    r"giltig till (?P<until>[\d-]+ [\d:]+) UTC"),
         N_("Samtyckeslänk förnyad för %(name)s <%(email)s>, giltig till %(until)s")),
        (re.compile(r"Samtyckeslänken öppnad av (?P<name>.+)"),
         N_("Samtyckeslänken öppnad av %(name)s")),
        (re.compile(r"E-post med samtyckeslänk skickad till (?P<email>.+)"),
         N_("E-post med samtyckeslänk skickad till %(email)s")),
        (re.compile(r"E-post med samtyckeslänk misslyckades: (?P<error>.*)"),
         N_("E-post med samtyckeslänk misslyckades: %(error)s")),
    ),
    "apply": (
        (re.compile(r"Ansökan (?P<number>\d+) via webbformuläret till (?P<where>.+)"),
         N_("Ansökan %(number)s via webbformuläret till %(where)s")),
    ),
    "year_end": (
        (re.compile(r".+ → .+: läsåret (?P<year>\S+) slutade (?P<day>\S+)"),
         N_("Läsåret %(year)s slutade %(day)s")),
    ),
    "export": (
        (re.compile(r"Registerutdrag (?P<file>.+)"), N_("Fil: %(file)s")),
    ),
}


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    username: str
    action: str
    subject: str
    changes: list[tuple[str, Any, Any]]
    note: str


def _time_value(value: str) -> str:
    """Return a logged ISO time (UTC) as Swedish local time, 2026-11-24 21:05."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return to_local(moment).strftime("%Y-%m-%d %H:%M")


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
    if field.endswith("_at") and isinstance(value, str):
        return _time_value(value)
    if field == "phone":
        try:
            return format_phone_se(value)
        except ValueError:
            return value
    return value


def _note(entry: AuditEntry) -> str:
    """Return the entry's note in the user's language; empty when the entry says it already."""
    note = entry.note or ""
    if entry.action in VIEW_ACTIONS or note.startswith("guardian "):
        return ""
    if entry.action == "update" and entry.entity == "enrolment" and "status" in (entry.changes
                                                                                or {}):
        return ""  # "sökande → aktiv": the status change is listed, in the user's language
    for pattern, text in _WORDED_NOTES.get(entry.action, ()):
        if match := pattern.fullmatch(note):
            values = match.groupdict()
            if "until" in values:
                values["until"] = _time_value(values["until"])
            return gettext(text, **values)
    return note


@dataclass(frozen=True)
class PersonHistory:
    """What happened to the record, and (apart, behind a toggle) who was shown the number."""

    changes: list[HistoryItem]
    views: list[HistoryItem]


def _entries(session: Session, person: Person, enrolment_ids: Collection[str]
             ) -> Sequence[AuditEntry]:
    """Return the latest entries of the person and enrolments, newest first, in one query:
    up to HISTORY_LIMIT page views and as many other entries."""
    is_view = AuditEntry.action.in_(VIEW_ACTIONS)
    newest_first = (AuditEntry.at.desc(), AuditEntry.id.desc())
    ranked = (
        select(AuditEntry.id,
               func.row_number().over(partition_by=is_view, order_by=newest_first)
               .label("rank"))
        .where(or_(
            and_(AuditEntry.entity == "person", AuditEntry.entity_id == str(person.id)),
            and_(AuditEntry.entity == "enrolment", AuditEntry.entity_id.in_(enrolment_ids)),
        ))
        .subquery()
    )
    return session.scalars(
        select(AuditEntry).join(ranked, ranked.c.id == AuditEntry.id)
        .where(ranked.c.rank <= HISTORY_LIMIT)
        .order_by(*newest_first)
    ).all()


def _item(entry: AuditEntry, labels: dict[str, str], full_personnummer: bool) -> HistoryItem:
    """Return one audit entry as the person page words it."""
    subject = (str(_l("Anmälan %(what)s", what=labels[entry.entity_id]))
               if entry.entity == "enrolment" else str(_l("Person")))
    changes = [
        (str(FIELD_LABELS.get(field, field)), _shown(field, old, full_personnummer),
         _shown(field, new, full_personnummer))
        for field, (old, new) in (entry.changes or {}).items()
        if field not in HIDDEN_FIELDS and (old not in (None, "") or new not in (None, ""))
    ]
    return HistoryItem(
        at=entry.at, username=entry.username,
        action=str(_l("Ansökan läst") if entry.action == "view" and entry.entity == "enrolment"
                   else ACTION_LABELS.get(entry.action, entry.action)), subject=subject,
        changes=changes, note=_note(entry),
    )


def person_history(
    session: Session, person: Person, enrolments: list[Enrolment], *, full_personnummer: bool
) -> PersonHistory:
    """Return the latest changes and page views of the person and their enrolments, newest first."""
    labels = {str(e.id): f"{e.team.name} {e.school_year.label}" for e in enrolments}
    history = PersonHistory(changes=[], views=[])
    for entry in _entries(session, person, labels):
        items = history.views if entry.action in VIEW_ACTIONS else history.changes
        items.append(_item(entry, labels, full_personnummer))
    return history
