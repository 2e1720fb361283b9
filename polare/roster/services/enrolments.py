"""The enrolment workflow: apply, activate (eligibility, consent, cap), waitlist, end.

Activation takes the team-year lock before it reads anything it decides on, so two
coordinators activating the last place at the same moment queue on that row (PostgreSQL
`SELECT … FOR UPDATE`; on SQLite the write transaction began with `BEGIN IMMEDIATE`) and the
second one counts the first one's activation.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from payroll.ages import age_on
from polare.audit.services import changes_between, record, snapshot
from polare.clock import utcnow
from polare.errors import DomainError, NotFoundError
from polare.org.models import SchoolYear, Team, TeamYear
from polare.org.services import ensure_team_year, get_settings, lock_team_year
from polare.roster.models import (
    ENROLMENT_TRANSITIONS,
    Enrolment,
    EnrolmentStatus,
    Guardian,
    Person,
)
from polare.roster.services.queries import ADULT_AGE, count_active
from polare.roster.services.texts import clean_text
from polare.roster.services.visibility import scope_team_ids

#: Names of the statuses as messages use them ("Anmälan är %(status)s"), translated.
STATUS_NAMES = {
    EnrolmentStatus.APPLICANT: _l("sökande"),
    EnrolmentStatus.ACTIVE: _l("aktiv"),
    EnrolmentStatus.WAITLISTED: _l("på väntelistan"),
    EnrolmentStatus.DECLINED: _l("avböjd"),
    EnrolmentStatus.ENDED: _l("avslutad"),
}
#: The same names in Swedish, for the audit log (stored data, never translated).
AUDIT_STATUS_NAMES = {
    EnrolmentStatus.APPLICANT: "sökande",
    EnrolmentStatus.ACTIVE: "aktiv",
    EnrolmentStatus.WAITLISTED: "på väntelistan",
    EnrolmentStatus.DECLINED: "avböjd",
    EnrolmentStatus.ENDED: "avslutad",
}

ENROLMENT_FIELDS = (
    "status", "applied_on", "activated_on", "ended_on", "end_reason", "waitlisted_at",
    "consent_date", "consent_guardian_id", "consent_registered_by_id",
)


class CapReachedError(DomainError):
    """The team already has as many active polare as its cap allows this school year."""


class EnrolmentTransitionError(DomainError):
    """The enrolment's status does not allow the requested move."""


class NotEligibleError(DomainError):
    """The person's age on the activation date is outside the eligible range."""


class ConsentMissingError(DomainError):
    """A polare under 18 has no written guardian consent dated on or before activation."""


def get_enrolment(session: Session, enrolment_id: int) -> Enrolment:
    """Return the enrolment with its person, team and school year, read afresh."""
    enrolment = session.scalars(
        select(Enrolment)
        .where(Enrolment.id == enrolment_id)
        .options(joinedload(Enrolment.person), joinedload(Enrolment.team),
                 joinedload(Enrolment.school_year))
        .execution_options(populate_existing=True)
    ).first()
    if enrolment is None:
        raise NotFoundError("roster.enrolment_not_found")
    return enrolment


def _move(session: Session, actor: object, enrolment: Enrolment, target: EnrolmentStatus,
          before: dict[str, object], **values: object) -> Enrolment:
    """Set the new status and values, flush and audit the change."""
    enrolment.status = target
    for name, value in values.items():
        setattr(enrolment, name, value)
    session.flush()
    record(session, actor, "update", "enrolment", enrolment.id,
           changes=changes_between(before, snapshot(enrolment, ENROLMENT_FIELDS)),
           note=f"{AUDIT_STATUS_NAMES[EnrolmentStatus(before['status'])]} → "
                f"{AUDIT_STATUS_NAMES[target]}",
           persons=[enrolment.person_id])
    return enrolment


def check_transition(enrolment: Enrolment, target: EnrolmentStatus) -> None:
    """Refuse a move that ENROLMENT_TRANSITIONS does not allow."""
    if target not in ENROLMENT_TRANSITIONS[enrolment.status]:
        raise EnrolmentTransitionError("roster.transition_refused",
                                       old=STATUS_NAMES[enrolment.status],
                                       new=STATUS_NAMES[target])


def _check_within_year(year: SchoolYear, day: date, field: str) -> None:
    if not year.contains(day):
        raise DomainError("roster.outside_school_year", field=field, day=day.isoformat(),
                          year=year.label, start=year.starts_on.isoformat(),
                          end=year.ends_on.isoformat())


