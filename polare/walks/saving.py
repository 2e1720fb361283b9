"""Saving a walk's form: once per key, and a refusal answered 409 when it is a conflict.

Nothing here commits: the request is the unit of work (`polare.transactions`). The walk pages
answer a refusal as `polare.web.save_once` does, the form showing it with the user's input,
with one difference: a walk that someone else saved since the page was opened is answered 409,
and a series that breaks a rule on some dates lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from polare.errors import ConflictError, DomainError
from polare.walks.planning import DateConflict, SeriesConflictError
from polare.web import save_once


@dataclass(frozen=True)
class Refused:
    """A walk form's refusal, already shown on the form: the status and a series' clashes."""

    status: int
    conflicts: list[DateConflict] = field(default_factory=list)


def save_walk_form(form: FlaskForm, create: Callable[[], str]) -> Response | Refused:
    """Run `create` through `save_once`; on a refusal, say how the form page answers it."""
    refusals: list[DomainError] = []

    def run() -> str:
        try:
            return create()
        except DomainError as error:  # noted, then shown on the form by save_once
            refusals.append(error)
            raise

    saved = save_once(form, run)
    if saved is not None:
        return saved
    error = refusals[-1]
    if isinstance(error, SeriesConflictError):
        return Refused(422, error.conflicts)
    return Refused(409 if isinstance(error, ConflictError) else 422)
