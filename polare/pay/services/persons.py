"""One person's stipend lines across periods, for the person page (SPEC §6, §7)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

import payroll
from polare.pay.services.details import (
    ZERO,
    LineDetail,
    details_of_result,
    frozen_details,
    names_of_versions,
)
from polare.pay.services.facts import (
    YearsInProgramme,
    load_open_facts,
    month_span,
    person_history_lines,
)


@dataclass(frozen=True)
class PersonStipends:
    """A person's frozen lines (final) and the preliminary lines of open periods."""

    lines: tuple[LineDetail, ...]
    #: Walks of the person that cannot be priced (no rate in force, no band).
    errors: tuple[str, ...]

    @property
    def paid_total(self) -> Decimal:
        """Return the sum of the frozen lines."""
        return sum((d.line.amount for d in self.lines if d.final), ZERO)

    @property
    def preliminary_total(self) -> Decimal:
        """Return the sum of the lines of open periods."""
        return sum((d.line.amount for d in self.lines if not d.final), ZERO)


def stipend_lines_of_person(session: Session, person_id: int, *,
                            years: YearsInProgramme | None = None) -> PersonStipends:
    """Return a person's stipend lines, newest period first, each able to explain itself.

    The stored lines of the person's participations are read once: the person's own are the
    final lines, and all of them are the history the open months' corrections are computed
    from. `years` may bring the person's years in the programme already read.
    """
    history = person_history_lines(session, person_id)
    facts = load_open_facts(session, person_id, history, years=years)
    names = names_of_versions(facts.versions)
    frozen = frozen_details([row for row in history if row.person_id == person_id], history,
                            names)
    closed_end = month_span(facts.latest_closed)[1] if facts.latest_closed else None
    months = {
        payroll.month_of(p.walk_date) for p in facts.participations
        if p.payable and (closed_end is None or p.walk_date > closed_end)
    }
    if facts.latest_closed is not None:
        months.add(payroll.next_month(facts.latest_closed))
    preliminary: list[LineDetail] = []
    errors: list[str] = []
    for month in sorted(months):
        result = facts.compute(month)
        preliminary.extend(details_of_result(result, facts, names))
        errors.extend(result.errors)
    lines = sorted([*frozen, *preliminary],
                   key=lambda d: (d.line.period, d.line.walk_date, d.line.participation_id),
                   reverse=True)
    return PersonStipends(lines=tuple(lines), errors=tuple(errors))
