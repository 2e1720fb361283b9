"""Forms of logging in and changing a password (shape only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Användarnamn"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()
    submit = SubmitField(_l("Logga in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Nuvarande lösenord"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("Nytt lösenord"),
                                 validators=[DataRequired(), Length(min=10, max=200)],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Upprepa nytt lösenord"),
        validators=[DataRequired(), EqualTo("new_password", _l("Lösenorden är olika."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Byt lösenord"))
