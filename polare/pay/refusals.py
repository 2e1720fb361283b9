"""The review of a payroll form before it is saved: a read whose refusal the form shows.

The indexed table shown before an indexation is saved writes nothing, so it needs only the
refusal shown on the form, as saving (`polare.web.save_once`) shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_wtf import FlaskForm

from polare.errors import DomainError
from polare.web import show_refusal

T = TypeVar("T")


def reviewed(form: FlaskForm, review: Callable[[], T]) -> T | None:
    """Return what `review` reads, or None with its refusal shown on the form."""
    try:
        return review()
    except DomainError as error:
        show_refusal(form, error)
        return None

