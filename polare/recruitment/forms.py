"""Forms of the application, the guardian's consent page and the coordinator's link action."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from polare.recruitment.applications import MOTIVATION_MAX_LENGTH


class ApplicationForm(FlaskForm):
    """The public application; the guardian's fields are needed under 18 (the service says)."""

    first_name = StringField(_l("Förnamn"), validators=[DataRequired(), Length(max=80)],
                             render_kw={"autocomplete": "given-name"})
    last_name = StringField(_l("Efternamn"), validators=[DataRequired(), Length(max=80)],
                            render_kw={"autocomplete": "family-name"})
    personnummer = StringField(
        _l("Personnummer"), validators=[DataRequired(), Length(max=20)],
        description=_l("ÅÅÅÅMMDD-NNNN; även ÅÅMMDD-NNNN och utan bindestreck går bra."),
        render_kw={"autocomplete": "off", "inputmode": "numeric"})
    phone = TelField(_l("Mobiltelefon"), validators=[DataRequired(), Length(max=30)],
                     render_kw={"autocomplete": "tel"})
    email = EmailField(_l("E-post"), validators=[DataRequired(), Email(), Length(max=200)],
                       render_kw={"autocomplete": "email"})
    school = StringField(_l("Skola"), validators=[DataRequired(), Length(max=120)])
    motivation = TextAreaField(_l("Varför vill du bli polare?"),
                               validators=[DataRequired(), Length(max=MOTIVATION_MAX_LENGTH)],
                               description=_l("Några rader räcker."), render_kw={"rows": 4})
    guardian_name = StringField(_l("Vårdnadshavarens namn"),
                                validators=[Optional(), Length(max=120)])
    guardian_phone = TelField(_l("Vårdnadshavarens telefon"),
                              validators=[Optional(), Length(max=30)])
    guardian_email = EmailField(_l("Vårdnadshavarens e-post"),
                                validators=[Optional(), Email(), Length(max=200)])
    privacy_read = BooleanField(
        _l("Jag har läst hur mina uppgifter behandlas."),
        validators=[DataRequired(_l("Kryssa i att du har läst informationen om personuppgifter."))])
    #: A trap for robots: hidden from people, so anything in it means the form was not a person's.
    website = StringField(_l("Lämna det här fältet tomt"),
                          validators=[Optional(), Length(max=200)],
                          render_kw={"autocomplete": "off", "tabindex": "-1"})


class GiveConsentForm(FlaskForm):
    """The guardian's yes, with the version of the text they were shown."""

    agree = BooleanField(
        _l("Jag är vårdnadshavare och samtycker till det som står ovan."),
        validators=[DataRequired(_l("Kryssa i rutan för att lämna samtycke."))])
    text_version = HiddenField(validators=[DataRequired(), Length(max=40)])


class WithdrawConsentForm(FlaskForm):
    """The guardian's withdrawal: a button whose only content is the CSRF token."""


class SendLinkForm(FlaskForm):
    """The coordinator's button that sends (or sends again) a guardian's consent link."""

    guardian_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])
