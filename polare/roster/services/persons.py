"""Persons (polare) and their guardians: one person record per personnummer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from polare.audit.services import changes_between, record, snapshot
from polare.errors import DomainError
from polare.roster.identity import (
    IdentityError,
    InvalidPersonnummer,
    Personnummer,
    normalise_phone,
    parse_personnummer,
)
from polare.roster.models import Enrolment, Guardian, Person
from polare.roster.services.texts import LabelledFieldError, clean_text
from polare.roster.sorting import swedish_sort_key

PERSON_FIELDS = (
    "personnummer", "birth_date", "first_name", "last_name", "phone", "email", "address",
    "school", "notes", "prior_years",
)
GUARDIAN_FIELDS = ("name", "phone", "email", "relation")
#: More prior years than this is a typing error (the programme is for ages 15–20).
MAX_PRIOR_YEARS = 10


class PersonExistsError(DomainError):
    """A person with this personnummer is already registered; `person` is that record.

    The message names no one: the caller shows the person only to those who may see them.
    """

    def __init__(self, person: Person) -> None:
        super().__init__("roster.person_exists", field="personnummer",
                         number=person.personnummer)
        self.person = person


@dataclass(frozen=True)
class PersonInput:
    """What a form, an import or a test says about a person."""

    personnummer: str
    first_name: str
    last_name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    school: str = ""
    notes: str = ""
    prior_years: int = 0


@dataclass(frozen=True)
class GuardianInput:
    """What a form says about a guardian (vårdnadshavare)."""

    name: str
    phone: str
    email: str = ""
    relation: str = ""


def _phone(text: str, field: str, *, required: bool = False) -> str:
    text = (text or "").strip()
    if not text:
        if required:
            raise DomainError("roster.phone_required", field=field)
        return ""
    try:
        return normalise_phone(text)
    except IdentityError as error:
        raise DomainError(error.code, field=field, **error.values) from error


def _email(text: str, field: str) -> str:
    text = clean_text(text, _l("E-post"), field=field, max_length=200)
    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise DomainError("roster.email_invalid", field=field, email=text) from error


def _name(text: str, label: str, field: str, max_length: int) -> str:
    name = clean_text(text, label, field=field, max_length=max_length)
    if not name:
        raise LabelledFieldError("roster.name_missing", field=field, label=label.lower())
    return name


def parse_or_refuse(text: str, today: date) -> Personnummer:
    """Return the parsed personnummer, or refuse it with the parser's explanation."""
    try:
        return parse_personnummer(text, today)
    except InvalidPersonnummer as error:
        raise DomainError(error.code, field="personnummer", **error.values) from error


def find_person_by_personnummer(session: Session, text: str, *, today: date) -> Person | None:
    """Return the person with this number in any accepted form, or None (refuse bad input)."""
    number = parse_or_refuse(text, today)
    return session.scalar(select(Person).where(Person.personnummer == number.canonical))


def _apply(person: Person, data: PersonInput, today: date) -> None:
    """Check every field of the input and write it to the person."""
    number = parse_or_refuse(data.personnummer, today)
    if not 0 <= data.prior_years <= MAX_PRIOR_YEARS:
        raise DomainError("roster.prior_years_range", field="prior_years", n=MAX_PRIOR_YEARS)
    person.personnummer = number.canonical
    person.birth_date = number.birth_date
    person.first_name = _name(data.first_name, _l("Förnamn"), "first_name", 80)
    person.last_name = _name(data.last_name, _l("Efternamn"), "last_name", 80)
    person.sort_key = swedish_sort_key(person.last_name, person.first_name)
    person.phone = _phone(data.phone, "phone")
    person.email = _email(data.email, "email")
    person.address = clean_text(data.address, _l("Adress"), field="address", max_length=200)
    person.school = clean_text(data.school, _l("Skola"), field="school", max_length=120)
    person.notes = clean_text(data.notes, _l("Anteckningar"), field="notes", max_length=4000,
                              multiline=True)
    person.prior_years = data.prior_years


