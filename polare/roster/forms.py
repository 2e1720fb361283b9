"""Roster forms (shape only; the services check the rules)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from polare.converters import form_id, optional_form_id
from polare.roster.models import EnrolmentStatus
from polare.submissions.forms import SubmitOnceMixin

STATUS_LABELS = {
    EnrolmentStatus.APPLICANT: _l("Sökande"),
    EnrolmentStatus.ACTIVE: _l("Aktiv"),
    EnrolmentStatus.WAITLISTED: _l("Väntelista"),
    EnrolmentStatus.DECLINED: _l("Avböjd"),
    EnrolmentStatus.ENDED: _l("Avslutad"),
}


class RosterFilterForm(FlaskForm):
    """Team, school year, filters and the search box of the roster page.

    Sent by POST so that a personnummer typed into the search box never lands in a URL; a
    name search is then redirected to a plain GET address that can be paged and bookmarked.
    """

    team = SelectField(_l("Team"), coerce=form_id)
    year = SelectField(_l("Läsår"), coerce=form_id)
    status = SelectField(_l("Status"), validators=[Optional()], choices=[
        ("", _l("Alla")), *((s.value, label) for s, label in STATUS_LABELS.items())])
    consent = BooleanField(_l("Samtycke saknas"))
    training = BooleanField(_l("Utbildning saknas"))
    q = StringField(_l("Sök namn eller personnummer"), validators=[Optional(), Length(max=80)],
                    render_kw={"autocomplete": "off"})
    submit = SubmitField(_l("Visa"))


class PersonForm(FlaskForm):
    personnummer = StringField(
        _l("Personnummer eller samordningsnummer"), validators=[DataRequired(), Length(max=20)],
        description=_l("ÅÅÅÅMMDD-NNNN; även ÅÅMMDD-NNNN och utan bindestreck går bra."),
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    first_name = StringField(_l("Förnamn"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Efternamn"), validators=[DataRequired(), Length(max=80)])
    phone = TelField(_l("Mobiltelefon"), validators=[Optional(), Length(max=30)])
    email = EmailField(_l("E-post"), validators=[Optional(), Email(), Length(max=200)])
    address = StringField(_l("Adress"), validators=[Optional(), Length(max=200)])
    school = StringField(_l("Skola"), validators=[Optional(), Length(max=120)])
    notes = TextAreaField(_l("Anteckningar"), validators=[Optional(), Length(max=4000)])
    prior_years = IntegerField(
        _l("År i verksamheten före systemet"), default=0,
        validators=[InputRequired(), NumberRange(min=0, max=10)],
    )
    submit = SubmitField(_l("Spara"))


class NewPersonForm(SubmitOnceMixin, PersonForm):
    """A new polare, applying to a team and school year, with an optional first guardian."""

    team_id = SelectField(_l("Team"), coerce=form_id)
    school_year_id = SelectField(_l("Läsår"), coerce=form_id)
    guardian_name = StringField(_l("Vårdnadshavarens namn"),
                                validators=[Optional(), Length(max=120)])
    guardian_phone = TelField(_l("Vårdnadshavarens telefon"),
                              validators=[Optional(), Length(max=30)])
    guardian_email = EmailField(_l("Vårdnadshavarens e-post"),
                                validators=[Optional(), Email(), Length(max=200)])
    guardian_relation = StringField(_l("Relation"), validators=[Optional(), Length(max=40)],
                                    description=_l("Till exempel mamma, pappa, god man."))


class EnrolExistingForm(SubmitOnceMixin, FlaskForm):
    """Enrol an already registered person, named by the personnummer the user typed."""

    personnummer = HiddenField(validators=[DataRequired(), Length(max=20)])
    team_id = HiddenField(validators=[DataRequired()])
    school_year_id = HiddenField(validators=[DataRequired()])


class GuardianForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(), Length(max=120)])
    phone = TelField(_l("Telefon"), validators=[DataRequired(), Length(max=30)])
    email = EmailField(_l("E-post"), validators=[Optional(), Email(), Length(max=200)])
    relation = StringField(_l("Relation"), validators=[Optional(), Length(max=40)],
                           description=_l("Till exempel mamma, pappa, god man."))
    submit = SubmitField(_l("Spara"))


class NewGuardianForm(SubmitOnceMixin, GuardianForm):
    """A guardian added to a person."""


class EnrolForm(SubmitOnceMixin, FlaskForm):
    team_id = SelectField(_l("Team"), coerce=form_id)
    school_year_id = SelectField(_l("Läsår"), coerce=form_id)
    submit = SubmitField(_l("Anmäl"))


class ActivateForm(FlaskForm):
    on = DateField(_l("Aktiv från"), validators=[DataRequired()])
    submit = SubmitField(_l("Aktivera"))


class EndForm(FlaskForm):
    on = DateField(_l("Slutdatum"), validators=[DataRequired()],
                   description=_l("Polaren är inte aktiv från och med detta datum."))
    reason = StringField(_l("Anledning"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Avsluta"))


class ConsentForm(FlaskForm):
    guardian_id = SelectField(_l("Vårdnadshavare"), coerce=optional_form_id,
                              validators=[DataRequired()])
    consent_date = DateField(_l("Datum för skriftligt samtycke"), validators=[DataRequired()])
    submit = SubmitField(_l("Registrera samtycke"))


class ConfirmForm(FlaskForm):
    """A button whose only content is the CSRF token (waitlist, decline, remove)."""

    submit = SubmitField(_l("Bekräfta"))


class CapForm(FlaskForm):
    cap = IntegerField(_l("Tak (aktiva polare)"),
                       validators=[InputRequired(), NumberRange(min=0, max=500)])
    submit = SubmitField(_l("Ändra tak"))


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ContinueForm(SubmitOnceMixin, FlaskForm):
    person_ids = MultiCheckboxField(_l("Polare"), coerce=form_id)
    submit = SubmitField(_l("Anmäl valda som sökande"))
