"""Forms of the events domain (shape only; the services check the rules)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
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
from wtforms.widgets import CheckboxInput, ListWidget

from polare.converters import form_id
from polare.submissions.forms import SubmitOnceMixin

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def plain_text(*, multiline: bool = False):
    """Return a validator refusing control characters (line breaks only when multiline)."""
    pattern = _CONTROL if multiline else _CONTROL_ONE_LINE

    def check(form: FlaskForm, field: Field) -> None:
        if field.data and pattern.search(field.data):
            raise ValidationError(_l("Texten innehåller otillåtna tecken."))

    return check


class EventTypeForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[DataRequired(), Length(max=80), plain_text()])
    name_en = StringField(_l("Namn på engelska (tomt = det svenska namnet visas)"),
                          validators=[Length(max=80), plain_text()])
    required = BooleanField(_l("Obligatorisk: varje aktiv polare ska ha gått den varje läsår"))
    active = BooleanField(_l("Används"), default=True)
    sort_order = IntegerField(_l("Ordning i listor"), default=0,
                              validators=[InputRequired(), NumberRange(min=0, max=999)])
    submit = SubmitField(_l("Spara"))


class NewEventTypeForm(SubmitOnceMixin, EventTypeForm):
    """A new event type."""


class EventForm(FlaskForm):
    type_id = SelectField(_l("Typ"), coerce=form_id)
    title = StringField(_l("Rubrik"),
                        validators=[DataRequired(), Length(max=160), plain_text()])
    event_date = DateField(_l("Datum"), validators=[DataRequired()])
    start_time = TimeField(_l("Starttid"), validators=[DataRequired()])
    end_time = TimeField(_l("Sluttid"), validators=[Optional()])
    team_id = SelectField(_l("För"))
    organiser_team_id = SelectField(
        _l("Arrangör"), validators=[Optional()],
        description=_l("Gäller aktiviteter för alla team: samordnarna i arrangörsteamet kan "
                       "ändra den, övriga team bjuder in och markerar närvaro för sina polare."))
    place = StringField(_l("Plats"), validators=[Optional(), Length(max=160), plain_text()])
    notes = TextAreaField(_l("Anteckningar"),
                          validators=[Optional(), Length(max=2000), plain_text(multiline=True)],
                          render_kw={"rows": 3})
    submit = SubmitField(_l("Spara"))


class NewEventForm(SubmitOnceMixin, EventForm):
    """A new event."""


class CancelEventForm(FlaskForm):
    reason = StringField(_l("Anledning (valfri)"),
                         validators=[Optional(), Length(max=200), plain_text()])
    submit = SubmitField(_l("Ställ in aktiviteten"))


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InviteForm(SubmitOnceMixin, FlaskForm):
    person_ids = MultiCheckboxField(_l("Välj personer"), coerce=form_id,
                                    validate_choice=False)
    submit = SubmitField(_l("Bjud in valda"))


class ActionForm(FlaskForm):
    """A form of one button (CSRF only): invite all, remove an invitation."""


class MarkForm(FlaskForm):
    """The one-tap attendance buttons: each submits `status` as attended or absent."""

    status = StringField(validators=[DataRequired()])


class EventFilterForm(FlaskForm):
    """The filters of the event list (GET, no CSRF)."""

    class Meta:
        csrf = False

    team = SelectField(_l("Team"), validators=[Optional()])
    type = SelectField(_l("Typ"), validators=[Optional()])
    year = SelectField(_l("Läsår"), validators=[Optional()])
