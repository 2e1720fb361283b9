"""The answer of the attendance tap, which the shared helpers of `polare.web` do not give.

The tap is answered as `static/events.js` reads it: the counts after a mark, the refusal alone
(`{"error": text}`) with 422, or for a plain form the refusal flashed with the way back to the
invitee's row. A refusal naming an unseen record or a missing right goes on to the app's
handler, which answers 404 or 403.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, jsonify, redirect
from werkzeug.wrappers import Response

from polare.errors import NotFoundError, PermissionDeniedError
from polare.transactions import wants_json
from polare.web import refusal_of


def answer_mark(action: Callable[[], Response], back: str) -> Response | tuple[Response, int]:
    """Run an attendance tap and return its answer; refuse it as events.js expects."""
    answer: list[Response] = []
    error = refusal_of(lambda: answer.append(action()))
    if error is None:
        return answer[0]
    if isinstance(error, (NotFoundError, PermissionDeniedError)):
        raise error
    if wants_json():
        return jsonify(error=error.message), 422
    flash(error.message, "danger")
    return redirect(back)
