"""Person records: one per personnummer, checked fields, guardians, audited changes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.errors import DomainError
from polare.roster.services import (
    GuardianInput,
    PersonExistsError,
    PersonInput,
    add_guardian,
    create_person,
    remove_guardian,
    update_person,
)
from polare.roster.sorting import swedish_sort_key
from tests.conftest import TODAY, valid_personnummer

BIRTH = date(2009, 3, 14)
CANONICAL = valid_personnummer(BIRTH, 123)


def _input(**overrides) -> PersonInput:
    values = {"personnummer": CANONICAL, "first_name": "Elsa", "last_name": "Öberg"}
    values.update(overrides)
    return PersonInput(**values)


@pytest.mark.parametrize("typed", [
    CANONICAL, CANONICAL.replace("-", ""), CANONICAL[2:], CANONICAL[2:].replace("-", ""),
])
def test_every_accepted_form_is_stored_canonical_with_the_birth_date(db, typed):
    person = create_person(db, None, _input(personnummer=typed), today=TODAY)
    assert person.personnummer == CANONICAL
    assert person.birth_date == BIRTH


def test_a_second_person_with_the_same_number_is_refused_with_the_first_attached(db):
    first = create_person(db, None, _input(), today=TODAY)
    with pytest.raises(PersonExistsError) as refusal:
        create_person(db, None, _input(personnummer=CANONICAL[2:], first_name="Annan"),
                      today=TODAY)
    assert refusal.value.person.id == first.id
    assert refusal.value.field == "personnummer"


def test_a_wrong_check_digit_is_refused_naming_the_reason(db):
    wrong = CANONICAL[:-1] + str((int(CANONICAL[-1]) + 1) % 10)
    with pytest.raises(DomainError, match="Kontrollsiffran") as refusal:
        create_person(db, None, _input(personnummer=wrong), today=TODAY)
    assert refusal.value.field == "personnummer"


@pytest.mark.parametrize(("field", "value"), [
    ("first_name", "El\x07sa"), ("last_name", "Öb\x00erg"), ("school", "Skola\x1b"),
    ("address", "Storgatan\t1"), ("notes", "rad\x0cett"),
])
def test_control_characters_are_refused_on_the_field(db, field, value):
    with pytest.raises(DomainError, match="otillåtna tecken") as refusal:
        create_person(db, None, _input(**{field: value}), today=TODAY)
    assert refusal.value.field == field


def test_notes_may_have_several_lines(db):
    person = create_person(db, None, _input(notes="Rad ett\r\nRad två"), today=TODAY)
    assert person.notes == "Rad ett\nRad två"


def test_phone_is_stored_in_e164_and_email_checked(db):
    person = create_person(db, None, _input(phone="070-123 45 67", email="Elsa@Example.se"),
                           today=TODAY)
    assert person.phone == "+46701234567"
    with pytest.raises(DomainError) as refusal:
        create_person(db, None, _input(personnummer=valid_personnummer(BIRTH, 124),
                                       email="inte-en-adress"), today=TODAY)
    assert refusal.value.field == "email"


def test_sort_key_is_the_swedish_key_of_the_name(db):
    person = create_person(db, None, _input(), today=TODAY)
    assert person.sort_key == swedish_sort_key("Öberg", "Elsa")


def test_update_is_audited_with_old_and_new_values(db):
    person = create_person(db, None, _input(), today=TODAY)
    update_person(db, None, person, _input(last_name="Ek", prior_years=1), today=TODAY)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "person",
                                                AuditEntry.action == "update")).one()
    assert entry.changes["last_name"] == ["Öberg", "Ek"]
    assert entry.changes["prior_years"] == [0, 1]


def test_changing_to_a_taken_number_is_refused(db):
    create_person(db, None, _input(), today=TODAY)
    other = create_person(db, None, _input(personnummer=valid_personnummer(BIRTH, 124)),
                          today=TODAY)
    with pytest.raises(PersonExistsError):
        update_person(db, None, other, _input(), today=TODAY)


def test_a_guardian_needs_a_phone(db):
    person = create_person(db, None, _input(), today=TODAY)
    with pytest.raises(DomainError) as refusal:
        add_guardian(db, None, person, GuardianInput(name="Karin Öberg", phone=""))
    assert refusal.value.field == "phone"


def test_a_guardian_whose_consent_an_enrolment_rests_on_cannot_be_removed(
    db, polare, make_guardian
):
    guardian = make_guardian(polare)
    polare.enrolments[0].consent_guardian_id = guardian.id
    polare.enrolments[0].consent_date = date(2026, 8, 1)
    with pytest.raises(DomainError, match="har lämnat samtycke"):
        remove_guardian(db, None, guardian)


def test_removing_a_guardian_is_audited_on_the_person(db, polare, make_guardian):
    guardian = make_guardian(polare, name="Per Ek")
    remove_guardian(db, None, guardian)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "guardian_remove")).one()
    assert (entry.entity, entry.entity_id) == ("person", str(polare.id))
    assert entry.changes["name"] == ["Per Ek", None]
