"""Stipend cost (frozen lines plus open months' previews) and the employer cost estimate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import delete

from polare.reports.budgets import save_budget, save_contribution_rate
from polare.reports.costs import rate_for
from polare.reports.models import EmployerContributionRate
from polare.reports.report import compute_report
from polare.reports.scope import ReportScope

TODAY = date(2026, 11, 25)
AUTUMN = (date(2026, 9, 1), date(2026, 12, 31))
SCHOOL_YEAR = (date(2026, 8, 1), date(2027, 7, 31))


def _month_costs(report) -> dict[str, tuple[Decimal, Decimal]]:
    return {row.month: (row.cost.stipends, row.cost.contributions)
            for row in report.cost_months if row.cost.stipends}


def test_stipends_add_frozen_lines_and_the_open_months_preview(db, data, teams):
    report = compute_report(db, ReportScope(*AUTUMN, frozenset({teams["Ryd"].id})), today=TODAY)
    # September frozen: W2 Anna 200 + Cia 200; November preview: W5 Anna 200, Bo 250, Cia 200.
    assert report.total.cost.stipends == Decimal("1050.00")
    assert _month_costs(report) == {
        "2026-09": (Decimal("400.00"), Decimal("125.68")),
        "2026-11": (Decimal("650.00"), Decimal("177.71")),
    }


def test_corrections_count_with_the_walk_they_correct(db, data):
    # W1 paid Anna 200 and Bo 250 in 2026-08; Bo's 250 was taken back by a correction.
    report = compute_report(db, ReportScope(date(2026, 8, 1), date(2026, 8, 31)), today=TODAY)
    assert report.total.cost.stipends == Decimal("200.00")


def test_employer_contribution_uses_age_on_1_january_and_the_latest_started_rate(db, data):
    report = compute_report(db, ReportScope(*SCHOOL_YEAR), today=TODAY)
    # 31,42 % on Anna, Cia, Dan (16, 15, 16 on 1 January 2026); 20,81 % on Bo (18 on
    # 1 January: born 2008-01-01). November: 400 * 0,3142 + 250 * 0,2081 = 177,705 -> 177,71.
    assert _month_costs(report) == {
        "2026-08": (Decimal("200.00"), Decimal("62.84")),
        "2026-09": (Decimal("400.00"), Decimal("125.68")),
        "2026-10": (Decimal("200.00"), Decimal("62.84")),
        "2026-11": (Decimal("650.00"), Decimal("177.71")),
    }
    cost = report.total.cost
    assert (cost.stipends, cost.contributions, cost.employer_cost) == (
        Decimal("1450.00"), Decimal("429.07"), Decimal("1879.07"))


def test_cost_tables_agree_per_team_district_and_month(db, data):
    report = compute_report(db, ReportScope(*SCHOOL_YEAR), today=TODAY)
    for rows in (report.by_team, report.by_district, report.by_month):
        assert sum(r.figures.cost.employer_cost for r in rows) == report.total.cost.employer_cost
    by_team = {row.label: row.figures.cost.stipends for row in report.by_team}
    assert by_team == {"Berga": Decimal("200.00"), "Ryd": Decimal("1250.00"),
                       "Skäggetorp": Decimal("0.00")}


def test_open_months_are_named_as_preliminary(db, data):
    report = compute_report(db, ReportScope(*SCHOOL_YEAR), today=TODAY)
    assert any("(2026-10, 2026-11) är preliminära" in note for note in report.notes)
    assert any("exempelvärden" in note for note in report.notes)


def test_a_closed_range_has_no_preliminary_note(db, data):
    report = compute_report(db, ReportScope(date(2026, 8, 1), date(2026, 8, 31)), today=TODAY)
    assert not any("preliminära" in note for note in report.notes)


def test_stipends_no_rate_covers_are_named_and_not_priced(db, data):
    db.execute(delete(EmployerContributionRate))
    save_contribution_rate(db, None, None, label="Bara vuxna", valid_from=date(2024, 1, 1),
                           valid_to=None, age_from=18, age_to=None,
                           rate_percent=Decimal("31.42"))
    report = compute_report(db, ReportScope(date(2026, 11, 1), date(2026, 11, 30)), today=TODAY)
    assert report.total.cost.contributions == Decimal("78.55")  # Bo's 250 at 31,42 %
    assert any("ålder 15" in note and "2026-11-06" in note for note in report.notes)
    assert any("ålder 16" in note for note in report.notes)
    assert not any("exempelvärden" in note for note in report.notes)


def test_rate_for_prefers_the_rate_that_started_latest():
    general = EmployerContributionRate(id=1, label="Allmän", valid_from=date(2024, 1, 1),
                                       valid_to=None, age_from=0, age_to=None,
                                       rate_percent=Decimal("31.42"))
    youth = EmployerContributionRate(id=2, label="Unga", valid_from=date(2026, 4, 1),
                                     valid_to=date(2027, 9, 30), age_from=18, age_to=21,
                                     rate_percent=Decimal("20.81"))
    rates = [general, youth]
    assert rate_for(rates, date(2026, 3, 31), 18) is general
    assert rate_for(rates, date(2026, 4, 1), 18) is youth
    assert rate_for(rates, date(2026, 4, 1), 22) is general
    assert rate_for(rates, date(2027, 10, 1), 18) is general
    assert rate_for([youth], date(2026, 5, 1), 17) is None


def test_budget_line_and_share_of_the_school_years_budget(db, data, school_year):
    save_budget(db, None, school_year.id, Decimal("10000.00"))
    report = compute_report(db, ReportScope(*SCHOOL_YEAR), today=TODAY)
    [budget] = report.budgets
    assert (budget.school_year, budget.budget, budget.stipends, budget.share_percent) == (
        "2026/27", Decimal("10000.00"), Decimal("1450.00"), Decimal("14.5"))
    running = [(row.month, row.cumulative_stipends, row.budget) for row in report.cost_months]
    assert running[:4] == [
        ("2026-08", Decimal("200.00"), Decimal("10000.00")),
        ("2026-09", Decimal("600.00"), Decimal("10000.00")),
        ("2026-10", Decimal("800.00"), Decimal("10000.00")),
        ("2026-11", Decimal("1450.00"), Decimal("10000.00")),
    ]


def test_supervisors_report_has_no_cost(db, data):
    report = compute_report(db, ReportScope(*SCHOOL_YEAR), today=TODAY, with_cost=False)
    assert report.total.cost.stipends == Decimal("0.00")
    assert report.cost_months == []


def test_cost_chart_legend_fits_inside_the_chart_a_phone_shows(app, db, data):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from polare.reports.charts import cost_figure

    report = compute_report(db, ReportScope(*SCHOOL_YEAR), today=TODAY)
    with app.test_request_context():  # the labels are worded in the reader's language
        figure = cost_figure(report)
    renderer = FigureCanvasAgg(figure).get_renderer()
    legend = figure.axes[0].get_legend().get_window_extent(renderer)
    assert (legend.x0, legend.y0) >= (0, 0)
    assert (legend.x1, legend.y1) <= (figure.bbox.x1, figure.bbox.y1)
