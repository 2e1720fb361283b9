"""Finding the person a registerutdrag is for: by name, or by personnummer (sent by POST)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from polare.roster.models import Enrolment, Person

MAX_RESULTS = 50
_NUMBER = re.compile(r"\d{6}(?:\d{2})?[-+]?\d{4}")


def _by_personnummer(session: Session, text: str) -> list[int]:
    digits = re.sub(r"\D", "", text)
    if len(digits) == 12:
        condition = Person.personnummer == f"{digits[:8]}-{digits[8:]}"
    else:  # 10 digits: any century
        condition = Person.personnummer.like(f"__{digits[:6]}-{digits[6:]}")
    return list(session.scalars(select(Person.id).where(condition).limit(MAX_RESULTS)))


def _by_name(session: Session, text: str) -> list[int]:
    """Match every word of the query in the name, ignoring case (also for å, ä, ö in SQLite)."""
    words = text.casefold().split()
    rows = session.execute(
        select(Person.id, Person.first_name, Person.last_name)
        .where(Person.anonymised_at.is_(None)).order_by(Person.sort_key, Person.id)
    )
    found = []
    for person_id, first, last in rows:
        name = f"{first} {last}".casefold()
        if all(word in name for word in words):
            found.append(person_id)
            if len(found) == MAX_RESULTS:
                break
    return found


def find_persons(session: Session, query: str) -> list[Person]:
    """Return up to MAX_RESULTS persons whose name or personnummer matches the query."""
    text = query.strip()
    if not text:
        return []
    ids = (_by_personnummer(session, text) if _NUMBER.fullmatch(text.replace(" ", ""))
           else _by_name(session, text))
    if not ids:
        return []
    persons = session.scalars(
        select(Person).where(Person.id.in_(ids))
        .options(selectinload(Person.enrolments).selectinload(Enrolment.team),
                 selectinload(Person.enrolments).selectinload(Enrolment.school_year))
    ).all()
    order = {person_id: index for index, person_id in enumerate(ids)}
    return sorted(persons, key=lambda person: order[person.id])
