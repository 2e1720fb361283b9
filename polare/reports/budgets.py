"""What admin keeps for the reports: employer contribution rates and budgets per school year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

import payroll
from polare.audit.services import changes_between, record, snapshot
from polare.errors import DomainError, NotFoundError
from polare.org.models import SchoolYear
from polare.reports.models import Budget, EmployerContributionRate
from polare.roster.identity import InvalidText, check_text

RATE_FIELDS = ("label", "valid_from", "valid_to", "age_from", "age_to", "rate_percent",
               "is_example")

#: Example rates seeded for trying the app (label, from, to, age from, age to, percent).
EXAMPLE_RATES = (
    ("Allmän arbetsgivaravgift (exempel)", date(2024, 1, 1), None, 0, None, Decimal("31.42")),
    ("Tillfälligt sänkt avgift för unga (exempel)", date(2026, 4, 1), date(2027, 9, 30), 18, 21,
     Decimal("20.81")),
)


def has_whole_hundredths(value: Decimal) -> bool:
    """Tell whether a value needs no more than two decimals (what the columns store)."""
    return value == payroll.to_money(value)


def _ranges_meet(low_a: int, high_a: int | None, low_b: int, high_b: int | None) -> bool:
    return (high_b is None or low_a <= high_b) and (high_a is None or low_b <= high_a)


def _check_rate(
    session: Session, rate: EmployerContributionRate | None, *, valid_from: date,
    valid_to: date | None, age_from: int, age_to: int | None, rate_percent: Decimal,
) -> None:
    """Refuse impossible ranges and a second rate starting the same day for the same ages."""
    if valid_to is not None and valid_to < valid_from:
        raise DomainError("reports.rate_dates_reversed", field="valid_to")
    if age_to is not None and age_to < age_from:
        raise DomainError("reports.rate_ages_reversed", field="age_to")
    if not Decimal(0) <= rate_percent <= Decimal(100):
        raise DomainError("reports.rate_percent_range", field="rate_percent")
    if not has_whole_hundredths(rate_percent):
        raise DomainError("reports.rate_percent_decimals", field="rate_percent")
    same_start = session.scalars(
        select(EmployerContributionRate).where(
            EmployerContributionRate.valid_from == valid_from,
            EmployerContributionRate.id != (rate.id if rate is not None else -1),
        )
    )
    for other in same_start:
        if _ranges_meet(age_from, age_to, other.age_from, other.age_to):
            raise DomainError("reports.rate_same_start", field="valid_from", label=other.label,
                              day=valid_from.isoformat(),
                              ages=age_span(other.age_from, other.age_to))


def age_span(age_from: int, age_to: int | None) -> str:
    """Write an age range, e.g. '18–21' or '0 och äldre' (a label, in the reader's language)."""
    return f"{age_from}–{age_to}" if age_to is not None else _("%(age)s och äldre", age=age_from)


def save_contribution_rate(
    session: Session, actor: object, rate: EmployerContributionRate | None, *, label: str,
    valid_from: date, valid_to: date | None, age_from: int, age_to: int | None,
    rate_percent: Decimal, is_example: bool = False,
) -> EmployerContributionRate:
    """Create or change an employer contribution rate.

    Where several rates cover the same age and day, the one that started latest applies, so a
    temporary reduced rate is entered on top of the general one.
    """
    try:
        label = check_text(label, "Benämning")
    except InvalidText as error:
        raise DomainError("reports.label_invalid", field="label") from error
    if not label:
        raise DomainError("reports.label_missing", field="label")
    _check_rate(session, rate, valid_from=valid_from, valid_to=valid_to, age_from=age_from,
                age_to=age_to, rate_percent=rate_percent)
    is_new = rate is None
    rate = rate or EmployerContributionRate()
    before = {} if is_new else snapshot(rate, RATE_FIELDS)
    rate.label, rate.valid_from, rate.valid_to = label, valid_from, valid_to
    rate.age_from, rate.age_to = age_from, age_to
    rate.rate_percent, rate.is_example = rate_percent, is_example
    session.add(rate)
    session.flush()
    record(session, actor, "create" if is_new else "update", "employer_contribution_rate",
           rate.id, changes=changes_between(before, snapshot(rate, RATE_FIELDS)))
    return rate


def delete_contribution_rate(session: Session, actor: object, rate_id: int) -> None:
    """Delete an employer contribution rate."""
    rate = get_contribution_rate(session, rate_id)
    record(session, actor, "delete", "employer_contribution_rate", rate.id,
           changes=changes_between(snapshot(rate, RATE_FIELDS), {}))
    session.delete(rate)
    session.flush()


def get_contribution_rate(session: Session, rate_id: int) -> EmployerContributionRate:
    """Return a contribution rate or raise NotFoundError."""
    rate = session.get(EmployerContributionRate, rate_id)
    if rate is None:
        raise NotFoundError("reports.rate_not_found")
    return rate


def save_budget(
    session: Session, actor: object, school_year_id: int, amount: Decimal
) -> Budget:
    """Set the stipend budget of a school year."""
    year = session.get(SchoolYear, school_year_id)
    if year is None:
        raise NotFoundError("reports.school_year_not_found")
    if amount < 0:
        raise DomainError("reports.budget_negative", field="amount")
    if not has_whole_hundredths(amount):
        raise DomainError("reports.budget_decimals", field="amount")
    budget = session.scalar(select(Budget).where(Budget.school_year_id == school_year_id))
    old = None if budget is None else str(budget.amount)
    if budget is None:
        budget = Budget(school_year_id=school_year_id, amount=amount)
        session.add(budget)
    budget.amount = amount
    session.flush()
    record(session, actor, "create" if old is None else "update", "budget", budget.id,
           changes={"amount": [old, str(amount)]}, note=f"läsår {year.label}")
    return budget


def load_example_rates(session: Session) -> list[EmployerContributionRate]:
    """Add the example contribution rates when no rate exists; return what was added."""
    if session.scalar(select(EmployerContributionRate.id).limit(1)) is not None:
        return []
    return [
        save_contribution_rate(session, None, None, label=label, valid_from=start,
                               valid_to=end, age_from=low, age_to=high, rate_percent=percent,
                               is_example=True)
        for label, start, end, low, high, percent in EXAMPLE_RATES
    ]
