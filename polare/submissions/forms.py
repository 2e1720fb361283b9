"""The form mixin that renders a one-time key with every create form."""

from __future__ import annotations

from uuid import uuid4

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

#: What a key looks like (uuid4 hex); anything else is refused as an expired form.
KEY_PATTERN = r"^[0-9a-f]{32}$"


def new_key() -> str:
    """Return a fresh one-time key."""
    return uuid4().hex


class SubmitOnceMixin:
    """Adds `submission_key`, a new key on every render of a blank form (`polare.web.save_once`).

    A form re-shown after a refusal keeps the key it was sent with: nothing was saved under it.
    """

    submission_key = HiddenField(default=new_key, validators=[
        Optional(),
        Regexp(KEY_PATTERN, message=_l("Formuläret har gått ut. Ladda om sidan och försök igen.")),
    ])
