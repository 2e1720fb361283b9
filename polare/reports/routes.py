"""Routes of the reports domain: the follow-up report, its workbook, and admin's inputs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from polare.auth.access import roles, team_ids_for
from polare.auth.models import Role
from polare.clock import local_today
from polare.converters import id_arguments, page_number
from polare.extensions import db
from polare.org.models import SchoolYear
from polare.reports import bp
from polare.reports import budgets as budget_rules
from polare.reports.aggregated import report_from_aggregates
from polare.reports.aggregates import Progress
from polare.reports.charts import report_charts
from polare.reports.figures import Report, school_years_with_budgets
from polare.reports.forms import (
    BudgetForm,
    ContributionRateForm,
    DeleteForm,
    NewContributionRateForm,
    ReportFilterForm,
)
from polare.reports.models import Budget, EmployerContributionRate
from polare.reports.periods import tertial_of
from polare.reports.report import Places, compute_report, filter_places
from polare.reports.scope import scope_for, sees_cost
from polare.reports.tables import cell_text, is_number, report_tables
from polare.reports.workbook import report_workbook
from polare.web import act, save_form

REPORT_ROLES = (Role.COORDINATOR, Role.SUPERVISOR, Role.PAYROLL)
#: More teams than this are chosen from a list box instead of checkboxes.
MANY_TEAMS = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter_form(years: list[SchoolYear], today: date) -> tuple[ReportFilterForm, Places]:
    """Return the filter form read from the query string, with choices the user may pick, and
    the teams and districts it offers (which the report shows)."""
    allowed = None if team_ids_for(current_user) is None else current_user.teams
    places = filter_places(db.session, allowed, id_arguments("teams"), id_arguments("districts"))
    form = ReportFilterForm(request.args)
    form.set_choices(years, [(team.id, team.name) for team in places.teams],
                     [(d.id, d.name, d.team) for d in places.districts])
    if not request.args:
        form.period.data = "tertial"
        form.tertial.data = f"{today.year}-{tertial_of(today)}"
    return form, places


@dataclass
class Found:
    """The report page's filter form, and the report or how far its aggregates have come."""

    form: ReportFilterForm
    report: Report | None = None
    #: The number of pages of the team table (0: not paged).
    pages: int = 0
    #: Set, instead of a report, while every team's aggregates are being rebuilt.
    rebuilding: Progress | None = None


def _report_from_request(*, paged: bool = True) -> Found:
    """Read the filter and compute the report, or return the form with its errors.

    On the page (`paged`), a report of whole months comes from the follow-up aggregates
    (every team's with the team table a page at a time, or how far the rebuild of every team's
    aggregates has come). The workbook, a download, has every team and district from the full
    computation.
    """
    today = local_today()
    years = school_years_with_budgets(db.session)
    form, places = _filter_form([year for year, _budget in years], today)
    if not form.validate():
        return Found(form)
    span = form.span([year for year, _budget in years])
    if span is None:
        return Found(form)
    scope = scope_for(current_user, *span, team_ids=form.teams.data or (),
                      district_ids=form.districts.data or ())
    with_cost = sees_cost(current_user)
    if paged:
        found = report_from_aggregates(
            db.session, scope, today=today, with_cost=with_cost, places=places, years=years,
            page=page_number(), rebuild_seconds=current_app.config["POLARE_REBUILD_SECONDS"])
        if isinstance(found, Progress):
            return Found(form, rebuilding=found)
        if found is not None:
            return Found(form, *found)
    return Found(form, compute_report(db.session, scope, today=today, with_cost=with_cost,
                                      places=places, years=years))


