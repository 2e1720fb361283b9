"""Logging without a signal: the log pages a phone keeps, and the entries it sends later."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from polare.auth.access import roles
from polare.clock import local_today
from polare.errors import ConflictError, DomainError
from polare.extensions import db
from polare.walks import bp, queries
from polare.walks.forms import LogForm
from polare.walks.models import Walk, WalkStatus
from polare.walks.routes import PLANNERS, log_form_for, save_log, walk_or_404
from polare.web import save_once_or_raise


@bp.route("/offline-pages")
@roles(*PLANNERS)
def offline_pages():
    """List the log pages the phone keeps, with a fresh form token for sending entries."""
    walks = queries.walks_to_keep_offline(db.session, current_user, local_today())
    return jsonify(pages=[url_for("walks.log", walk_id=walk.id) for walk in walks],
                   csrf_token=generate_csrf())


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


def _answer(status: str, code: int = 200, **values: object) -> tuple[Response, int]:
    return jsonify(status=status, **values), code


@bp.route("/<id:walk_id>/log/offline", methods=["POST"])
@roles(*PLANNERS)
def log_from_phone(walk_id: int):
    """Save an entry made offline, once per phone-made key; answer in JSON.

    A resend of a saved key is answered by `answer_repeated_submission` before this view.
    A changed walk is answered 409 with what the server holds, so the phone shows both.
    """
    walk = walk_or_404(walk_id)
    form = log_form_for(walk)
    if walk.status == WalkStatus.CANCELLED:
        return _answer("refused", 422,
                       message=_("Nattvandringen är inställd och kan inte ändras."))
    if not form.validate_on_submit() or not form.submission_key.data:
        errors = {name: [str(e) for e in field.errors] for name, field in form._fields.items()
                  if field.errors}
        return _answer("invalid", 422, errors=errors)
    try:
        response = save_once_or_raise(form, lambda: _logged_from_phone(form, walk))
    except ConflictError as error:
        db.session.rollback()
        stored = log_form_for(walk_or_404(walk_id), stored=True)
        return _answer("conflict", 409, message=error.message, version=stored.version.data,
                       server=log_summary(stored))
    except DomainError as error:
        db.session.rollback()
        return _answer("refused", 422, message=error.message, field=error.field)
    if response.is_json:  # saved by a concurrent send of the same key
        return response
    return _answer("saved", url=response.location)


def _logged_from_phone(form: LogForm, walk: Walk) -> str:
    save_log(form, walk)
    return url_for("walks.detail", walk_id=walk.id)
