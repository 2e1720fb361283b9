"""Forms of the import page (shape only; the import checks the rows)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from polare.converters import form_id
from polare.submissions.forms import SubmitOnceMixin


class ImportForm(SubmitOnceMixin, FlaskForm):
    """Choose what to import and upload the file."""

    kind = SelectField(_l("Vad vill du importera?"))
    file = FileField(_l("Fil (.xlsx eller .csv)"),
                     validators=[FileRequired(message=_l("Välj en fil att importera."))],
                     render_kw={"accept": ".xlsx,.csv"})
    submit = SubmitField(_l("Kontrollera och importera"))


class RosterExportForm(FlaskForm):
    """Choose the team and school year of a roster download (sent by GET)."""

    class Meta:
        csrf = False

    team = SelectField(_l("Team"), coerce=form_id, validators=[DataRequired()])
    year = SelectField(_l("Läsår"), coerce=form_id, validators=[DataRequired()])
    submit = SubmitField(_l("Ladda ner polarlistan"))


class WalkLogExportForm(FlaskForm):
    """Choose the dates (and team) of a walk log download (sent by GET)."""

    class Meta:
        csrf = False

    team = SelectField(_l("Team"), coerce=form_id)
    first = DateField(_l("Från och med"), validators=[DataRequired()])
    last = DateField(_l("Till och med"), validators=[DataRequired()])
    submit = SubmitField(_l("Ladda ner nattvandringsloggen"))

    def validate_last(self, field: DateField) -> None:
        """Refuse a range that ends before it starts."""
        if self.first.data and field.data and field.data < self.first.data:
            raise ValidationError(_l("Slutdatumet kan inte vara före startdatumet."))
