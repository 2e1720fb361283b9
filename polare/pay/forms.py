"""Payroll forms (shape only; band coverage, closing and the rest are the services')."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

import payroll
from polare.converters import form_id
from polare.roster.identity import InvalidText, check_text
from polare.submissions.forms import SubmitOnceMixin

#: Blank rows the rate editor offers below the filled ones.
BLANK_ROWS = 3
MAX_ROWS = 60
_AMOUNT = re.compile(r"-?\d+([.,]\d+)?")


def parse_amount(text: str) -> Decimal:
    """Return an amount typed as '1 234,50', '1234.50' or '250', or raise ValueError."""
    compact = re.sub(r"[\s\u00a0]", "", text).removesuffix("kr")
    if not _AMOUNT.fullmatch(compact):
        raise ValueError(text)
    try:
        return Decimal(compact.replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(text) from error


class DecimalTextField(StringField):
    """A number typed with a decimal comma or point; `data` is a Decimal or None."""

    def __init__(self, label: Any = None, validators: Any = None, *, message: str = "",
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        if not self.raw_text.strip():
            self.data = None
            return
        try:
            self.data = parse_amount(self.raw_text)
        except ValueError as error:
            self.data = None
            raise ValueError(self.message) from error

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format(self.data, "f").replace(".", ",")


def plain_text(form: Form, field: Field) -> None:
    """Refuse control characters in a free-text field."""
    try:
        field.data = check_text(field.data or "", str(field.label.text),
                                multiline=isinstance(field, TextAreaField))
    except InvalidText as error:
        raise ValidationError(str(error)) from error


class RateRowForm(Form):
    """One band of a rate table; an entirely empty row is ignored."""

    age_from = IntegerField(_l("Ålder från"), validators=[Optional(), NumberRange(0, 120)])
    age_to = IntegerField(_l("Ålder till"), validators=[Optional(), NumberRange(0, 120)])
    years_from = IntegerField(_l("År från"), validators=[Optional(), NumberRange(1, 99)])
    years_to = IntegerField(_l("År till"), validators=[Optional(), NumberRange(1, 99)])
    amount = DecimalTextField(
        _l("Belopp (kr)"), validators=[Optional()],
        message=_l("Skriv beloppet i kronor, t.ex. 250 eller 250,50."),
    )

    def is_blank(self) -> bool:
        """Tell whether nothing was typed in the row."""
        return all(field.data in (None, "") for field in self)

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.is_blank():
            return True
        missing = [field for field in (self.age_from, self.years_from, self.amount)
                   if field.data is None]
        for field in missing:
            field.errors = [*field.errors, _l("Fyll i %(name)s.", name=field.label.text)]
        return not missing

    def band(self) -> payroll.RateBand:
        """Return the row as a band (call only on a valid, non-blank row)."""
        return payroll.RateBand(self.age_from.data, self.age_to.data, self.years_from.data,
                                self.years_to.data, self.amount.data)


class RateVersionForm(FlaskForm):
    """A rate table version: effective date, label and rows."""

    effective_from = DateField(_l("Gäller från"), validators=[InputRequired()])
    label = StringField(_l("Benämning"), validators=[Optional(), Length(max=120), plain_text],
                        description=_l("T.ex. 'Beslut 2026' eller 'Exempelvärden'."))
    note = TextAreaField(_l("Anteckning"), validators=[Optional(), Length(max=2000), plain_text])
    label_en = StringField(_l("Benämning på engelska (tomt = den svenska visas)"),
                           validators=[Optional(), Length(max=120), plain_text])
    note_en = TextAreaField(_l("Anteckning på engelska (tomt = den svenska visas)"),
                            validators=[Optional(), Length(max=2000), plain_text])
    rows = FieldList(FormField(RateRowForm), min_entries=1, max_entries=MAX_ROWS)
    add_rows = SubmitField(_l("Fler rader"))
    submit = SubmitField(_l("Spara"))

    def bands(self) -> list[payroll.RateBand]:
        """Return the filled rows as bands."""
        return [row.form.band() for row in self.rows if not row.form.is_blank()]

    def add_blank_rows(self) -> None:
        """Add BLANK_ROWS empty rows at the end (up to MAX_ROWS)."""
        for _ in range(min(BLANK_ROWS, MAX_ROWS - len(self.rows))):
            self.rows.append_entry()

    def pad_rows(self) -> None:
        """Offer BLANK_ROWS empty rows after the last filled one (up to MAX_ROWS)."""
        filled = sum(1 for row in self.rows if not row.form.is_blank())
        while len(self.rows) < min(filled + BLANK_ROWS, MAX_ROWS):
            self.rows.append_entry()


class NewRateVersionForm(SubmitOnceMixin, RateVersionForm):
    """A new rate table version."""


class IndexForm(SubmitOnceMixin, FlaskForm):
    """A new version from an existing one by a percentage, reviewed before it is saved."""

    from_version = SelectField(_l("Räkna upp från"), coerce=form_id,
                               validators=[InputRequired()])
    percent = DecimalTextField(
        _l("Procent"), validators=[InputRequired(), NumberRange(-50, 100)],
        message=_l("Skriv procenten som ett tal, t.ex. 2,5."),
        description=_l("Varje belopp räknas upp och avrundas till hela kronor."),
    )
    effective_from = DateField(_l("Gäller från"), validators=[InputRequired()])
    label = StringField(_l("Benämning"), validators=[Optional(), Length(max=120), plain_text])
    review = SubmitField(_l("Granska"))
    change = SubmitField(_l("Ändra"))
    save = SubmitField(_l("Spara ny version"))


class CloseForm(FlaskForm):
    """The confirmation step of closing a period."""

    digest = HiddenField(validators=[DataRequired()])
    confirm = BooleanField(
        _l("Jag har granskat raderna. De låses och perioden väntar sedan på attest."),
        validators=[DataRequired(message=_l("Bekräfta att du har granskat raderna."))],
    )
    submit = SubmitField(_l("Stäng perioden"))


class AttestForm(FlaskForm):
    """Attestation of a closed period by a second person."""

    confirm = BooleanField(
        _l("Jag har granskat raderna. Attesten är slutgiltig."),
        validators=[DataRequired(message=_l("Bekräfta att du har granskat raderna."))],
    )
    submit = SubmitField(_l("Attestera perioden"))


class ReopenForm(FlaskForm):
    """Reopening a closed period that is not attested, with a reason."""

    reason = TextAreaField(
        _l("Skäl"), validators=[DataRequired(message=_l("Ange varför perioden öppnas igen.")),
                                Length(max=500), plain_text],
    )
    submit = SubmitField(_l("Öppna perioden igen"))


class DecisionForm(FlaskForm):
    """The decision behind a rate version: its reference and date."""

    reference = StringField(_l("Beslut (diarienummer)"),
                            validators=[DataRequired(), Length(max=120), plain_text])
    decided_on = DateField(_l("Beslutsdatum"), validators=[InputRequired()])
    submit = SubmitField(_l("Registrera beslutet"))


class ExportForm(FlaskForm):
    """Download of the payroll workbook (a POST: each download is recorded)."""

    submit = SubmitField(_l("Ladda ner arbetsboken"))
