from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll import age_on, years_in_programme

births = st.dates(min_value=date(1990, 1, 1), max_value=date(2015, 12, 31))
leap_day_births = st.sampled_from([date(y, 2, 29) for y in range(1992, 2016, 4)])


def birthday_in(birth: date, year: int) -> date:
    """Return the birthday in a year; 29 February falls on 1 March in other years."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def reference_age(birth: date, on: date) -> int:
    """Count the birthdays that have passed, one year at a time."""
    return sum(1 for year in range(birth.year + 1, on.year + 1) if birthday_in(birth, year) <= on)


def test_age_counts_completed_years() -> None:
    assert age_on(date(2008, 3, 14), date(2026, 3, 13)) == 17
    assert age_on(date(2008, 3, 14), date(2026, 3, 14)) == 18


def test_leap_day_birthday_turns_on_first_of_march() -> None:
    assert age_on(date(2008, 2, 29), date(2027, 2, 28)) == 18
    assert age_on(date(2008, 2, 29), date(2027, 3, 1)) == 19


def test_leap_day_birthday_is_29_february_in_leap_years() -> None:
    assert age_on(date(2008, 2, 29), date(2028, 2, 28)) == 19
    assert age_on(date(2008, 2, 29), date(2028, 2, 29)) == 20


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        age_on(date(2008, 3, 14), date(2008, 3, 13))


@given(births | leap_day_births, st.integers(min_value=1, max_value=30), st.integers(-3, 3))
def test_age_matches_reference_on_every_day_around_birthdays(
    birth: date, years_later: int, offset: int
) -> None:
    on = birthday_in(birth, birth.year + years_later) + timedelta(days=offset)
    assert age_on(birth, on) == reference_age(birth, on)


@given(births | leap_day_births, st.dates(date(2015, 12, 31), date(2100, 12, 31)))
def test_age_matches_reference_on_any_day(birth: date, on: date) -> None:
    assert age_on(birth, on) == reference_age(birth, on)


def test_first_year_polare_has_one_year() -> None:
    assert years_in_programme([date(2026, 8, 1)], date(2026, 8, 1), prior_years=0) == 1


def test_years_count_school_years_across_gaps() -> None:
    starts = [date(2022, 8, 1), date(2024, 8, 1), date(2025, 8, 1)]
    assert years_in_programme(starts, date(2025, 8, 1), prior_years=0) == 3


def test_later_school_years_do_not_count() -> None:
    starts = [date(2025, 8, 1), date(2026, 8, 1)]
    assert years_in_programme(starts, date(2025, 8, 1), prior_years=0) == 1


def test_two_enrolments_in_one_school_year_count_once() -> None:
    starts = [date(2025, 8, 1), date(2025, 8, 1)]
    assert years_in_programme(starts, date(2025, 8, 1), prior_years=0) == 1


def test_prior_years_are_added() -> None:
    assert years_in_programme([date(2025, 8, 1)], date(2025, 8, 1), prior_years=2) == 3


def test_negative_prior_years_are_refused() -> None:
    with pytest.raises(ValueError, match="prior_years"):
        years_in_programme([], date(2025, 8, 1), prior_years=-1)
