"""Refusals raised by services: a code, the values it names, and the form field it concerns.

Services never word a refusal. Each domain's `wording` module holds the text of its codes, in
Swedish with English in the catalog, and `polare.wording.word` turns an error into the text
the web pages, the CLI and the importers all show.
"""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """A refusal with a code, the values its text names and the form field it concerns.

    `code` is "<domain>.<refusal>" (for example "roster.cap_reached"), `values` fill in its
    text, and `field` names the form input the refusal belongs to.
    """

    def __init__(self, code: str, *, field: str | None = None, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.values = values

    @property
    def message(self) -> str:
        """The refusal worded in the reader's language."""
        from polare.wording import word

        return word(self)

    def __str__(self) -> str:
        return self.message


class DomainError(Refusal):
    """A rule refused the request: nothing the request did is kept."""


class NotFoundError(DomainError):
    """The record does not exist or is outside the user's teams."""


class PermissionDeniedError(DomainError):
    """The user's role or teams do not allow this."""


class ConflictError(DomainError):
    """Someone else changed the record since the user loaded it."""
