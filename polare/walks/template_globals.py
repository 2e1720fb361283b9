"""Template helpers other domains' pages use: whether a walk on the person page links to it."""

from __future__ import annotations

from flask_login import current_user

from polare.auth.access import can_access_team
from polare.auth.models import Role
from polare.walks import bp
from polare.walks.models import Walk
from polare.walks.roles import PLANNERS


@bp.app_template_global("can_open_walk")
def can_open_walk(walk: Walk) -> bool:
    """Tell whether the current user may open the walk's page."""
    return (current_user.is_authenticated
            and current_user.role in (Role.ADMIN, *PLANNERS)
            and can_access_team(current_user, walk.team_id))