def check_eligible(session: Session, person: Person, on: date) -> None:
    """Refuse a person whose age on the day is outside the configured range."""
    settings = get_settings(session)
    age = age_on(person.birth_date, on)
    if age < settings.min_age:
        raise NotEligibleError("roster.too_young", field="on", age=age,
                               limit=settings.min_age, day=on.isoformat())
    if age > settings.max_age:
        raise NotEligibleError("roster.too_old", field="on", age=age,
                               limit=settings.max_age, day=on.isoformat())


def check_consent(enrolment: Enrolment, on: date) -> None:
    """Refuse activating a polare under 18 without a guardian's written consent by that day."""
    person = enrolment.person
    age = age_on(person.birth_date, on)
    if age >= ADULT_AGE:
        return
    guardian = enrolment.consent_guardian
    if enrolment.consent_date is None or guardian is None or not guardian.phone:
        raise ConsentMissingError("roster.consent_missing", name=person.full_name, age=age,
                                  day=on.isoformat())
    if enrolment.consent_date > on:
        raise ConsentMissingError("roster.consent_dated_later", day=on.isoformat(),
                                  dated=enrolment.consent_date.isoformat())


def _check_not_active_elsewhere(session: Session, actor: object, enrolment: Enrolment) -> None:
    """Refuse a second active enrolment in the year; another team is named only to its staff.

    A coordinator who enrolled another team's polare sees none of that team's history (SPEC
    §11), so the refusal says only that the polare is active in another team.
    """
    other = session.scalars(
        select(Enrolment).where(
            Enrolment.person_id == enrolment.person_id,
            Enrolment.school_year_id == enrolment.school_year_id,
            Enrolment.status == EnrolmentStatus.ACTIVE,
            Enrolment.id != enrolment.id,
        ).options(joinedload(Enrolment.team))
    ).first()
    if other is None:
        return
    scope = scope_team_ids(actor)
    if scope is not None and other.team_id not in scope:
        raise DomainError("roster.active_in_other_team", name=enrolment.person.full_name,
                          year=enrolment.school_year.label)
    raise DomainError("roster.active_elsewhere", name=enrolment.person.full_name,
                      team=other.team.name, year=enrolment.school_year.label)


def _check_cap(session: Session, enrolment: Enrolment, team_year: TeamYear) -> None:
    cap = session.scalar(select(TeamYear.cap).where(TeamYear.id == team_year.id))
    active = count_active(session, enrolment.team_id, enrolment.school_year_id)
    if active >= cap:
        raise CapReachedError("roster.cap_reached", team=enrolment.team.name, n=active,
                              year=enrolment.school_year.label)


def activate_enrolment(
    session: Session, actor: object, enrolment_id: int, *, on: date
) -> Enrolment:
    """Make an applicant or waitlisted enrolment active from the day, within every rule."""
    key = session.execute(
        select(Enrolment.team_id, Enrolment.school_year_id).where(Enrolment.id == enrolment_id)
    ).first()
    if key is None:
        raise NotFoundError("roster.enrolment_not_found")
    team_year = lock_team_year(session, key.team_id, key.school_year_id)
    enrolment = get_enrolment(session, enrolment_id)
    check_transition(enrolment, EnrolmentStatus.ACTIVE)
    _check_within_year(enrolment.school_year, on, "on")
    check_eligible(session, enrolment.person, on)
    check_consent(enrolment, on)
    _check_not_active_elsewhere(session, actor, enrolment)
    _check_cap(session, enrolment, team_year)
    before = snapshot(enrolment, ENROLMENT_FIELDS)
    return _move(session, actor, enrolment, EnrolmentStatus.ACTIVE, before, activated_on=on)


def waitlist_enrolment(session: Session, actor: object, enrolment_id: int) -> Enrolment:
    """Put an applicant on the team's waiting list, after those already waiting."""
    enrolment = get_enrolment(session, enrolment_id)
    check_transition(enrolment, EnrolmentStatus.WAITLISTED)
    before = snapshot(enrolment, ENROLMENT_FIELDS)
    return _move(session, actor, enrolment, EnrolmentStatus.WAITLISTED, before,
                 waitlisted_at=utcnow())


