"""Applications through the public form: which school year, who the applicant is, what is kept.

An application always gives the same answer to the applicant. When the personnummer is
already registered it joins that person: the person record and its guardians are left as they
are (what was typed, the guardian too, is kept on the application for the coordinator), so the
form can neither read nor change anything about an existing record. A consent link then goes
only to a guardian already registered with the e-mail address typed, never to a new address.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from payroll.ages import age_on
from polare.audit.services import record
from polare.errors import DomainError
from polare.org.models import SchoolYear, Team
from polare.org.services import get_settings, school_year_on
from polare.recruitment.actors import PUBLIC_FORM
from polare.recruitment.models import Application
from polare.recruitment.wording import MOTIVATION_LABEL
from polare.roster.identity import normalise_phone
from polare.roster.models import Enrolment, Guardian, Person
from polare.roster.services import (
    GuardianInput,
    PersonExistsError,
    PersonInput,
    add_guardian,
    create_enrolment,
    create_person,
)
from polare.roster.services.persons import checked_guardian
from polare.roster.services.queries import ADULT_AGE
from polare.roster.services.texts import clean_text

#: Version of the privacy notice on the form; change it when the notice's content changes.
PRIVACY_NOTICE_VERSION = "2026-12-1"
MOTIVATION_MAX_LENGTH = 1000


class ApplicationsClosedError(DomainError):
    """No school year takes applications today."""


@dataclass(frozen=True)
class ApplicationInput:
    """What the applicant typed into the public form."""

    personnummer: str
    first_name: str
    last_name: str
    phone: str
    email: str
    school: str
    motivation: str
    guardian_name: str = ""
    guardian_phone: str = ""
    guardian_email: str = ""


@dataclass(frozen=True)
class SubmittedApplication:
    """The stored application, and the guardian to ask for consent, if any.

    None from 18 on, and for a person registered before unless the e-mail typed is that of a
    guardian already registered.
    """

    application: Application
    guardian: Guardian | None


def team_slug(team: Team) -> str:
    """Return the team's name as an address: 'Skäggetorp' → 'skaggetorp'."""
    folded = unicodedata.normalize("NFKD", team.name.lower())
    return "".join(char for char in folded if char.isascii() and char.isalnum())


def open_teams(session: Session) -> list[Team]:
    """Return the active teams, which take applications."""
    return list(session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)))


def team_by_slug(session: Session, slug: str) -> Team | None:
    """Return the active team whose address is `slug`, if any."""
    return next((team for team in open_teams(session) if team_slug(team) == slug), None)


def _year_after(session: Session, year: SchoolYear) -> SchoolYear | None:
    return session.scalars(select(SchoolYear).where(SchoolYear.starts_on > year.ends_on)
                           .order_by(SchoolYear.starts_on).limit(1)).first()


def application_school_year(session: Session, today: date) -> SchoolYear | None:
    """Return the school year an application made today goes to.

    That is today's school year, or the next one once the admin's opening date for it has
    come (an opening date inside today's school year). Between school years it is the next.
    """
    current = school_year_on(session, today)
    if current is None:
        return session.scalars(select(SchoolYear).where(SchoolYear.starts_on > today)
                               .order_by(SchoolYear.starts_on).limit(1)).first()
    opens = get_settings(session).applications_next_year_from
    if opens is not None and opens <= today and current.contains(opens):
        return _year_after(session, current) or current
    return current


def _check_age(session: Session, birth_date: date, year: SchoolYear, today: date) -> bool:
    """Refuse an applicant who is never of an eligible age during the school year.

    Return whether the applicant is under 18 when the enrolment could begin.
    """
    settings = get_settings(session)
    first_day = max(today, year.starts_on)
    if birth_date > year.ends_on or age_on(birth_date, year.ends_on) < settings.min_age \
            or age_on(birth_date, first_day) > settings.max_age:
        raise DomainError("recruitment.age_outside_band", field="personnummer",
                          min=settings.min_age, max=settings.max_age, year=year.label)
    return age_on(birth_date, first_day) < ADULT_AGE


def _person(session: Session, data: ApplicationInput, today: date) -> tuple[Person, bool]:
    """Return a new person, checked as the roster checks them, or the one already registered.

    The second value tells whether the person was registered before this application.
    """
    person_input = PersonInput(personnummer=data.personnummer, first_name=data.first_name,
                               last_name=data.last_name, phone=data.phone, email=data.email,
                               school=data.school)
    try:
        return create_person(session, PUBLIC_FORM, person_input, today=today), False
    except PersonExistsError as exists:
        return exists.person, True


def _named_guardian(data: ApplicationInput) -> GuardianInput:
    """Return the guardian the applicant named, checked and cleaned as the roster does."""
    if not data.guardian_email.strip():
        raise DomainError("recruitment.guardian_email_missing", field="guardian_email")
    try:
        checked = checked_guardian(GuardianInput(name=data.guardian_name,
                                                 phone=data.guardian_phone,
                                                 email=data.guardian_email))
    except DomainError as error:
        error.field = f"guardian_{error.field}"  # the form's name of the guardian's field
        raise
    return GuardianInput(name=checked.name, phone=checked.phone, email=checked.email)


