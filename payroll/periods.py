"""Pay periods: months, their status transitions, and when one may be closed (SPEC §7)."""

import re
from datetime import date
from enum import StrEnum

from payroll.errors import ClosePeriodError, IllegalTransitionError, InvalidMonthError
from payroll.lines import PeriodResult

_MONTH = re.compile(r"(\d{4})-(\d{2})")


class PeriodStatus(StrEnum):
    """The status of a pay period."""

    OPEN = "open"
    CLOSED = "closed"


#: Every status move: None where it is allowed, else the message that refuses it.
TRANSITIONS: dict[tuple[PeriodStatus, PeriodStatus], str | None] = {
    (PeriodStatus.OPEN, PeriodStatus.CLOSED): None,
    (PeriodStatus.CLOSED, PeriodStatus.OPEN): "En stängd period kan inte öppnas igen",
    (PeriodStatus.CLOSED, PeriodStatus.CLOSED): "Perioden är redan stängd",
    (PeriodStatus.OPEN, PeriodStatus.OPEN): "Perioden är redan öppen",
}


def check_transition(current: str, new: str) -> None:
    """Refuse a status move that the transition table does not allow."""
    try:
        move = (PeriodStatus(current), PeriodStatus(new))
    except ValueError as exc:
        raise IllegalTransitionError(f"Okänd periodstatus: {current} → {new}") from exc
    refusal = TRANSITIONS[move]
    if refusal is not None:
        raise IllegalTransitionError(refusal)


def parse_month(month: str) -> tuple[int, int]:
    """Return (year, month) of a period written 'YYYY-MM', refusing anything else."""
    match = _MONTH.fullmatch(month) if isinstance(month, str) else None
    if match is None:
        raise InvalidMonthError(f"Perioden {month!r} ska skrivas som år-månad, t.ex. 2026-11")
    year, number = int(match[1]), int(match[2])
    if not 1 <= number <= 12 or year < 1:
        raise InvalidMonthError(f"Perioden {month} finns inte: månaden ska vara 01–12")
    return year, number


def month_of(day: date) -> str:
    """Return the period a date belongs to, e.g. '2026-11'."""
    return f"{day.year:04d}-{day.month:02d}"


def next_month(month: str) -> str:
    """Return the period after the given one."""
    year, number = parse_month(month)
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def is_closed(month: str, latest_closed: str | None) -> bool:
    """Tell whether a month is closed; closed months always run up to latest_closed."""
    parse_month(month)
    if latest_closed is None:
        return False
    parse_month(latest_closed)
    return month <= latest_closed


def status_of(month: str, latest_closed: str | None) -> PeriodStatus:
    """Return the status of a month given the latest closed one."""
    return PeriodStatus.CLOSED if is_closed(month, latest_closed) else PeriodStatus.OPEN


def earliest_open(latest_closed: str | None) -> str | None:
    """Return the month that takes late entries and corrections; None if nothing is closed."""
    return None if latest_closed is None else next_month(latest_closed)


def check_close(month: str, result: PeriodResult, latest_closed: str | None) -> None:
    """Refuse to close a month that is closed, out of turn, or has lines it cannot compute.

    When nothing has been closed yet any month may be closed first; the months before it then
    count as closed and what was unpaid there becomes late entries in the next period.
    """
    if result.period != month:
        raise ValueError(f"the result is for {result.period}, not {month}")
    try:
        check_transition(status_of(month, latest_closed), PeriodStatus.CLOSED)
    except IllegalTransitionError as exc:
        raise ClosePeriodError(f"{exc} ({month})", reason="closed") from exc
    expected = earliest_open(latest_closed)
    if expected is not None and month != expected:
        raise ClosePeriodError(
            f"Perioden {month} kan inte stängas före {expected}: "
            "perioderna stängs i tur och ordning",
            reason="out_of_turn", expected=expected,
        )
    if result.errors:
        raise ClosePeriodError("Perioden kan inte stängas: " + "; ".join(result.errors),
                               reason="errors")
