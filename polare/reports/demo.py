"""Demo data of the reports: a budget for the current school year and example contribution rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from polare.org.services import school_year_on
from polare.reports.budgets import load_example_rates, save_budget
from polare.reports.models import Budget

#: Example stipend budget of a school year, in scale with the demo walks.
DEMO_BUDGET = Decimal("180000.00")


def load_demo(session: Session, today: date) -> None:
    """Add the current school year's budget and the example rates, when missing."""
    load_example_rates(session)
    year = school_year_on(session, today)
    if year is None:
        return
    if session.scalar(select(Budget.id).where(Budget.school_year_id == year.id)) is None:
        save_budget(session, None, year.id, DEMO_BUDGET)
