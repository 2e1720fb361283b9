"""Template helpers other domains' pages use: a polare's walks on the person page."""

from __future__ import annotations

from flask_login import current_user

from polare.auth.access import can_access_team, team_ids_for
from polare.auth.models import Role
from polare.extensions import db
from polare.walks import bp
from polare.walks.models import Walk
from polare.walks.queries import PersonWalk, walks_of_person
from polare.walks.roles import PLANNERS

#: How many walks the person page lists.
PERSON_PAGE_WALKS = 20


@bp.app_template_global("walks_of_person")
def walks_of_person_for_page(person_id: int) -> list[PersonWalk]:
    """Return the person's latest walks of the viewer's teams for the person page."""
    return walks_of_person(db.session, person_id, PERSON_PAGE_WALKS,
                           team_ids=team_ids_for(current_user))


@bp.app_template_global("can_open_walk")
def can_open_walk(walk: Walk) -> bool:
    """Tell whether the current user may open the walk's page."""
    return (current_user.is_authenticated
            and current_user.role in (Role.ADMIN, *PLANNERS)
            and can_access_team(current_user, walk.team_id))
