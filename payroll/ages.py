"""Ages and years in the programme (SPEC §3)."""

from collections.abc import Iterable
from datetime import date


def age_on(birth_date: date, on: date) -> int:
    """Return the completed years of someone born on birth_date, on the given date.

    Someone born 29 February has their birthday on 1 March in years that are not leap
    years; comparing (month, day) pairs gives exactly that, since 28 February < (2, 29)
    and 1 March > (2, 29).
    """
    if on < birth_date:
        raise ValueError(f"{on} is before the birth date {birth_date}")
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def years_in_programme(
    active_school_year_starts: Iterable[date],
    current_school_year_start: date,
    prior_years: int = 0,
) -> int:
    """Count the distinct school years up to the current one with an active enrolment.

    School years are identified by their start date; prior_years (service before the system
    was introduced) is added. A first-year polare therefore has 1.
    """
    if prior_years < 0:
        raise ValueError("prior_years must not be negative")
    starts = {start for start in active_school_year_starts if start <= current_school_year_start}
    return len(starts) + prior_years
