"""Audit entries written before persons were referred to by id: link them, drop names

d7a3e5f19c42 linked the entries filed under a person's own records and the training
confirmations. Older entries about a walk, an invitation, an export or a pay period still
named no one, so the purge left their names behind and the registerutdrag left them out. This
links them to the polare they touched:

* every entry filed under a walk, to the walk's participants;
* an invitation of polare to an event, or its removal, to the polare its values name;
* a roster download, to the team's enrolments of the year (the file held all of them);
* a walk-log download, to the participants of the walks of its dates, of the team its file
  name names or else of the downloading user's teams;
* a pay period's close, attestation and workbook download, to the polare its lines pay.

And it rewrites the notes that named polare or quoted an uploaded file's name as the user
wrote it, as the code now writes them: "Godkänd trots att 2 polare saknar obligatorisk
utbildning.", "Import av fil.xlsx (40 rader).".

Revision ID: e6b2d9f4a1c8
Revises: f3c9a6d2e4b1
Create Date: 2026-12-03 23:30:00

"""
import json
import re
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "e6b2d9f4a1c8"
down_revision = "f3c9a6d2e4b1"
branch_labels = None
depends_on = None

#: Roles that see every team (a walk-log download of "all my teams" held all of them).
_ALL_TEAM_ROLES = ("admin", "payroll")


def _changes(value):
    """Return an entry's changes as a dict (SQLite hands JSON back as text)."""
    if isinstance(value, str):
        value = json.loads(value)
    return value or {}


def _file_part(text):
    """Return text as the downloads wrote it into a file name (polare/roster/download.py)."""
    return "".join(ch if ch.isalnum() else "-" for ch in text)


def _walk_links(bind):
    return bind.execute(sa.text(
        "SELECT a.id, pa.person_id FROM audit_entries a JOIN participations pa "
        "ON a.entity_id = CAST(pa.walk_id AS VARCHAR) WHERE a.entity = 'walk'")).all()


def _invitation_links(bind):
    links = []
    for entry_id, action, changes in bind.execute(sa.text(
            "SELECT id, action, changes FROM audit_entries WHERE "
            "(entity = 'event' AND action = 'invite') "
            "OR (entity = 'invitation' AND action = 'delete')")):
        values = _changes(changes)
        if action == "invite":
            invited = (values.get("invited_person_ids") or [None, []])[-1] or []
        else:
            invited = [(values.get("person_id") or [None])[0]]
        links += [(entry_id, person_id) for person_id in invited if isinstance(person_id, int)]
    return links


def _pay_period_links(bind):
    by_id = bind.execute(sa.text(
        "SELECT a.id, l.person_id FROM audit_entries a JOIN pay_lines l "
        "ON a.entity_id = CAST(l.period_id AS VARCHAR) "
        "WHERE a.entity = 'pay_period' AND a.action IN ('close', 'attest')")).all()
    by_month = bind.execute(sa.text(
        "SELECT a.id, l.person_id FROM audit_entries a JOIN pay_periods p "
        "ON a.entity_id = p.month JOIN pay_lines l ON l.period_id = p.id "
        "WHERE a.entity = 'pay_period' AND a.action = 'export'")).all()
    return [*by_id, *by_month]


def _roster_links(bind):
    links = []
    for entry_id, entity_id in bind.execute(sa.text(
            "SELECT id, entity_id FROM audit_entries "
            "WHERE entity = 'roster' AND action = 'export'")):
        team_id, _slash, year_id = entity_id.partition("/")
        if not (team_id.isdigit() and year_id.isdigit()):
            continue
        links += [(entry_id, person_id) for (person_id,) in bind.execute(sa.text(
            "SELECT person_id FROM enrolments WHERE team_id = :team AND school_year_id = :year"),
            {"team": int(team_id), "year": int(year_id)})]
    return links


def _walk_log_teams(bind, note, user_id, dates):
    """Return the team ids a walk-log download held (None: every team)."""
    teams = bind.execute(sa.text("SELECT id, name FROM teams")).all()
    named = [team_id for team_id, name in teams
             if f"(nattvandringar-{_file_part(name)}-{dates}.xlsx)" in note]
    if named:
        return named
    role = bind.execute(sa.text("SELECT role FROM users WHERE id = :id"),
                        {"id": user_id}).scalar() if user_id is not None else None
    if role is None or role in _ALL_TEAM_ROLES:
        return None
    return [team_id for (team_id,) in bind.execute(sa.text(
        "SELECT team_id FROM user_teams WHERE user_id = :id"), {"id": user_id})]