def _guardian(session: Session, person: Person, named: GuardianInput, *,
              registered: bool) -> Guardian | None:
    """Return the guardian to ask for consent: one registered with the e-mail typed, or new.

    A person registered before the application gets no guardian from the form (None): an
    address the form was given cannot receive a link for someone else's record.
    """
    for guardian in person.guardians:
        if guardian.email and guardian.email.lower() == named.email.lower():
            return guardian
    return None if registered else add_guardian(session, PUBLIC_FORM, person, named)


def _enrolment(session: Session, person: Person, team: Team, year: SchoolYear,
               today: date) -> Enrolment:
    existing = session.scalar(select(Enrolment).where(
        Enrolment.person_id == person.id, Enrolment.team_id == team.id,
        Enrolment.school_year_id == year.id))
    return existing or create_enrolment(session, PUBLIC_FORM, person, team.id, year.id, on=today)


def _unread_copy(session: Session, enrolment_id: int,
                 details: dict[str, str]) -> Application | None:
    """Return an application of the enrolment not yet read with exactly these details."""
    return session.scalars(
        select(Application).where(
            Application.enrolment_id == enrolment_id, Application.seen_at.is_(None),
            *(getattr(Application, name) == value for name, value in details.items()))
        .limit(1)).first()


def submit_application(
    session: Session, data: ApplicationInput, team: Team, *, today: date, now: datetime
) -> SubmittedApplication:
    """Store an application as an applicant enrolment of the team; the same for every number."""
    year = application_school_year(session, today)
    if year is None:
        raise ApplicationsClosedError("recruitment.closed")
    motivation = clean_text(data.motivation, MOTIVATION_LABEL, field="motivation",
                            max_length=MOTIVATION_MAX_LENGTH, multiline=True)
    person, registered = _person(session, data, today)
    is_minor = _check_age(session, person.birth_date, year, today)
    named = _named_guardian(data) if is_minor else GuardianInput(name="", phone="")
    guardian = _guardian(session, person, named, registered=registered) if is_minor else None
    enrolment = _enrolment(session, person, team, year, today)
    details = {"first_name": data.first_name.strip(), "last_name": data.last_name.strip(),
               "phone": normalise_phone(data.phone), "email": data.email.strip(),
               "school": data.school.strip(), "motivation": motivation,
               "guardian_name": named.name, "guardian_phone": named.phone,
               "guardian_email": named.email}
    sent_before = _unread_copy(session, enrolment.id, details)
    if sent_before is not None:  # a double tap or a retry: the same answer, nothing twice
        return SubmittedApplication(application=sent_before, guardian=guardian)
    application = Application(enrolment_id=enrolment.id, submitted_at=now,
                              privacy_notice_version=PRIVACY_NOTICE_VERSION, **details)
    session.add(application)
    session.flush()
    record(session, PUBLIC_FORM, "apply", "enrolment", enrolment.id,
           note=f"Ansökan {application.id} via webbformuläret till {team.name} {year.label}",
           persons=[enrolment.person_id])
    return SubmittedApplication(application=application, guardian=guardian)


def applications_of(session: Session, enrolment_id: int) -> list[Application]:
    """Return the enrolment's applications, newest first."""
    return list(session.scalars(select(Application).where(Application.enrolment_id == enrolment_id)
                                .order_by(Application.submitted_at.desc(), Application.id.desc())))


def mark_seen(session: Session, actor: object, applications: list[Application],
              now: datetime) -> None:
    """Mark the applications a coordinator has now read; they are no longer *ny ansökan*."""
    unseen = [application for application in applications if application.seen_at is None]
    for application in unseen:
        application.seen_at = now
        application.seen_by_id = getattr(actor, "id", None)
    if unseen:
        session.flush()
        record(session, actor, "view", "enrolment", unseen[0].enrolment_id,
               note=f"Ansökan läst: {', '.join(str(a.id) for a in unseen)}",
               persons=[unseen[0].enrolment.person_id])


def count_new_applications(session: Session, team_ids: set[int] | None) -> int:
    """Count the unread applications of the teams (None: all teams)."""
    query = (select(func.count(func.distinct(Application.enrolment_id)))
             .join(Application.enrolment).where(Application.seen_at.is_(None)))
    if team_ids is not None:
        query = query.where(Enrolment.team_id.in_(team_ids))
    return session.scalar(query) or 0


def erase_applications(session: Session, person_id: int) -> int:
    """Delete what the person's applications said (at purge); return how many there were."""
    applications = list(session.scalars(
        select(Application).join(Application.enrolment).where(Enrolment.person_id == person_id)))
    for application in applications:
        session.delete(application)
    return len(applications)