def _refuse_taken_number(session: Session, person: Person) -> None:
    """Refuse the person's number when another record already has it."""
    other = session.scalar(select(Person).where(Person.personnummer == person.personnummer,
                                                Person.id != (person.id or -1)))
    if other is not None:
        raise PersonExistsError(other)


def _flush_unique(session: Session, person: Person) -> None:
    """Flush; a number another request registered a moment ago is refused, not a crash.

    The transaction is unusable after the failed INSERT, so the caller's rollback (every
    route rolls back on a DomainError) comes before anything else.
    """
    try:
        session.flush()
    except IntegrityError as error:
        raise DomainError("roster.personnummer_just_taken", field="personnummer",
                          number=person.personnummer) from error


def create_person(session: Session, actor: object, data: PersonInput, *, today: date) -> Person:
    """Register a person; an existing personnummer is refused with that person attached."""
    person = Person()
    _apply(person, data, today)
    _refuse_taken_number(session, person)
    session.add(person)
    _flush_unique(session, person)
    record(session, actor, "create", "person", person.id,
           changes=changes_between({}, snapshot(person, PERSON_FIELDS)))
    return person


def update_person(
    session: Session, actor: object, person: Person, data: PersonInput, *, today: date
) -> Person:
    """Change a person's details; the personnummer stays unique."""
    before = snapshot(person, PERSON_FIELDS)
    with session.no_autoflush:
        _apply(person, data, today)
        _refuse_taken_number(session, person)
    _flush_unique(session, person)
    changes = changes_between(before, snapshot(person, PERSON_FIELDS))
    if changes:
        record(session, actor, "update", "person", person.id, changes=changes)
    return person


def _apply_guardian(guardian: Guardian, data: GuardianInput) -> None:
    guardian.name = _name(data.name, _l("Namn"), "name", 120)
    guardian.phone = _phone(data.phone, "phone", required=True)
    guardian.email = _email(data.email, "email")
    guardian.relation = clean_text(data.relation, _l("Relation"), field="relation",
                                   max_length=40)


def checked_guardian(data: GuardianInput) -> Guardian:
    """Return an unsaved guardian whose input passed the checks that `add_guardian` makes."""
    guardian = Guardian()
    _apply_guardian(guardian, data)
    return guardian


def add_guardian(
    session: Session, actor: object, person: Person, data: GuardianInput
) -> Guardian:
    """Add a guardian (name and phone required) to the person."""
    guardian = Guardian(person_id=person.id)
    _apply_guardian(guardian, data)
    session.add(guardian)
    session.flush()
    record(session, actor, "guardian_add", "person", person.id,
           changes=changes_between({}, snapshot(guardian, GUARDIAN_FIELDS)),
           note=f"guardian {guardian.id}")
    return guardian


def update_guardian(
    session: Session, actor: object, guardian: Guardian, data: GuardianInput
) -> Guardian:
    """Change a guardian's details."""
    before = snapshot(guardian, GUARDIAN_FIELDS)
    with session.no_autoflush:
        _apply_guardian(guardian, data)
    session.flush()
    changes = changes_between(before, snapshot(guardian, GUARDIAN_FIELDS))
    if changes:
        record(session, actor, "guardian_update", "person", guardian.person_id,
               changes=changes, note=f"guardian {guardian.id}")
    return guardian


def remove_guardian(session: Session, actor: object, guardian: Guardian) -> None:
    """Remove a guardian, unless their consent is what an enrolment rests on."""
    consented = session.scalar(
        select(Enrolment.id).where(Enrolment.consent_guardian_id == guardian.id).limit(1)
    )
    if consented is not None:
        raise DomainError("roster.guardian_gave_consent", name=guardian.name)
    before = snapshot(guardian, GUARDIAN_FIELDS)
    person_id, guardian_id = guardian.person_id, guardian.id
    session.delete(guardian)
    session.flush()
    record(session, actor, "guardian_remove", "person", person_id,
           changes={name: [value, None] for name, value in before.items()},
           note=f"guardian {guardian_id}")
