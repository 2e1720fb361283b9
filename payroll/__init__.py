"""Pure stipend and pay-period rules: frozen dataclasses and Decimal in, pay lines out.

No Flask, no SQLAlchemy, no database: the web layer loads data into these dataclasses,
calls these functions and stores the results.
"""

from payroll.ages import age_on, years_in_programme
from payroll.compute import compute_period
from payroll.errors import (
    BandError,
    ClosePeriodError,
    IllegalTransitionError,
    InvalidMonthError,
    LineError,
    NoBandError,
    NoRateInForceError,
    PayrollError,
    PeriodClosedError,
)
from payroll.lines import FrozenLine, LineKind, PayLine, PeriodResult, freeze
from payroll.money import format_sek, round_to_krona, to_money
from payroll.periods import (
    PeriodStatus,
    check_close,
    check_order,
    check_transition,
    earliest_open,
    is_closed,
    is_outside,
    last_day,
    month_of,
    next_month,
    next_to_close,
    open_period_shown,
    parse_month,
    status_of,
)
from payroll.rates import (
    RateBand,
    RateVersion,
    find_band,
    index_version,
    validate_bands,
    version_in_force,
)
from payroll.stipend import Explanation, Participation, stipend_for
from payroll.totals import TeamTotal, grand_total, negative_totals, person_totals, team_totals

__all__ = [
    "BandError",
    "ClosePeriodError",
    "Explanation",
    "FrozenLine",
    "IllegalTransitionError",
    "InvalidMonthError",
    "LineKind",
    "LineError",
    "NoBandError",
    "NoRateInForceError",
    "Participation",
    "PayLine",
    "PayrollError",
    "PeriodClosedError",
    "PeriodResult",
    "PeriodStatus",
    "RateBand",
    "RateVersion",
    "TeamTotal",
    "age_on",
    "check_close",
    "check_order",
    "check_transition",
    "compute_period",
    "earliest_open",
    "find_band",
    "format_sek",
    "freeze",
    "grand_total",
    "index_version",
    "is_closed",
    "is_outside",
    "last_day",
    "month_of",
    "negative_totals",
    "next_month",
    "next_to_close",
    "open_period_shown",
    "parse_month",
    "person_totals",
    "round_to_krona",
    "stipend_for",
    "status_of",
    "team_totals",
    "to_money",
    "validate_bands",
    "version_in_force",
    "years_in_programme",
]
