"""Pay periods: months, their status transitions, and when one may be closed (SPEC §7)."""

import re
from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from payroll.errors import ClosePeriodError, IllegalTransitionError, InvalidMonthError
from payroll.lines import PeriodResult
from payroll.rates import RateVersion

_MONTH = re.compile(r"(\d{4})-(\d{2})")


class PeriodStatus(StrEnum):
    """The status of a pay period: open, closed (waiting for attestation) or attested."""

    OPEN = "open"
    CLOSED = "closed"
    ATTESTED = "attested"


_FINAL = "En attesterad period är slutlig och kan inte ändras"

#: Every status move: None where it is allowed, else the message that refuses it.
TRANSITIONS: dict[tuple[PeriodStatus, PeriodStatus], str | None] = {
    (PeriodStatus.OPEN, PeriodStatus.CLOSED): None,
    (PeriodStatus.CLOSED, PeriodStatus.ATTESTED): None,
    #: Reopening, until the period is attested.
    (PeriodStatus.CLOSED, PeriodStatus.OPEN): None,
    (PeriodStatus.OPEN, PeriodStatus.OPEN): "Perioden är redan öppen",
    (PeriodStatus.OPEN, PeriodStatus.ATTESTED): "Perioden måste stängas innan den attesteras",
    (PeriodStatus.CLOSED, PeriodStatus.CLOSED): "Perioden är redan stängd",
    (PeriodStatus.ATTESTED, PeriodStatus.OPEN): _FINAL,
    (PeriodStatus.ATTESTED, PeriodStatus.CLOSED): _FINAL,
    (PeriodStatus.ATTESTED, PeriodStatus.ATTESTED): "Perioden är redan attesterad",
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


def last_day(month: str) -> date:
    """Return the last day of a month 'YYYY-MM'."""
    following = date(*parse_month(next_month(month)), 1)
    return date.fromordinal(following.toordinal() - 1)


def is_outside(month: str, first_period: str | None) -> bool:
    """Tell whether a month lies before the first pay period, outside Polare's payroll."""
    parse_month(month)
    return first_period is not None and month < first_period


def next_to_close(latest_closed: str | None, first_period: str | None) -> str | None:
    """Return the month to close next: the first pay period, then month by month."""
    return first_period if latest_closed is None else next_month(latest_closed)


def open_period_shown(latest_closed: str | None, first_period: str | None,
                      current_month: str) -> str:
    """Return the open month start pages report: the next to close, else the current month."""
    return next_to_close(latest_closed, first_period) or current_month


def _undecided_used(result: PeriodResult, versions: Iterable[RateVersion]) -> RateVersion | None:
    """Return the earliest rate version the lines use that carries no decision, if any."""
    used = {line.version_id for line in result.lines}
    undecided = [v for v in versions if v.id in used and not v.decided]
    return min(undecided, key=lambda v: (v.effective_from, v.id), default=None)


def check_order(month: str, latest_closed: str | None, first_period: str | None) -> None:
    """Refuse a month that is closed, or is not the next to close from the first pay period."""
    if is_closed(month, latest_closed) and not is_outside(month, first_period):
        try:
            check_transition(PeriodStatus.CLOSED, PeriodStatus.CLOSED)
        except IllegalTransitionError as exc:
            raise ClosePeriodError(f"{exc} ({month})", reason="closed") from exc
    expected = next_to_close(latest_closed, first_period)
    if expected is None:
        raise ClosePeriodError("Det finns ingen första löneperiod: ange den under Inställningar",
                               reason="no_first_period")
    if month != expected:
        raise ClosePeriodError(
            f"Perioden {month} kan inte stängas: nästa period att stänga är {expected}",
            reason="out_of_turn", expected=expected,
        )


def check_close(month: str, result: PeriodResult, latest_closed: str | None, *,
                first_period: str | None, today: date,
                versions: Iterable[RateVersion]) -> None:
    """Refuse to close a month that is closed, out of turn, not ended, or not payable as it is.

    Months are closed one by one from the first pay period; a month only after its last day;
    only with lines that can all be computed from rate versions carrying their decision.
    """
    if result.period != month:
        raise ValueError(f"the result is for {result.period}, not {month}")
    check_order(month, latest_closed, first_period)
    if last_day(month) >= today:
        raise ClosePeriodError(f"Perioden {month} kan inte stängas förrän månaden är slut",
                               reason="not_ended")
    if result.errors:
        raise ClosePeriodError("Perioden kan inte stängas: " + "; ".join(result.errors),
                               reason="errors")
    undecided = _undecided_used(result, versions)
    if undecided is not None:
        raise ClosePeriodError(
            f"Arvodestabellen från {undecided.effective_from.isoformat()} saknar beslut",
            reason="undecided", version=undecided,
        )