@bp.route("/")
@roles(*REPORT_ROLES)
def index():
    found = _report_from_request()
    form, report, pages = found.form, found.report, found.pages
    charts = report_charts(report) if report is not None else []
    tables = {table.key: table for table in report_tables(report)} if report else {}
    country = report is not None and pages > 0
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    links = [url_for("reports.index", period="range",
                     date_from=report.scope.date_from.isoformat(),
                     date_to=report.scope.date_to.isoformat(), teams=row.key)
             for row in report.by_team] if country else None
    return render_template("reports/index.html", form=form, report=report, tables=tables,
                           charts=charts, cell_text=cell_text, is_number=is_number,
                           query=request.query_string.decode(), country=country,
                           pages=pages, page=page_number(),
                           args=args, team_links=links, many_teams=MANY_TEAMS,
                           rebuilding=found.rebuilding)


@bp.route("/export.xlsx")
@roles(*REPORT_ROLES)
def export():
    report = _report_from_request(paged=False).report
    if report is None:
        flash(_("Välj en period för rapporten."), "danger")
        return redirect(url_for("reports.index"))
    name = f"uppfoljning-{report.scope.date_from.isoformat()}-{report.scope.date_to.isoformat()}"
    return Response(report_workbook(report), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{name}.xlsx"'})


# ---------------------------------------------------------------- admin: contribution rates


@bp.route("/contribution-rates")
@roles(Role.ADMIN)
def rates():
    rows = db.session.scalars(
        select(EmployerContributionRate).order_by(EmployerContributionRate.valid_from.desc(),
                                                  EmployerContributionRate.age_from)
    ).all()
    return render_template("reports/rates.html", rates=rows, delete_form=DeleteForm(),
                           age_span=budget_rules.age_span)


@bp.route("/contribution-rates/new", methods=["GET", "POST"], defaults={"rate_id": None})
@bp.route("/contribution-rates/<id:rate_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def rate_edit(rate_id: int | None):
    rate = db.session.get(EmployerContributionRate, rate_id) if rate_id else None
    if rate_id and rate is None:
        abort(404)
    form = (ContributionRateForm if rate else NewContributionRateForm)(obj=rate)
    if form.validate_on_submit():
        done = save_form(form, lambda: budget_rules.save_contribution_rate(
            db.session, current_user, rate, label=form.label.data,
            valid_from=form.valid_from.data, valid_to=form.valid_to.data,
            age_from=form.age_from.data, age_to=form.age_to.data,
            rate_percent=form.rate_percent.data, is_example=form.is_example.data),
            _("Avgiften är sparad."), url_for("reports.rates"))
        if done is not None:
            return done
        return render_template("reports/rate_form.html", form=form, rate=rate), 422
    return render_template("reports/rate_form.html", form=form, rate=rate)


@bp.route("/contribution-rates/<id:rate_id>/delete", methods=["POST"])
@roles(Role.ADMIN)
def rate_delete(rate_id: int):
    back = url_for("reports.rates")
    if not DeleteForm().validate_on_submit():
        return redirect(back)
    db.get_or_404(EmployerContributionRate, rate_id)
    return act(lambda: budget_rules.delete_contribution_rate(db.session, current_user, rate_id),
               back, _("Avgiften är borttagen."))


# ---------------------------------------------------------------- admin: budgets


@bp.route("/budgets")
@roles(Role.ADMIN)
def budgets():
    rows = db.session.execute(
        select(SchoolYear, Budget.amount).outerjoin(Budget, Budget.school_year_id == SchoolYear.id)
        .order_by(SchoolYear.starts_on.desc())
    ).all()
    return render_template("reports/budgets.html", rows=rows)


@bp.route("/budgets/<id:school_year_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def budget_edit(school_year_id: int):
    year = db.session.get(SchoolYear, school_year_id)
    if year is None:
        abort(404)
    budget = db.session.scalar(select(Budget).where(Budget.school_year_id == year.id))
    form = BudgetForm(obj=budget)
    if form.validate_on_submit():
        done = save_form(form, lambda: budget_rules.save_budget(
            db.session, current_user, year.id, form.amount.data),
            _("Budgeten för %(year)s är sparad.", year=year.label), url_for("reports.budgets"))
        if done is not None:
            return done
        return render_template("reports/budget_form.html", form=form, year=year), 422
    return render_template("reports/budget_form.html", form=form, year=year)
