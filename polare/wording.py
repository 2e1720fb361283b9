"""The one way a refusal becomes text: each domain's `wording` module words its own codes.

A domain's wording module is `polare.<domain>.wording` with a mapping `MESSAGES` from the
refusal name (the part of the code after the dot) to its Swedish text marked with `N_`, whose
placeholders are the error's values (`%(name)s`). The text is translated when it is read, in
the reader's language: the request's on the web, Swedish in the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING

from flask_babel import gettext

if TYPE_CHECKING:
    from polare.errors import Refusal


def N_(text: str) -> str:  # noqa: N802  (the name Babel's extraction knows)
    """Mark a text for the catalog without translating it now."""
    return text


def messages_of(domain: str) -> Mapping[str, str]:
    """Return the texts of a domain's refusal codes."""
    return import_module(f"polare.{domain}.wording").MESSAGES


def word(error: Refusal) -> str:
    """Return the error's text in the reader's language, its values filled in."""
    domain, _, name = error.code.partition(".")
    if not name or not domain.isidentifier():
        return error.code  # not yet a code: a text worded where it was raised
    text = messages_of(domain)[name]
    return gettext(text, **error.values) if error.values else gettext(text)
