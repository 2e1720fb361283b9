"""Who may use the roster's pages: the role sets its views name in `roles(...)`."""

from polare.auth.models import Role

#: Roles that see rosters and person pages.
VIEWERS = (Role.COORDINATOR, Role.SUPERVISOR, Role.PAYROLL)
#: Roles that register persons and move enrolments (admin always may).
EDITORS = (Role.COORDINATOR,)
