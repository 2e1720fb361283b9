"""Writing audit entries: the polare an entry refers to."""

from __future__ import annotations

from polare.audit.models import AuditEntryPerson
from polare.audit.services import record


def test_referred_polare_are_written_past_the_orm(db, make_person):
    # A close or an export refers to 20,000 polare: as ORM objects they held tens of megabytes
    # in the session until the commit.
    persons = [make_person(first_name=f"P{n}") for n in range(3)]
    db.flush()
    entry = record(db, None, "export", "pay_period", "2026-11",
                   persons={person.id for person in persons})
    session = db()
    assert not any(isinstance(obj, AuditEntryPerson)
                   for obj in (*session.new, *session.identity_map.values()))
    assert [ref.person_id for ref in entry.persons] == sorted(person.id for person in persons)


def test_an_entry_about_a_person_refers_to_that_person(db, make_person):
    person = make_person()
    db.flush()
    entry = record(db, None, "update", "person", person.id)
    db.flush()
    assert [ref.person_id for ref in entry.persons] == [person.id]


def test_an_entry_without_persons_refers_to_none(db):
    entry = record(db, None, "login", "user", "1")
    db.flush()
    assert entry.persons == []
