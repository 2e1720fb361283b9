"""Walk forms: shape only; the rules that need the database are the services'."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from polare.converters import form_id, optional_form_id
from polare.roster.identity import InvalidText, check_text
from polare.submissions.forms import SubmitOnceMixin
from polare.walks.models import IncidentCategory, Participation, WalkStatus

WEEKDAYS = (
    (0, _l("måndag")), (1, _l("tisdag")), (2, _l("onsdag")), (3, _l("torsdag")),
    (4, _l("fredag")), (5, _l("lördag")), (6, _l("söndag")),
)

STATUS_CHOICES = (
    (WalkStatus.PLANNED.value, _l("Planerad")),
    (WalkStatus.COMPLETED.value, _l("Genomförd")),
    (WalkStatus.APPROVED.value, _l("Godkänd")),
    (WalkStatus.CANCELLED.value, _l("Inställd")),
)

ATTENDANCE_CHOICES = (("attended", _l("Närvarande")), ("absent", _l("Frånvarande")))

#: Big enough for any real night, small enough to catch a typo.
MAX_COUNT = 10_000
NUMERIC = {"inputmode": "numeric", "min": "0", "autocomplete": "off"}


def plain_text(form: FlaskForm, field: Field) -> None:
    """Refuse control characters in free text (line breaks only in a text area)."""
    try:
        check_text(field.data or "", field.label.text,
                   multiline=isinstance(field, TextAreaField))
    except InvalidText as error:
        raise ValidationError(str(error)) from error


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlanFields(FlaskForm):
    """What every walk plan has; the date fields are the subclasses'."""

    start_time = TimeField(_l("Start"), validators=[DataRequired()])
    end_time = TimeField(_l("Slut"), validators=[DataRequired()],
                         description=_l("En sluttid före starttiden är nästa morgon."))
    district_id = SelectField(_l("Stadsdel"), coerce=form_id, validators=[DataRequired()])
    meeting_point = StringField(_l("Mötesplats"), validators=[Optional(), Length(max=160),
                                                              plain_text])
    staff_ids = MultiCheckboxField(_l("Ansvarig personal"), coerce=form_id)
    person_ids = MultiCheckboxField(_l("Polare"), coerce=form_id)


class WalkEditForm(PlanFields):
    """A walk's plan as it is changed: no one-time key, the version refuses a stale save."""

    walk_date = DateField(_l("Datum"), validators=[DataRequired()],
                          description=_l("Kvällen nattvandringen börjar."))
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Spara"))


class PlanForm(SubmitOnceMixin, WalkEditForm):
    """A new walk's plan, saved once per key."""


class SeriesForm(SubmitOnceMixin, PlanFields):
    first_date = DateField(_l("Första datum"), validators=[DataRequired()])
    last_date = DateField(_l("Sista datum"), validators=[DataRequired()])
    weekdays = MultiCheckboxField(_l("Veckodagar"), coerce=int, choices=list(WEEKDAYS))
    submit = SubmitField(_l("Planera serien"))


class LogForm(SubmitOnceMixin, FlaskForm):
    """The logging page; attendance and incident fields are added per walk.

    Its one-time key is made by the server, or on the phone for an entry saved offline.
    """

    youths_met = IntegerField(_l("Ungdomar ni mötte"), render_kw=NUMERIC,
                              validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)])
    youths_talked = IntegerField(_l("Ungdomar ni pratade med"), render_kw=NUMERIC,
                                 validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)])
    note = TextAreaField(
        _l("Iakttagelser"), validators=[Optional(), Length(max=4000), plain_text],
        description=_l("Skriv inte namn eller annat som pekar ut de ungdomar ni mötte."),
        render_kw={"rows": 4},
    )
    joined_person_id = SelectField(_l("Polare som anslöt under kvällen"), coerce=optional_form_id)
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    save = SubmitField(_l("Spara"))
    complete = SubmitField(_l("Spara och markera genomförd"))

    def attendance_fields(self) -> list[tuple[int, RadioField]]:
        """Return (person id, field) of every attendance field."""
        return [(int(name.split("_")[1]), field) for name, field in self._fields.items()
                if name.startswith("attendance_")]

    def incident_fields(self) -> list[tuple[int, IntegerField]]:
        """Return (category id, field) of every incident field."""
        return [(int(name.split("_")[1]), field) for name, field in self._fields.items()
                if name.startswith("incident_")]


def log_form_class(
    participations: Iterable[Participation], categories: Iterable[IncidentCategory]
) -> type[LogForm]:
    """Return a LogForm with an attendance field per polare and a count per category."""

    class WalkLogForm(LogForm):
        pass

    for participation in participations:
        setattr(WalkLogForm, f"attendance_{participation.person_id}", RadioField(
            participation.person.full_name, choices=list(ATTENDANCE_CHOICES),
            validate_choice=False, validators=[Optional()]))
    for category in categories:
        setattr(WalkLogForm, f"incident_{category.id}", IntegerField(
            category.label, default=0, render_kw=NUMERIC,
            validators=[Optional(), NumberRange(min=0, max=999)]))
    return WalkLogForm


class ApproveForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    confirm_training = BooleanField(
        _l("Jag har sett att polare saknar obligatorisk utbildning och godkänner ändå."))
    submit = SubmitField(_l("Godkänn"))


class StatusForm(FlaskForm):
    """Complete, cancel or send back a walk."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    reason = StringField(_l("Anledning"), validators=[Optional(), Length(max=200), plain_text])
    submit = SubmitField(_l("Spara"))


class WalkFilterForm(FlaskForm):
    class Meta:
        csrf = False

    team_id = SelectField(_l("Team"), coerce=optional_form_id, validate_choice=False)
    status = SelectField(_l("Status"), choices=[("", _l("Alla")), *STATUS_CHOICES],
                         validators=[Optional()])
    district_id = SelectField(_l("Stadsdel"), coerce=optional_form_id, validate_choice=False)
    date_from = DateField(_l("Från"), validators=[Optional()])
    date_to = DateField(_l("Till"), validators=[Optional()])


class CalendarTokenForm(FlaskForm):
    submit = SubmitField(_l("Skapa ny adress"))


class IncidentCategoryForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(), Length(max=80), plain_text])
    name_en = StringField(_l("Namn på engelska (tomt = det svenska namnet visas)"),
                          validators=[Length(max=80), plain_text])
    active = BooleanField(_l("Används"), default=True)
    sort_order = IntegerField(_l("Ordning i listor"), default=0,
                              validators=[InputRequired(), NumberRange(min=0, max=999)])
    submit = SubmitField(_l("Spara"))


class NewIncidentCategoryForm(SubmitOnceMixin, IncidentCategoryForm):
    """A new incident category, saved once however often the form is sent."""
