"""Import every model so that metadata (and Alembic) knows all tables."""

from polare.audit.models import AuditEntry, AuditEntryPerson
from polare.auth.models import LoginThrottle, Role, User, user_teams
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.org.models import District, SchoolYear, Settings, Team, TeamYear
from polare.pay.models import (
    LineKind,
    PayLine,
    PayPeriod,
    PayrollExport,
    PeriodStatus,
    RateRow,
    RateVersion,
)
from polare.recruitment.models import Application, ConsentRequest, ConsentRequestStatus
from polare.reports.models import (
    Budget,
    EmployerContributionRate,
    FollowUpCell,
    FollowUpIncident,
    FollowUpTeam,
    FollowUpWalker,
)
from polare.roster.models import Enrolment, EnrolmentStatus, Guardian, Person
from polare.submissions.models import SubmissionKey
from polare.walks.models import (
    IncidentCategory,
    Participation,
    ParticipationStatus,
    Walk,
    WalkIncident,
    WalkStatus,
    walk_staff,
)

__all__ = [
    "Application",
    "AuditEntry",
    "AuditEntryPerson",
    "Budget",
    "ConsentRequest",
    "ConsentRequestStatus",
    "District",
    "EmployerContributionRate",
    "Enrolment",
    "EnrolmentStatus",
    "Event",
    "FollowUpCell",
    "FollowUpIncident",
    "FollowUpTeam",
    "FollowUpWalker",
    "EventType",
    "Guardian",
    "IncidentCategory",
    "Invitation",
    "LoginThrottle",
    "InvitationStatus",
    "LineKind",
    "Participation",
    "ParticipationStatus",
    "PayLine",
    "PayPeriod",
    "PayrollExport",
    "PeriodStatus",
    "Person",
    "RateRow",
    "RateVersion",
    "Role",
    "SchoolYear",
    "Settings",
    "SubmissionKey",
    "Team",
    "TeamYear",
    "User",
    "Walk",
    "WalkIncident",
    "WalkStatus",
    "user_teams",
    "walk_staff",
]
