"""Admin forms (shape only; rules that need the database are the services')."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from polare.auth.models import ROLE_LABELS
from polare.converters import form_id
from polare.submissions.forms import SubmitOnceMixin

USERNAME_PATTERN = r"^[A-Za-z0-9._-]+$"


class UserForm(FlaskForm):
    username = StringField(
        _l("Användarnamn"),
        validators=[DataRequired(), Length(max=80),
                    Regexp(USERNAME_PATTERN, message=_l("Bara bokstäver a–z, siffror, . _ -"))],
    )
    full_name = StringField(_l("Namn"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("E-post"), validators=[Optional(), Email(), Length(max=200)])
    role = SelectField(_l("Roll"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    teams = SelectMultipleField(_l("Team"), coerce=form_id, validators=[Optional()])
    active = BooleanField(_l("Aktiv"), default=True)
    can_attest = BooleanField(
        _l("Attesträtt"),
        description=_l("Får attestera löneperioder som någon annan har stängt, och öppna "
                       "stängda perioder igen innan de attesteras."))
    password = PasswordField(_l("Lösenord"), validators=[Optional(), Length(max=200)],
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Spara"))


class NewUserForm(SubmitOnceMixin, UserForm):
    """A new user."""


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("Nytt lösenord"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "new-password"})
    force_change = BooleanField(_l("Måste bytas vid nästa inloggning"), default=True)
    submit = SubmitField(_l("Sätt lösenord"))


class TeamForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(), Length(max=80)])
    cost_centre = StringField(_l("Kostnadsställe"), validators=[DataRequired(), Length(max=40)])
    active = BooleanField(_l("Aktivt"), default=True)
    submit = SubmitField(_l("Spara"))


class NewTeamForm(SubmitOnceMixin, TeamForm):
    """A new team."""


class DistrictForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(), Length(max=80)])
    team_id = SelectField(_l("Team"), coerce=form_id)
    is_home = BooleanField(_l("Teamets hemstadsdel"))
    submit = SubmitField(_l("Spara"))


class NewDistrictForm(SubmitOnceMixin, DistrictForm):
    """A new district."""


class SchoolYearForm(FlaskForm):
    label = StringField(
        _l("Läsår"),
        validators=[DataRequired(), Length(max=20),
                    Regexp(r"^\d{4}/\d{2}$", message=_l("Skriv läsåret som 2026/27."))],
    )
    starts_on = DateField(_l("Börjar"), validators=[DataRequired()])
    ends_on = DateField(_l("Slutar"), validators=[DataRequired()])
    submit = SubmitField(_l("Spara"))


class NewSchoolYearForm(SubmitOnceMixin, SchoolYearForm):
    """A new school year."""


class SettingsForm(FlaskForm):
    default_cap = IntegerField(_l("Tak för aktiva polare per team och läsår"),
                               validators=[DataRequired(), NumberRange(min=0, max=500)])
    min_age = IntegerField(_l("Lägsta ålder"), validators=[DataRequired(), NumberRange(10, 30)])
    max_age = IntegerField(_l("Högsta ålder"), validators=[DataRequired(), NumberRange(10, 30)])
    pay_code = StringField(_l("Löneart"), validators=[DataRequired(), Length(max=20)])
    minor_latest_end = TimeField(_l("Senaste sluttid för polare under 18"),
                                 validators=[DataRequired()])
    retention_months = IntegerField(_l("Gallring efter (månader)"),
                                    validators=[DataRequired(), NumberRange(1, 240)])
    deletion_decision_ref = StringField(_l("Gallringsbeslut (diarienummer)"),
                                        validators=[Optional(), Length(max=120)])
    applications_next_year_from = DateField(
        _l("Ansökningar till nästa läsår från"), validators=[Optional()],
        description=_l("Från detta datum hamnar ansökningar via webbformuläret i nästa läsår."))
    first_pay_period = StringField(
        _l("Första löneperiod"), validators=[Optional(), Length(max=7)],
        description=_l("År-månad, t.ex. 2026-02. Pass före den betalas inte av Polare. Tom: den "
                       "tidigaste månaden med ett godkänt pass. Kan inte ändras när en period "
                       "har stängts."))
    submit = SubmitField(_l("Spara"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    username = StringField(_l("Användare"), validators=[Optional(), Length(max=80)])
    entity = StringField(_l("Objekt"), validators=[Optional(), Length(max=40)])
    date_from = DateField(_l("Från"), validators=[Optional()])
    date_to = DateField(_l("Till"), validators=[Optional()])
