"""The sections other domains add to a person's page, gathered before the page renders.

The person page shows a polare's training (events), walks and stipends (payroll) next to the
roster's own data. Each section is read here, by the view, through its domain's queries and
for what the viewer may see, so the template only renders plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.auth.access import can_access_team, team_ids_for
from polare.auth.models import Role, User
from polare.events.attendance import events_attended
from polare.events.models import Event
from polare.events.training import missing_required_training
from polare.org.models import SchoolYear, Team
from polare.org.services import school_year_on
from polare.pay.services import PersonStipends, stipend_lines_of_person
from polare.walks.queries import PersonWalk, walks_of_person

#: How many walks the person page lists.
PERSON_PAGE_WALKS = 20
#: Roles that see a person's stipends on the person page.
STIPEND_VIEWERS = (Role.ADMIN, Role.PAYROLL, Role.COORDINATOR)


@dataclass(frozen=True)
class PersonSections:
    """The other domains' sections of one person's page, as the viewer may see them."""

    #: The school year of today, whose training the page shows; None between school years.
    training_year: SchoolYear | None
    #: The person's latest walks of the viewer's teams, newest first.
    walks: list[PersonWalk]
    #: The person's stipend lines of the viewer's teams; None for roles that see no stipends.
    stipends: PersonStipends | None
    #: Events of the training year the person attended (all-team events and own teams').
    attended_events: list[Event] = field(default_factory=list)
    #: Names of the required event types the person lacks in the training year.
    missing_training: list[str] = field(default_factory=list)


def person_sections(session: Session, viewer: User, person_id: int, today: date
                    ) -> PersonSections:
    """Gather the training, walks and stipends of the person's page for the viewer."""
    training_year = school_year_on(session, today)
    attended: list[Event] = []
    missing: list[str] = []
    if training_year is not None:
        attended = [event for event in events_attended(session, person_id, training_year.id)
                    if event.team_id is None or can_access_team(viewer, event.team_id)]
        missing = missing_required_training(session, [person_id], training_year.id)[person_id]
    return PersonSections(
        training_year=training_year,
        walks=walks_of_person(session, person_id, PERSON_PAGE_WALKS,
                              team_ids=team_ids_for(viewer)),
        stipends=_stipends(session, viewer, person_id),
        attended_events=attended, missing_training=missing,
    )


def _stipends(session: Session, viewer: User, person_id: int) -> PersonStipends | None:
    """Return the person's stipend lines the viewer may see, or None for other roles."""
    if viewer.role not in STIPEND_VIEWERS:
        return None
    stipends = stipend_lines_of_person(session, person_id)
    scope = team_ids_for(viewer)
    if scope is None:
        return stipends
    # Data minimisation: a coordinator sees only the lines of their own teams' walks.
    names = set(session.scalars(select(Team.name).where(Team.id.in_(scope))))
    return PersonStipends(lines=tuple(d for d in stipends.lines if d.line.team in names),
                          errors=())
