"""Who may use the walk pages: the role sets the walks' views and other domains check."""

from polare.auth.models import Role

#: Roles that plan, log and approve walks (admin passes every role check).
PLANNERS = (Role.SUPERVISOR, Role.COORDINATOR)
#: Roles whose users can be responsible staff on a walk (admin always can).
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.SUPERVISOR})
#: Roles whose users may have a calendar feed.
FEED_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.SUPERVISOR})
