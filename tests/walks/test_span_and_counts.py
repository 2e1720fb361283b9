"""A walk's span (overnight walks, the 12-hour limit) and the counts rule."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from polare.errors import DomainError
from polare.walks.rules import check_counts, minor_limit, walk_span
from tests.walks.conftest import FRIDAY


def test_overnight_walk_22_to_0130_lasts_three_and_a_half_hours_dated_on_the_evening(make_walk):
    walk = make_walk(start_time=time(22, 0), end_time=time(1, 30))
    assert walk.walk_date == FRIDAY
    assert walk.starts_at == datetime(2026, 11, 27, 22, 0)
    assert walk.ends_at == datetime(2026, 11, 28, 1, 30)
    assert walk.duration_hours == 3.5


def test_end_after_start_is_the_same_evening():
    assert walk_span(FRIDAY, time(19, 0), time(23, 0)) == (
        datetime(2026, 11, 27, 19, 0), datetime(2026, 11, 27, 23, 0))


def test_walk_of_exactly_twelve_hours_is_allowed():
    starts_at, ends_at = walk_span(FRIDAY, time(19, 0), time(7, 0))
    assert (ends_at - starts_at).total_seconds() == 12 * 3600


def test_walk_longer_than_twelve_hours_is_refused_on_the_end_time():
    with pytest.raises(DomainError, match="högst 12 timmar") as refused:
        walk_span(FRIDAY, time(19, 0), time(7, 30))
    assert refused.value.field == "end_time"
    assert "12,5" in refused.value.message


def test_end_equal_to_start_is_next_morning_and_too_long():
    with pytest.raises(DomainError, match="24 timmar"):
        walk_span(FRIDAY, time(20, 0), time(20, 0))


def test_service_refuses_walk_over_twelve_hours(make_walk):
    with pytest.raises(DomainError, match="högst 12 timmar"):
        make_walk(start_time=time(18, 0), end_time=time(6, 30))


@pytest.mark.parametrize(("met", "talked"), [(0, 0), (14, 3), (5, 5), (None, None)])
def test_counts_within_rule_are_accepted(met, talked):
    check_counts(met, talked)


def test_talked_with_more_than_met_is_refused():
    with pytest.raises(DomainError, match=r"fler ungdomar \(4\) än ni mötte \(3\)") as refused:
        check_counts(3, 4)
    assert refused.value.field == "youths_talked"


@pytest.mark.parametrize(("met", "talked", "field"), [(-1, 0, "youths_met"),
                                                      (3, -1, "youths_talked")])
def test_negative_counts_are_refused(met, talked, field):
    with pytest.raises(DomainError, match="negativt") as refused:
        check_counts(met, talked)
    assert refused.value.field == field


def test_only_one_count_filled_in_is_refused():
    with pytest.raises(DomainError, match="både"):
        check_counts(12, None)


def test_minor_latest_end_in_the_evening_is_the_same_day():
    assert minor_limit(date(2026, 11, 27), time(22, 0)) == datetime(2026, 11, 27, 22, 0)


def test_minor_latest_end_after_midnight_is_the_next_morning():
    assert minor_limit(date(2026, 11, 27), time(0, 30)) == datetime(2026, 11, 28, 0, 30)
