"""Forms of the privacy pages (shape only)."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError


def no_control_characters(form: FlaskForm, field: Field) -> None:
    """Refuse control characters (tabs, line breaks, NUL…) in a one-line text."""
    if any(unicodedata.category(char) == "Cc" for char in field.data or ""):
        raise ValidationError(_l("Fältet innehåller otillåtna tecken."))


class PurgeForm(FlaskForm):
    plan_token = HiddenField(validators=[DataRequired()])
    confirm = BooleanField(
        _l("Jag har granskat listan. Uppgifterna anonymiseras och det går inte att ångra."),
        validators=[DataRequired(_l("Bekräfta att du har granskat listan."))],
    )
    submit = SubmitField(_l("Gallra nu"), render_kw={"class": "btn btn-danger"})


class PersonSearchForm(FlaskForm):
    query = StringField(
        _l("Namn eller personnummer"),
        validators=[DataRequired(), Length(max=80), no_control_characters],
        render_kw={"autocomplete": "off"},
    )
    submit = SubmitField(_l("Sök"))


class ExtractForm(FlaskForm):
    submit = SubmitField(_l("Ladda ner registerutdrag (Excel)"))