def decline_enrolment(session: Session, actor: object, enrolment_id: int) -> Enrolment:
    """Decline an applicant or a waitlisted enrolment."""
    enrolment = get_enrolment(session, enrolment_id)
    check_transition(enrolment, EnrolmentStatus.DECLINED)
    before = snapshot(enrolment, ENROLMENT_FIELDS)
    return _move(session, actor, enrolment, EnrolmentStatus.DECLINED, before)


def end_enrolment(
    session: Session, actor: object, enrolment_id: int, *, on: date, reason: str
) -> Enrolment:
    """End an active enrolment on the day (not active from then on); frees its place."""
    enrolment = get_enrolment(session, enrolment_id)
    check_transition(enrolment, EnrolmentStatus.ENDED)
    reason = clean_text(reason, _l("Anledning"), field="reason", max_length=200)
    if not reason:
        raise DomainError("roster.end_reason_missing", field="reason")
    _check_within_year(enrolment.school_year, on, "on")
    if enrolment.activated_on is not None and on < enrolment.activated_on:
        raise DomainError("roster.end_before_activation", field="on",
                          day=enrolment.activated_on.isoformat())
    before = snapshot(enrolment, ENROLMENT_FIELDS)
    return _move(session, actor, enrolment, EnrolmentStatus.ENDED, before, ended_on=on,
                 end_reason=reason)


def register_consent(
    session: Session, actor: object, enrolment_id: int, *, guardian_id: int,
    consent_date: date, today: date,
) -> Enrolment:
    """Record a guardian's written consent for the enrolment, and who registered it."""
    enrolment = get_enrolment(session, enrolment_id)
    if enrolment.status in (EnrolmentStatus.DECLINED, EnrolmentStatus.ENDED):
        raise EnrolmentTransitionError("roster.consent_not_open",
                                       status=STATUS_NAMES[enrolment.status])
    guardian = session.get(Guardian, guardian_id)
    if guardian is None or guardian.person_id != enrolment.person_id:
        raise DomainError("roster.consent_guardian_unknown", field="guardian_id")
    if not guardian.phone:
        raise DomainError("roster.guardian_without_phone", field="guardian_id",
                          name=guardian.name)
    if consent_date > today:
        raise DomainError("roster.consent_in_future", field="consent_date")
    if (enrolment.activated_on is not None and consent_date > enrolment.activated_on
            and age_on(enrolment.person.birth_date, enrolment.activated_on) < ADULT_AGE):
        raise DomainError("roster.consent_after_activation", field="consent_date",
                          day=enrolment.activated_on.isoformat())
    before = snapshot(enrolment, ENROLMENT_FIELDS)
    enrolment.consent_date = consent_date
    enrolment.consent_guardian_id = guardian.id
    enrolment.consent_registered_by_id = getattr(actor, "id", None)
    enrolment.consent_registered_at = utcnow()
    session.flush()
    record(session, actor, "consent", "enrolment", enrolment.id,
           changes=changes_between(before, snapshot(enrolment, ENROLMENT_FIELDS)),
           note=f"Samtycke från {guardian.name}", persons=[enrolment.person_id])
    return enrolment


def create_enrolment(
    session: Session, actor: object, person: Person, team_id: int, school_year_id: int, *,
    on: date,
) -> Enrolment:
    """Enrol the person as an applicant in the team for the school year."""
    team = session.get(Team, team_id)
    year = session.get(SchoolYear, school_year_id)
    if team is None or not team.active:
        raise DomainError("roster.team_inactive", field="team_id")
    if year is None:
        raise DomainError("roster.school_year_missing", field="school_year_id")
    exists = session.scalar(select(Enrolment.id).where(
        Enrolment.person_id == person.id, Enrolment.team_id == team_id,
        Enrolment.school_year_id == school_year_id,
    ))
    if exists is not None:
        raise DomainError("roster.already_enrolled", field="team_id", name=person.full_name,
                          team=team.name, year=year.label)
    ensure_team_year(session, team_id, school_year_id)
    enrolment = Enrolment(person_id=person.id, team_id=team_id, school_year_id=school_year_id,
                          status=EnrolmentStatus.APPLICANT, applied_on=on)
    session.add(enrolment)
    session.flush()
    record(session, actor, "create", "enrolment", enrolment.id,
           changes=changes_between({}, {"person_id": person.id, "team": team.name,
                                        "school_year": year.label, "status": "applicant",
                                        "applied_on": on.isoformat()}),
           persons=[person.id])
    return enrolment
