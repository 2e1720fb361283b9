"""Refusals on the payroll pages that the request's own handling does not yet answer.

A form's review (the indexed table shown before it is saved) writes nothing, so it needs only
the refusal shown on the form, as saving (`polare.web.save_once`) shows it. An unseen record
or a missing right that leaves a view is answered 404 or 403 here: the app's handler
(`polare.transactions.answer_refusal`) aborts from inside an error handler, which Flask
answers with 500 (and raises in tests). Remove `answer_unseen` once that handler returns the
404 and 403 pages itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from flask_wtf import FlaskForm
from werkzeug.exceptions import Forbidden, HTTPException, NotFound
from werkzeug.wrappers import Response

from polare.errors import DomainError, NotFoundError, PermissionDeniedError
from polare.extensions import db
from polare.payroll_web import bp
from polare.web import show_refusal

T = TypeVar("T")


def reviewed(form: FlaskForm, review: Callable[[], T]) -> T | None:
    """Return what `review` reads, or None with its refusal shown on the form."""
    try:
        return review()
    except DomainError as error:
        show_refusal(form, error)
        return None


@bp.errorhandler(NotFoundError)
@bp.errorhandler(PermissionDeniedError)
def answer_unseen(error: DomainError) -> Response | HTTPException | tuple:
    """Answer an unseen record with the 404 page and a missing right with the 403 page."""
    db.session.rollback()
    page = NotFound() if isinstance(error, NotFoundError) else Forbidden()
    return current_app.handle_http_exception(page)
