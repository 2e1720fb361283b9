"""How roster pages answer a refusal in their own way, without a transaction of their own.

Most views use `polare.web` (`save_form`, `save_once`, `act`). A few pages answer a refusal
with more than a flash: the lookup limit with 429 and Retry-After, a registered personnummer
with the panel that offers to enrol that person, a full team with the cap's notice, a move
refused on the enrolment's own page. For them `polare.web.refusal_of` and `saved_once` roll
the refusal back and hand it to the view instead of raising it. The audit entries of what a
refused page showed are kept with `polare.transactions.keep_on_refusal`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

from werkzeug.wrappers import Response

from polare.errors import DomainError
from polare.extensions import db
from polare.web import save_once


class _Refused(Exception):
    """Carries a refusal past `save_once`, which would show it itself."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.code)
        self.error = error


def saved_once(form: object, create: Callable[[], str]) -> Response | DomainError:
    """Save the form once, as `save_once` does; return a refusal, rolled back, unshown."""

    def run() -> str:
        try:
            return create()
        except DomainError as error:
            raise _Refused(error) from error

    try:
        response = save_once(form, run)  # type: ignore[arg-type]
    except _Refused as refused:
        db.session.rollback()
        return refused.error
    return cast(Response, response)  # never None: refusals leave `run` as _Refused


@contextmanager
def fields_prefixed(prefix: str) -> Iterator[None]:
    """Point a refusal of the block at the prefixed input: a sub-form's fields on a page."""
    try:
        yield
    except DomainError as error:
        error.field = f"{prefix}{error.field}" if error.field else None
        raise

