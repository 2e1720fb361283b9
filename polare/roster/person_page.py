"""The sections other domains add to a person's page, gathered before the page renders.

The person page shows a polare's training (events), walks and stipends (payroll) next to the
roster's own data. Each section is read here, by the view, through its domain's queries and
for what the viewer may see, so the template only renders plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session, joinedload

from polare.auth.access import can_access_team, team_ids_for
from polare.auth.models import Role, User
from polare.events.attendance import events_attended
from polare.events.models import Event
from polare.events.training import missing_required_training
from polare.org.models import SchoolYear
from polare.pay.services import PersonStipends, YearsInProgramme, stipend_lines_of_person
from polare.roster.models import Enrolment, Person
from polare.walks.queries import PersonWalk, walks_of_person

#: How many walks the person page lists.
PERSON_PAGE_WALKS = 20
#: Roles that see a person's stipends on the person page.
STIPEND_VIEWERS = (Role.ADMIN, Role.PAYROLL, Role.COORDINATOR)
#: What the page shows of the person, loaded with them in one statement.
PERSON_PAGE_LOADS = (
    joinedload(Person.guardians),
    joinedload(Person.enrolments).options(
        joinedload(Enrolment.team), joinedload(Enrolment.school_year),
        joinedload(Enrolment.consent_guardian), joinedload(Enrolment.consent_registered_by)),
)


@dataclass(frozen=True)
class PersonSections:
    """The other domains' sections of one person's page, as the viewer may see them."""

    #: The school year of today, whose training the page shows; None between school years.
    training_year: SchoolYear | None
    #: The person's years in the programme today.
    years: int
    #: The person's latest walks of the viewer's teams, newest first.
    walks: list[PersonWalk]
    #: The person's stipend lines of the viewer's teams; None for roles that see no stipends.
    stipends: PersonStipends | None
    #: Events of the training year the person attended (all-team events and own teams').
    attended_events: list[Event] = field(default_factory=list)
    #: Names of the required event types the person lacks in the training year.
    missing_training: list[str] = field(default_factory=list)


def person_sections(session: Session, viewer: User, person: Person, today: date,
                    school_years: Sequence[SchoolYear]) -> PersonSections:
    """Gather the training, walks and stipends of the person's page for the viewer.

    The person comes with their enrolments (`PERSON_PAGE_LOADS`) and the page has read every
    school year: the years in the programme are counted from those, not read again.
    """
    training_year = next((year for year in school_years
                          if year.starts_on <= today <= year.ends_on), None)
    years = _years_in_programme(person, school_years)
    attended: list[Event] = []
    missing: list[str] = []
    if training_year is not None:
        attended = [event for event in events_attended(session, person.id, training_year.id)
                    if event.team_id is None or can_access_team(viewer, event.team_id)]
        missing = missing_required_training(session, [person.id], training_year.id)[person.id]
    return PersonSections(
        training_year=training_year,
        years=years.on(person.id, person.prior_years, today),
        walks=walks_of_person(session, person.id, PERSON_PAGE_WALKS,
                              team_ids=team_ids_for(viewer)),
        stipends=_stipends(session, viewer, person.id, years),
        attended_events=attended, missing_training=missing,
    )


def _years_in_programme(person: Person, school_years: Sequence[SchoolYear]
                        ) -> YearsInProgramme:
    """Return the person's years in the programme from their enrolments (all teams')."""
    starts = {enrolment.school_year.starts_on for enrolment in person.enrolments
              if enrolment.activated_on is not None}
    return YearsInProgramme([(year.starts_on, year.ends_on) for year in school_years],
                            {person.id: sorted(starts)})


def _stipends(session: Session, viewer: User, person_id: int, years: YearsInProgramme
              ) -> PersonStipends | None:
    """Return the person's stipend lines the viewer may see, or None for other roles."""
    if viewer.role not in STIPEND_VIEWERS:
        return None
    stipends = stipend_lines_of_person(session, person_id, years=years)
    if team_ids_for(viewer) is None:
        return stipends
    # Data minimisation: a coordinator sees only the lines of their own teams' walks.
    names = {team.name for team in viewer.teams}
    return PersonStipends(lines=tuple(d for d in stipends.lines if d.line.team in names),
                          errors=())
