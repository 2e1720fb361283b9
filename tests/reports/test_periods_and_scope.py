"""Month, tertial and range helpers, and the team scope of a user's report."""

from __future__ import annotations

from datetime import date

import pytest

from polare.auth.models import Role
from polare.reports.periods import (
    month_count,
    month_span,
    months_between,
    tertial_label,
    tertial_of,
    tertial_span,
)
from polare.reports.scope import ReportScope, scope_for, sees_cost


@pytest.mark.parametrize(("day", "tertial"), [
    (date(2026, 1, 1), 1), (date(2026, 4, 30), 1), (date(2026, 5, 1), 2),
    (date(2026, 8, 31), 2), (date(2026, 9, 1), 3), (date(2026, 12, 31), 3),
])
def test_tertials_are_january_april_may_august_september_december(day, tertial):
    assert tertial_of(day) == tertial


def test_tertial_span_and_label():
    assert tertial_span(2026, 2) == (date(2026, 5, 1), date(2026, 8, 31))
    assert tertial_span(2026, 3) == (date(2026, 9, 1), date(2026, 12, 31))
    assert tertial_label(2026, 3) == "2026 T3 (sep–dec)"


def test_month_span_knows_leap_years():
    assert month_span(2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))


def test_months_between_crosses_the_new_year():
    assert months_between(date(2026, 11, 15), date(2027, 2, 1)) == [
        "2026-11", "2026-12", "2027-01", "2027-02"]
    assert month_count(date(2026, 8, 1), date(2027, 7, 31)) == 12


def test_a_range_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="before"):
        ReportScope(date(2026, 9, 2), date(2026, 9, 1))


def test_coordinator_sees_only_own_teams_whatever_is_asked(make_user, teams):
    user = make_user(Role.COORDINATOR, teams=("Ryd",))
    ryd, berga = teams["Ryd"].id, teams["Berga"].id
    assert scope_for(user, date(2026, 9, 1), date(2026, 9, 30)).team_ids == {ryd}
    assert scope_for(user, date(2026, 9, 1), date(2026, 9, 30),
                     team_ids=[ryd, berga]).team_ids == {ryd}
    assert scope_for(user, date(2026, 9, 1), date(2026, 9, 30),
                     team_ids=[berga]).team_ids == frozenset()


def test_payroll_and_admin_see_every_team(make_user, teams):
    for role in (Role.PAYROLL, Role.ADMIN):
        user = make_user(role)
        assert scope_for(user, date(2026, 9, 1), date(2026, 9, 30)).team_ids is None
        assert scope_for(user, date(2026, 9, 1), date(2026, 9, 30),
                         team_ids=[teams["Berga"].id]).team_ids == {teams["Berga"].id}


def test_supervisors_do_not_see_cost(make_user):
    assert not sees_cost(make_user(Role.SUPERVISOR))
    assert sees_cost(make_user(Role.COORDINATOR))
    assert sees_cost(make_user(Role.PAYROLL))
    assert sees_cost(None)
