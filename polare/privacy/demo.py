"""Demo data for retention: former polare whose last enrolment ended past the retention time.

They are enrolled, activated and ended through the roster services (so every rule holds), in
the school year of a day one month beyond the retention time, so the privacy page has people
to list whatever day the demo is loaded. The deletion decision is left empty on purpose: the
admin enters it under Settings before the first purge, as in real use.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import luhn

from polare.auth.models import User
from polare.org.services import get_settings, school_year_on, team_by_name
from polare.privacy.retention import months_before
from polare.roster.models import Person
from polare.roster.services import (
    GuardianInput,
    PersonInput,
    activate_enrolment,
    add_guardian,
    create_enrolment,
    create_person,
    end_enrolment,
    register_consent,
)

#: team, first name, last name, age on activation, guardian's first name (minors), end reason.
FORMER_POLARE = (
    ("Ryd", "Kevin", "Dahlström", 19, None, "Började arbeta kvällar"),
    ("Berga", "Lova", "Ekdahl", 16, "Cecilia", "Flyttade till Norrköping"),
)
_FIRST_SERIAL = 871


def _personnummer(birth: date, serial: int) -> str:
    digits = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(digits)}"


def load_demo(session: Session, today: date) -> None:
    """Load the former polare, once; nothing when no school year lies that far back."""
    ended_on = months_before(today, get_settings(session).retention_months + 1)
    year = school_year_on(session, ended_on)
    if year is None:
        return
    applied = year.starts_on + timedelta(days=7)
    activated = year.starts_on + timedelta(days=21)
    ended_on = max(ended_on, activated)
    actor = session.scalar(select(User).where(User.username == "samordnare"))
    for serial, (team_name, first, last, age, guardian, reason) in enumerate(
        FORMER_POLARE, start=_FIRST_SERIAL
    ):
        birth = date(activated.year - age - 1, 12, 1)
        number = _personnummer(birth, serial)
        team = team_by_name(session, team_name)
        if team is None or session.scalar(select(Person.id).where(Person.personnummer == number)):
            continue
        person = create_person(session, actor, PersonInput(
            personnummer=number, first_name=first, last_name=last,
            phone=f"070-{serial} 12 34", school="Berzeliusskolan", notes="Demo: tidigare polare",
        ), today=today)
        enrolment = create_enrolment(session, actor, person, team.id, year.id, on=applied)
        if guardian is not None:
            added = add_guardian(session, actor, person, GuardianInput(
                name=f"{guardian} {last}", phone=f"073-{serial} 56 78", relation="förälder"))
            register_consent(session, actor, enrolment.id, guardian_id=added.id,
                             consent_date=applied, today=today)
        activate_enrolment(session, actor, enrolment.id, on=activated)
        end_enrolment(session, actor, enrolment.id, on=ended_on, reason=reason)
