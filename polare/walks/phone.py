"""The phone's queue of logs made offline: an entry saved once, answered in the queue's JSON.

The queue (static/offline-queue.js) reads `status`: "saved" with the walk's address, "conflict"
with what the server holds so the phone shows both, "refused" with the message, "invalid"
with the field errors. A refusal flashes nothing: the phone shows it on its own entry.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from polare.errors import ConflictError, DomainError
from polare.extensions import db
from polare.submissions.services import claim_key
from polare.walks.forms import LogForm
from polare.web import answer_repeated_submission

Answer = tuple[Response, int]


def answer(status: str, code: int = 200, **values: object) -> Answer:
    """Answer the queue: its status, the HTTP status and what the phone shows."""
    return jsonify(status=status, **values), code


def log_summary(form: LogForm) -> dict[str, dict[str, str]]:
    """Return label and shown value of each field of a log, as the phone shows its own entry."""
    summary = {}
    for _person_id, field in form.attendance_fields():
        chosen = dict(field.choices).get(field.data)
        summary[field.name] = {"label": field.label.text, "value": str(chosen or "–")}
    for field in (form.youths_met, form.youths_talked, *(f for _i, f in form.incident_fields()),
                  form.note):
        value = field.data
        summary[field.name] = {"label": str(field.label.text),
                               "value": "–" if value in (None, "") else str(value)}
    return summary


def invalid_entry(form: LogForm) -> Answer:
    """Answer an entry whose fields do not pass the form's checks with the field errors."""
    errors = {name: [str(e) for e in field.errors] for name, field in form._fields.items()
              if field.errors}
    return answer("invalid", 422, errors=errors)


def save_entry(form: LogForm, save: Callable[[], str],
               stored: Callable[[], LogForm]) -> Response | Answer:
    """Save the entry once under the phone-made key; answer saved, conflict or refused.

    `save` saves the log and returns the walk's address; `stored` returns the log form as
    the server holds it, read after a conflict. A refused entry keeps nothing, its key neither,
    so the phone can send it again.
    """
    try:
        claimed = claim_key(db.session, current_user.id, form.submission_key.data)
        if claimed is None:  # a concurrent send of the same key saved it
            db.session.rollback()
            return answer_repeated_submission() or abort(409)
        claimed.target_url = save()
    except ConflictError as error:
        db.session.rollback()
        server = stored()
        return answer("conflict", 409, message=error.message, version=server.version.data,
                      server=log_summary(server))
    except DomainError as error:
        db.session.rollback()
        return answer("refused", 422, message=error.message, field=error.field)
    return answer("saved", url=claimed.target_url)
