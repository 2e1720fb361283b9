"""Age on a date (completed years; a 29 February birthday is 1 March in other years)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from polare.roster.models import Person
from polare.roster.services import age_on, is_minor_on, latest_birth_date_for_age

births = st.dates(min_value=date(1990, 1, 1), max_value=date(2015, 12, 31))
leap_births = st.sampled_from([date(y, 2, 29) for y in range(1992, 2016, 4)])


def _birthday_in(birth: date, year: int) -> date:
    """The day the birthday falls on in the year: 1 March for 29 February in common years."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def _reference_age(birth: date, day: date) -> int:
    """Count the birthdays that have come by the day (the definition, spelled out)."""
    return sum(1 for year in range(birth.year + 1, day.year + 1)
               if _birthday_in(birth, year) <= day)


@given(birth=births | leap_births, years=st.integers(min_value=1, max_value=25),
       offset=st.integers(min_value=-3, max_value=3))
def test_age_on_every_day_around_a_birthday(birth, years, offset):
    day = _birthday_in(birth, birth.year + years) + timedelta(days=offset)
    assert age_on(birth, day) == _reference_age(birth, day)


@given(birth=leap_births, years=st.integers(min_value=1, max_value=25))
def test_leap_day_birth_turns_a_year_older_on_1_march_in_common_years(birth, years):
    year = birth.year + years
    if year % 4:
        assert age_on(birth, date(year, 2, 28)) == years - 1
        assert age_on(birth, date(year, 3, 1)) == years
    else:
        assert age_on(birth, date(year, 2, 28)) == years - 1
        assert age_on(birth, date(year, 2, 29)) == years


@given(day=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
       age=st.integers(min_value=10, max_value=25))
def test_latest_birth_date_for_an_age_is_exactly_the_boundary(day, age):
    latest = latest_birth_date_for_age(age, day)
    assert age_on(latest, day) >= age
    assert age_on(latest + timedelta(days=1), day) < age


def test_minor_until_the_eighteenth_birthday():
    person = Person(birth_date=date(2008, 11, 25))
    assert is_minor_on(person, date(2026, 11, 24))
    assert not is_minor_on(person, date(2026, 11, 25))
