"""Forms of the reports: the report filter, contribution rates and budgets (shape only)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    MonthField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from polare.converters import form_id
from polare.org.models import SchoolYear
from polare.reports.periods import (
    MAX_REPORT_MONTHS,
    month_count,
    month_span,
    tertial_label,
    tertial_span,
)
from polare.submissions.forms import SubmitOnceMixin

PERIOD_CHOICES = [
    ("tertial", _l("Tertial")),
    ("month", _l("Månad")),
    ("school_year", _l("Läsår")),
    ("range", _l("Egna datum")),
]


class ReportFilterForm(FlaskForm):
    """What a report covers; sent with GET so a report has a link of its own."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), choices=PERIOD_CHOICES, default="tertial")
    month = MonthField(_l("Månad"), validators=[Optional()])
    tertial = SelectField(_l("Tertial"), validators=[Optional()])
    school_year = SelectField(_l("Läsår"), coerce=form_id, validators=[Optional()])
    date_from = DateField(_l("Från och med"), validators=[Optional()])
    date_to = DateField(_l("Till och med"), validators=[Optional()])
    teams = SelectMultipleField(_l("Team"), coerce=form_id, validators=[Optional()])
    districts = SelectMultipleField(_l("Stadsdelar"), coerce=form_id, validators=[Optional()])

    def set_choices(self, school_years: list[SchoolYear], teams: list[tuple[int, str]],
                    districts: list[tuple[int, str, str]]) -> None:
        """Fill the choices: tertials and school years that exist, teams the user may see.

        `districts` holds (id, name, team name) in display order; the page shows them as
        checkboxes grouped under their team (`district_groups`).
        """
        years = sorted({y.starts_on.year for y in school_years} |
                       {y.ends_on.year for y in school_years}, reverse=True)
        self.tertial.choices = [(f"{year}-{t}", tertial_label(year, t))
                                for year in years for t in (3, 2, 1)]
        self.school_year.choices = [(y.id, y.label) for y in school_years]
        self.teams.choices = teams
        self.districts.choices = [(district_id, f"{name} ({team})")
                                  for district_id, name, team in districts]
        groups: dict[str, list[tuple[int, str]]] = {}
        for district_id, name, team in districts:
            groups.setdefault(team, []).append((district_id, name))
        self.district_groups = list(groups.items())

    def span(self, school_years: list[SchoolYear]) -> tuple[date, date] | None:
        """Return the dates the chosen period covers, or None with an error on the field."""
        match self.period.data:
            case "month" if self.month.data:
                return month_span(self.month.data.year, self.month.data.month)
            case "tertial" if self.tertial.data:
                year, tertial = self.tertial.data.split("-")
                return tertial_span(int(year), int(tertial))
            case "school_year":
                for year in school_years:
                    if year.id == self.school_year.data:
                        return year.starts_on, year.ends_on
            case "range" if self.date_from.data and self.date_to.data:
                return self._checked_range(self.date_from.data, self.date_to.data)
        field = {"month": self.month, "tertial": self.tertial,
                 "school_year": self.school_year}.get(self.period.data, self.date_from)
        field.errors = [*field.errors, _l("Välj period.")]
        return None


    def _checked_range(self, first: date, last: date) -> tuple[date, date] | None:
        """Return the range, or None with an error when it is reversed or too long."""
        if last < first:
            self.date_to.errors = [_l("Slutdatum kan inte vara före startdatum.")]
            return None
        if month_count(first, last) > MAX_REPORT_MONTHS:
            self.date_to.errors = [_l("En rapport kan omfatta högst %(months)s månader.",
                                      months=MAX_REPORT_MONTHS)]
            return None
        return first, last


class ContributionRateForm(FlaskForm):
    label = StringField(_l("Benämning"), validators=[DataRequired(), Length(max=120)])
    valid_from = DateField(_l("Gäller från"), validators=[DataRequired()])
    valid_to = DateField(_l("Gäller till och med (tomt = tills vidare)"),
                         validators=[Optional()])
    age_from = IntegerField(_l("Ålder den 1 januari från"),
                            validators=[InputRequired(), NumberRange(0, 120)])
    age_to = IntegerField(_l("Ålder den 1 januari till och med (tomt = ingen övre gräns)"),
                          validators=[Optional(), NumberRange(0, 120)])
    rate_percent = DecimalField(_l("Avgift (procent)"), places=2,
                                validators=[InputRequired(), NumberRange(0, 100)])
    is_example = BooleanField(_l("Exempelvärde som inte är kontrollerat"))
    submit = SubmitField(_l("Spara"))


class NewContributionRateForm(SubmitOnceMixin, ContributionRateForm):
    """A new employer contribution rate."""


class BudgetForm(FlaskForm):
    amount = DecimalField(_l("Budget för arvoden (kronor)"), places=2,
                          validators=[InputRequired(), NumberRange(0, 100_000_000)])
    submit = SubmitField(_l("Spara"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Ta bort"))
