"""What the roster pages show of recruitment: new applications, link consent, withdrawals."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from polare.auth.access import team_ids_for
from polare.auth.models import Role, User
from polare.recruitment.applications import count_new_applications
from polare.recruitment.models import Application, ConsentRequest, ConsentRequestStatus
from polare.roster.models import Enrolment


@dataclass(frozen=True)
class RosterFlags:
    """Enrolment ids of a team-year with an unread application or a consent withdrawn by link."""

    new: set[int]
    withdrawn: set[int]


@dataclass(frozen=True)
class EnrolmentSummary:
    """One enrolment's applications and consent links, for its page."""

    applications: int
    new: bool
    #: The link request whose consent is the one on record, if it came by link.
    link_consent: ConsentRequest | None
    withdrawn: bool
    links: int


def roster_flags(session: Session, team_id: int, school_year_id: int) -> RosterFlags:
    """Return the team-year's enrolments to mark *ny ansökan* and *samtycke återkallat*."""
    of_team_year = (Enrolment.team_id == team_id, Enrolment.school_year_id == school_year_id)
    withdrawn = (
        select(literal("withdrawn"), ConsentRequest.enrolment_id).join(ConsentRequest.enrolment)
        .where(*of_team_year, ConsentRequest.status == ConsentRequestStatus.WITHDRAWN,
               Enrolment.consent_date.is_(None)))
    new = (
        select(literal("new"), Application.enrolment_id).join(Application.enrolment)
        .where(*of_team_year, Application.seen_at.is_(None)))
    found: dict[str, set[int]] = {"new": set(), "withdrawn": set()}
    for kind, enrolment_id in session.execute(union_all(withdrawn, new)):
        found[kind].add(enrolment_id)
    return RosterFlags(**found)


def enrolment_summary(session: Session, enrolment: Enrolment) -> EnrolmentSummary:
    """Summarise the enrolment's applications and consent links."""
    applications = list(session.scalars(
        select(Application.seen_at).where(Application.enrolment_id == enrolment.id)))
    requests = list(session.scalars(
        select(ConsentRequest).where(ConsentRequest.enrolment_id == enrolment.id)))
    link_consent = next(
        (r for r in requests if r.status == ConsentRequestStatus.CONSENTED
         and r.guardian_id == enrolment.consent_guardian_id
         and enrolment.consent_registered_by_id is None
         and enrolment.consent_registered_at == r.consented_at), None)
    withdrawn = enrolment.consent_date is None and any(
        r.status == ConsentRequestStatus.WITHDRAWN for r in requests)
    return EnrolmentSummary(applications=len(applications),
                            new=any(seen is None for seen in applications),
                            link_consent=link_consent, withdrawn=withdrawn, links=len(requests))


def new_applications_for(session: Session, user: User) -> int:
    """Count the unread applications of the teams a coordinator (or admin) works with."""
    if user.role not in (Role.COORDINATOR, Role.ADMIN):
        return 0
    return count_new_applications(session, team_ids_for(user))
