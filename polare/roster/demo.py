"""Demo polare: Ryd with a nearly full roster, Berga and Skäggetorp with a few each."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import luhn

from polare.auth.models import User
from polare.org.models import SchoolYear
from polare.org.services import school_year_on, team_by_name
from polare.roster.models import Enrolment, Person
from polare.roster.services import (
    GuardianInput,
    PersonInput,
    activate_enrolment,
    add_guardian,
    create_enrolment,
    create_person,
    end_enrolment,
    register_consent,
    waitlist_enrolment,
)

#: first name, last name, age at the school year's start, birthday (month, day), outcome.
#: Outcomes: active, applicant, waitlisted, ended; minors get a guardian and consent.
DEMO_POLARE: dict[str, tuple[tuple[str, str, int, tuple[int, int], str], ...]] = {
    "Ryd": (
        ("Elsa", "Öberg", 16, (3, 14), "active"),
        ("Ali", "Hassan", 17, (11, 2), "active"),
        ("Maja", "Åkesson", 18, (1, 30), "active"),
        ("Noah", "Lindqvist", 19, (6, 5), "active"),
        ("Fatima", "Abdi", 16, (9, 21), "active"),
        ("William", "Ängström", 17, (12, 24), "active"),
        ("Alva", "Nilsson", 15, (4, 8), "active"),
        ("Hugo", "Karlsson", 18, (2, 28), "active"),
        ("Ebba", "Sjöberg", 19, (7, 19), "active"),
        ("Yusuf", "Özdemir", 17, (5, 3), "active"),
        ("Wilma", "Johansson", 16, (10, 10), "active"),
        ("Liam", "Björk", 18, (8, 15), "active"),
        ("Saga", "Eriksson", 17, (2, 29), "active"),
        ("Omar", "Mohammed", 20, (3, 1), "active"),
        ("Leah", "Müller", 16, (12, 1), "active"),
        ("Isak", "Pettersson", 19, (1, 11), "active"),
        ("Nora", "Hägg", 16, (6, 30), "applicant"),
        ("Adam", "Berg", 18, (4, 22), "applicant"),
        ("Amira", "Said", 17, (9, 9), "waitlisted"),
        ("Viktor", "Holm", 19, (11, 27), "ended"),
    ),
    "Berga": (
        ("Selma", "Andersson", 17, (5, 17), "active"),
        ("Elias", "Gustafsson", 18, (10, 4), "active"),
        ("Hanna", "Larsson", 16, (2, 2), "active"),
        ("Mohamed", "Warsame", 19, (7, 7), "applicant"),
    ),
    "Skäggetorp": (
        ("Ines", "Jovanović", 18, (8, 28), "active"),
        ("Melvin", "Svensson", 17, (3, 3), "active"),
        ("Tilde", "Åberg", 15, (12, 12), "applicant"),
    ),
}
#: Guardians' first names, picked in turn; the guardian has the polare's last name.
GUARDIAN_NAMES = ("Karin", "Ahmed", "Anna", "Peter", "Sara", "Johan", "Leila", "Mats")
#: The polare who was also active the school year before (years in programme 2).
RETURNING = ("Ryd", "Noah", "Lindqvist")


def _personnummer(birth: date, serial: int) -> str:
    digits = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(digits)}"


def _birth_date(start: date, age: int, month: int, day: int) -> date:
    """Return a birthday giving that age on the school year's first day."""
    year = start.year - age - (1 if (month, day) > (start.month, start.day) else 0)
    if (month, day) == (2, 29) and year % 4:
        year -= year % 4  # a leap-day birth needs a leap year
    return date(year, month, day)


def _enrol(session: Session, actor: User | None, person: Person, team_id: int,
           year: SchoolYear, outcome: str, *, today: date) -> Enrolment:
    """Apply and take the enrolment to its outcome, through the same rules as the pages."""
    applied = year.starts_on + timedelta(days=7)
    activation = min(year.starts_on + timedelta(days=21), today)
    enrolment = create_enrolment(session, actor, person, team_id, year.id, on=applied)
    if outcome == "applicant":
        return enrolment
    if outcome == "waitlisted":
        return waitlist_enrolment(session, actor, enrolment.id)
    if person.guardians:
        register_consent(session, actor, enrolment.id, guardian_id=person.guardians[0].id,
                         consent_date=applied, today=today)
    activate_enrolment(session, actor, enrolment.id, on=activation)
    if outcome == "ended":
        end_enrolment(session, actor, enrolment.id, on=min(activation + timedelta(days=40),
                                                              today),
                      reason="Flyttat från Linköping")
    return enrolment


def load_demo(session: Session, today: date) -> None:
    """Load the demo polare of the current school year, once."""
    year = school_year_on(session, today)
    if year is None or session.scalar(
        select(Enrolment.id).where(Enrolment.school_year_id == year.id).limit(1)
    ) is not None:
        return
    previous = session.scalars(select(SchoolYear).where(SchoolYear.ends_on < year.starts_on)
                               .order_by(SchoolYear.starts_on.desc()).limit(1)).first()
    actor = session.scalar(select(User).where(User.username == "samordnare"))
    serial = 200
    for team_name, polare in DEMO_POLARE.items():
        team = team_by_name(session, team_name)
        if team is None:
            continue
        for first, last, age, (month, day), outcome in polare:
            serial += 7
            birth = _birth_date(year.starts_on, age, month, day)
            person = create_person(session, actor, PersonInput(
                personnummer=_personnummer(birth, serial), first_name=first, last_name=last,
                phone=f"070-{serial:03d} {serial % 100:02d} {(serial * 3) % 100:02d}",
                school="Katedralskolan" if age < 19 else "",
            ), today=today)
            if age < 18:
                add_guardian(session, actor, person, GuardianInput(
                    name=f"{GUARDIAN_NAMES[serial % len(GUARDIAN_NAMES)]} {last}",
                    phone=f"073-{serial:03d} 11 {serial % 100:02d}", relation="förälder"))
            if previous is not None and (team_name, first, last) == RETURNING:
                _enrol(session, actor, person, team.id, previous, "active", today=today)
            _enrol(session, actor, person, team.id, year, outcome, today=today)
