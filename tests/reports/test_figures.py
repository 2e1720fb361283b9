"""Every walk, event and recruit figure against values computed by hand (see conftest)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from polare.reports.report import compute_report
from polare.reports.scope import ReportScope

TODAY = date(2026, 11, 25)
AUTUMN = (date(2026, 9, 1), date(2026, 12, 31))
SUMMER = (date(2026, 5, 1), date(2026, 8, 31))
SCHOOL_YEAR = (date(2026, 8, 1), date(2027, 7, 31))


@pytest.fixture
def ryd_autumn(db, data, teams):
    scope = ReportScope(*AUTUMN, frozenset({teams["Ryd"].id}))
    return compute_report(db, scope, today=TODAY)


@pytest.fixture
def whole_year(db, data):
    return compute_report(db, ReportScope(*SCHOOL_YEAR), today=TODAY)


def _figures(figures) -> tuple:
    return (figures.walks, figures.hours, figures.polarpass, figures.polare, figures.met,
            figures.talked)


def test_autumn_tertial_of_ryd_counts_completed_and_approved_walks(ryd_autumn):
    # W2 (4 h, over midnight), W5 (4.75 h) and W7 (4.5 h, over midnight); W3 cancelled and
    # W4 planned do not count.
    assert _figures(ryd_autumn.total) == (3, Decimal("13.25"), 6, 3, 32, 13)


def test_whole_school_year_for_all_teams(whole_year):
    assert _figures(whole_year.total) == (5, Decimal("21.25"), 8, 4, 72, 27)


def test_cancelled_walk_does_not_count(db, data, teams):
    report = compute_report(db, ReportScope(date(2026, 9, 15), date(2026, 9, 15)), today=TODAY)
    assert _figures(report.total) == (0, Decimal("0.00"), 0, 0, 0, 0)
    assert report.incidents_total == 0


def test_planned_walk_does_not_count(db, data):
    report = compute_report(db, ReportScope(date(2026, 11, 20), date(2026, 11, 20)), today=TODAY)
    assert _figures(report.total) == (0, Decimal("0.00"), 0, 0, 0, 0)


def test_walk_over_midnight_counts_its_whole_duration(db, data):
    report = compute_report(db, ReportScope(date(2026, 9, 1), date(2026, 9, 1)), today=TODAY)
    assert report.total.hours == Decimal("4.00")
    assert report.total.seconds == 4 * 3600


def test_walk_over_midnight_belongs_to_the_evening_it_starts(db, data):
    report = compute_report(db, ReportScope(date(2026, 10, 18), date(2026, 10, 18)), today=TODAY)
    assert report.total.walks == 0


def test_tertial_boundary_puts_31_august_in_summer_and_1_september_in_autumn(db, data, teams):
    ryd = frozenset({teams["Ryd"].id})
    summer = compute_report(db, ReportScope(*SUMMER, ryd), today=TODAY)
    autumn = compute_report(db, ReportScope(*AUTUMN, ryd), today=TODAY)
    assert _figures(summer.total) == (1, Decimal("4.00"), 1, 1, 10, 4)
    assert [row.key for row in summer.by_month if row.figures.walks] == ["2026-08"]
    assert [row.key for row in autumn.by_month if row.figures.walks][0] == "2026-09"
    assert summer.total.walks + autumn.total.walks == 4


def test_breakdown_by_month_lists_every_month_of_the_range(ryd_autumn):
    rows = {row.key: _figures(row.figures) for row in ryd_autumn.by_month}
    assert rows == {
        "2026-09": (1, Decimal("4.00"), 2, 2, 20, 5),
        "2026-10": (1, Decimal("4.50"), 1, 1, 5, 1),
        "2026-11": (1, Decimal("4.75"), 3, 3, 7, 7),
        "2026-12": (0, Decimal("0.00"), 0, 0, 0, 0),
    }


def test_breakdown_by_district_includes_walks_outside_own_area(ryd_autumn):
    rows = {row.label: (row.detail, *_figures(row.figures)) for row in ryd_autumn.by_district}
    assert rows["Lambohov"] == ("Ryd", 1, Decimal("4.00"), 2, 2, 20, 5)
    assert rows["Malmslätt"] == ("Ryd", 1, Decimal("4.75"), 3, 3, 7, 7)
    assert rows["Ekholmen"] == ("Berga", 1, Decimal("4.50"), 1, 1, 5, 1)
    assert rows["Ryd"] == ("Ryd", 0, Decimal("0.00"), 0, 0, 0, 0)
    assert "Berga" not in rows


def test_breakdown_by_team(whole_year):
    rows = {row.label: _figures(row.figures) for row in whole_year.by_team}
    assert rows == {
        "Berga": (1, Decimal("4.00"), 1, 1, 30, 10),
        "Ryd": (4, Decimal("17.25"), 7, 3, 42, 17),
        "Skäggetorp": (0, Decimal("0.00"), 0, 0, 0, 0),
    }


def test_distinct_polare_are_not_summed_across_months(ryd_autumn):
    assert sum(row.figures.polare for row in ryd_autumn.by_month) == 6
    assert ryd_autumn.total.polare == 3


def test_incidents_per_category_of_counted_walks(whole_year, teams):
    incidents = {row.category: (row.total, row.per_team) for row in whole_year.incidents}
    ryd, berga = teams["Ryd"].id, teams["Berga"].id
    assert incidents["Bråk"] == (3, {ryd: 3})
    assert incidents["Alkohol / droger"] == (1, {ryd: 1})
    assert incidents["Skadegörelse"] == (1, {berga: 1})
    assert incidents["Kontakt med polis"] == (0, {})
    assert whole_year.incidents_total == 5


def test_events_held_and_attendance_for_a_team_count_events_for_all_teams(ryd_autumn):
    # E1 (Ryd) and E2 (all teams) held; E3 cancelled; E4 is Berga's. Dan (Berga) at E2 is
    # not Ryd's attendance.
    total = ryd_autumn.events_total
    assert (total.held, total.invited, total.attended) == (2, 4, 3)
    by_type = {name: (c.held, c.attended) for name, c in ryd_autumn.events_by_type}
    assert by_type["Ledarskapsutbildning"] == (1, 2)
    assert by_type["Nätverksträff"] == (1, 1)
    months = {m: (c.held, c.attended) for m, c in ryd_autumn.events_by_month.items()}
    assert months == {"2026-09": (1, 2), "2026-10": (1, 1), "2026-11": (0, 0),
                      "2026-12": (0, 0)}


def test_events_for_all_teams(whole_year):
    total = whole_year.events_total
    assert (total.held, total.invited, total.attended) == (3, 6, 5)


def test_recruits_against_the_cap_count_ended_but_not_waitlisted(ryd_autumn):
    [row] = ryd_autumn.recruits
    assert (row.team, row.school_year, row.recruited, row.active, row.cap, row.on) == (
        "Ryd", "2026/27", 4, 3, 15, TODAY)


def test_recruits_are_counted_on_the_last_day_of_a_past_range(db, data, teams):
    scope = ReportScope(*SUMMER, frozenset({teams["Ryd"].id}))
    rows = {row.school_year: row for row in compute_report(db, scope, today=TODAY).recruits}
    assert (rows["2026/27"].recruited, rows["2026/27"].active) == (4, 4)
    assert rows["2026/27"].on == date(2026, 8, 31)
    assert (rows["2025/26"].recruited, rows["2025/26"].cap) == (0, 20)


def test_district_filter_keeps_walks_of_those_districts(db, data, districts):
    scope = ReportScope(*SCHOOL_YEAR, None, frozenset({districts["Lambohov"].id,
                                                       districts["Berga"].id}))
    report = compute_report(db, scope, today=TODAY)
    assert _figures(report.total) == (2, Decimal("8.00"), 3, 3, 50, 15)
    assert [row.label for row in report.by_district] == ["Berga", "Lambohov"]
    assert report.notes[0].startswith("Aktiviteter och rekrytering gäller hela teamen")
