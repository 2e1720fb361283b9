"""Translated messages that also work outside a request (the import command line)."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import gettext


def _(message: str, **values: object) -> str:
    """Translate a message in a request; outside one, use the Swedish msgid as it is."""
    if has_request_context():
        return gettext(message, **values)
    return message % values if values else message