def _walk_log_links(bind):
    links = []
    for entry_id, entity_id, note, user_id in bind.execute(sa.text(
            "SELECT id, entity_id, note, user_id FROM audit_entries "
            "WHERE entity = 'walk_log' AND action = 'export'")).all():
        first, _slash, last = entity_id.partition("/")
        try:
            first, last = date.fromisoformat(first), date.fromisoformat(last)
        except ValueError:
            continue
        teams = _walk_log_teams(bind, note or "", user_id,
                                f"{first.isoformat()}-{last.isoformat()}")
        query = ("SELECT DISTINCT pa.person_id FROM participations pa JOIN walks w "
                 "ON w.id = pa.walk_id WHERE w.walk_date BETWEEN :first AND :last")
        if teams is not None:
            if not teams:
                continue
            query += f" AND w.team_id IN ({', '.join(str(int(t)) for t in teams)})"
        links += [(entry_id, person_id) for (person_id,) in bind.execute(
            sa.text(query), {"first": first, "last": last})]
    return links


def _link(bind, links):
    """Link the entries that refer to no one yet (the code has linked every later one)."""
    persons = {person_id for (person_id,) in bind.execute(sa.text("SELECT id FROM persons"))}
    linked = {entry_id for (entry_id,) in bind.execute(sa.text(
        "SELECT DISTINCT entry_id FROM audit_entry_persons"))}
    new = sorted({(e, p) for e, p in links if p in persons and e not in linked})
    if new:
        bind.execute(sa.text(
            "INSERT INTO audit_entry_persons (entry_id, person_id) VALUES (:e, :p)"),
            [{"e": e, "p": p} for e, p in new])


def _extension(filename):
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _logged_file(filename, rows=None):
    """Return a file as the log now keeps it: its type (and size), not the name given."""
    extension = _extension(filename)
    name = f"fil.{extension}" if extension else "fil"
    return f"{name} ({rows} rader)" if rows is not None else name


def _count(names):
    return names.count(", ") + 1


#: (pattern, replacement) for the notes of entries written before this revision.
_NAMING_NOTES = (
    (re.compile(r"(Importerad från) filen (.+?\.\w+)\.(?= |$)"),
     lambda m: f"{m[1]} {_logged_file(m[2])}."),
    (re.compile(r"(Imported from) the file (.+?\.\w+)\.(?= |$)"),
     lambda m: f"{m[1]} {_logged_file(m[2])}."),
    (re.compile(r"(Godkänd av importen, som också bekräftade att) (.+) "
                r"(saknar obligatorisk utbildning\.)"),
     lambda m: f"{m[1]} {_count(m[2])} polare {m[3]}"),
    (re.compile(r"(Approved by the import, which also confirmed that) required training is "
                r"missing for (.+)\."),
     lambda m: f"{m[1]} {_count(m[2])} polare lack required training."),
)


def _confirmation_note(note, changes):
    """Return a training confirmation's note counting the polare instead of naming them."""
    count = sum(key.startswith("missing_training[") for key in _changes(changes))
    for prefix, text in (("Godkänd trots saknad obligatorisk utbildning: ",
                          "Godkänd trots att {} polare saknar obligatorisk utbildning."),
                         ("Approved despite missing required training: ",
                          "Approved although {} polare lack required training.")):
        if note.startswith(prefix):
            return text.format(count or _count(note[len(prefix):].rstrip(".")))
    return note


def _import_note(note, changes):
    """Return an import's note with the file's type and rows instead of its name."""
    match = re.fullmatch(r"(Import av|Import of) (.+)\.", note)
    if not match or re.fullmatch(r"fil(\.\w+)? \(\d+ rader\)", match[2]):
        return note
    rows = (_changes(changes).get("rows") or [None, None])[-1]
    return f"{match[1]} {_logged_file(match[2], rows)}."


def _rewrite_notes(bind):
    entries = bind.execute(sa.text(
        "SELECT id, entity, action, note, changes FROM audit_entries "
        "WHERE entity IN ('import', 'walk', 'rate_version') AND note != ''")).all()
    for entry_id, entity, action, note, changes in entries:
        new = note
        if entity == "import":
            new = _import_note(new, changes)
        elif action == "confirm_training":
            new = _confirmation_note(new, changes)
        for pattern, replacement in _NAMING_NOTES:
            new = pattern.sub(replacement, new)
        if new != note:
            bind.execute(sa.text("UPDATE audit_entries SET note = :note WHERE id = :id"),
                         {"note": new, "id": entry_id})


def upgrade():
    bind = op.get_bind()
    _link(bind, [*_walk_links(bind), *_invitation_links(bind), *_pay_period_links(bind),
                 *_roster_links(bind), *_walk_log_links(bind)])
    _rewrite_notes(bind)


def downgrade():
    """Nothing to undo: the links and notes are what the code writes now."""
