"""Free text from forms: refused when it holds control characters, trimmed, length-checked."""

from __future__ import annotations

from typing import Any

from polare.errors import DomainError
from polare.roster.identity import IdentityError, check_text


class LabelledFieldError(DomainError):
    """A refusal whose text names the field by its label as `%(field)s`.

    `field` is the form input the refusal belongs to, as for every `DomainError`; the label
    fills the text's `%(field)s`.
    """

    def __init__(self, code: str, *, field: str | None, label: object, **values: Any) -> None:
        super().__init__(code, field=field, **values)
        self.values["field"] = label


def clean_text(value: str | None, label: str, *, field: str, max_length: int,
               multiline: bool = False) -> str:
    """Return the trimmed text, or refuse control characters and overlong text on the field.

    `label` names the field in the messages: pass it translatable, e.g. `_l("Förnamn")`.
    """
    try:
        text = check_text(value or "", label, multiline=multiline)
    except IdentityError as error:
        values = dict(error.values)
        raise LabelledFieldError(error.code, field=field, label=values.pop("field"),
                                 **values) from error
    text = text.strip()
    if len(text) > max_length:
        raise LabelledFieldError("roster.text_too_long", field=field, label=label, n=max_length)
    return text
