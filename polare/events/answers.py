"""Answers of the events pages that the shared helpers of `polare.web` do not give.

The attendance tap is answered as `static/events.js` reads it: the refusal alone
(`{"error": text}`) with 422, or flashed with the way back to the invitee's row for a plain
form. A refusal naming an unseen record or a missing right becomes the 404 or 403 page; the
app's handler (`polare.transactions.answer_refusal`) aborts from inside an error handler,
which Flask answers with 500 instead, so the events blueprint answers these two itself.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, jsonify, redirect
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response

from polare.errors import DomainError, NotFoundError, PermissionDeniedError
from polare.extensions import db
from polare.transactions import wants_json


def answer_mark(action: Callable[[], Response], back: str) -> Response | tuple[Response, int]:
    """Run an attendance tap and return its answer; refuse it as events.js expects."""
    try:
        return action()
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, (NotFoundError, PermissionDeniedError)):
            raise
        if wants_json():
            return jsonify(error=error.message), 422
        flash(error.message, "danger")
        return redirect(back)


def answer_unseen_or_not_allowed(error: DomainError) -> Response | tuple[str, int]:
    """Answer a refusal for an unseen record with the 404 page, one for a missing right 403."""
    db.session.rollback()
    page = NotFound() if isinstance(error, NotFoundError) else Forbidden()
    return current_app.handle_http_exception(page)
