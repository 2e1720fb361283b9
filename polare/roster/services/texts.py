"""Free text from forms: refused when it holds control characters, trimmed, length-checked."""

from __future__ import annotations

from flask_babel import gettext as _

from polare.errors import DomainError
from polare.roster.identity import check_text


def clean_text(value: str | None, label: str, *, field: str, max_length: int,
               multiline: bool = False) -> str:
    """Return the trimmed text, or refuse control characters and overlong text on the field.

    `label` names the field in the messages: pass it translated, e.g. `_("Förnamn")`.
    """
    try:
        text = check_text(value or "", label, multiline=multiline)
    except ValueError as error:
        raise DomainError(str(error), field=field) from error
    text = text.strip()
    if len(text) > max_length:
        raise DomainError(_("%(field)s får vara högst %(n)s tecken.", field=label, n=max_length),
                          field=field)
    return text
