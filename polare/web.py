"""The helpers every writing view uses: a form saved once, a button's action, a refusal shown.

None of them commits: the request is the unit of work (`polare.transactions`). A refusal
rolls back at once, so the page rendered after it reads what the database holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, jsonify, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from polare.errors import DomainError, NotFoundError, PermissionDeniedError
from polare.extensions import db
from polare.submissions.models import SubmissionKey
from polare.submissions.services import claim_key, earlier_submission
from polare.transactions import wants_json

#: Header of an entry sent by the phone's offline queue: a repeat is answered in JSON.
OFFLINE_HEADER = "X-Polare-Offline"

T = TypeVar("T")


def show_refusal(form: FlaskForm | None, error: DomainError) -> None:
    """Roll back; attach the refusal to the form field it names and flash it.

    The form keeps the user's input. Unseen records and missing rights are not a form's
    message: they end the request with 404 or 403.
    """
    db.session.rollback()
    if isinstance(error, NotFoundError):
        abort(404)
    if isinstance(error, PermissionDeniedError):
        abort(403)
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is not None and hasattr(field, "errors"):
        if isinstance(field.errors, tuple):
            field.errors = list(field.errors)
        field.errors.append(error.message)
    flash(error.message, "danger")


def save_form(form: FlaskForm, action: Callable[[], object], message: str, target: str,
              category: str = "success") -> Response | None:
    """Run a form's service call, flash `message` and redirect to `target`.

    On a refusal the form shows it and None is returned: the view renders the form again,
    with status 422, and the user's input. A form with a one-time key is saved once.
    """

    def run() -> str:
        action()
        flash(message, category)
        return target

    return save_once(form, run)


def save_once(form: FlaskForm, create: Callable[[], str]) -> Response | None:
    """Run `create` once per form key and redirect to the URL it returns.

    `create` saves through the services, flashes what it did and returns the URL of the
    result. On a refusal the form shows it and None is returned (see `save_form`). The form's
    one-time key (`SubmitOnceMixin`) is stored in the request's transaction, so a second
    submission with it (a double tap, a retry on a slow network) creates nothing and is sent
    where the first one went: `answer_repeated_submission` answers it before the view runs,
    and the database refuses a concurrent one. A form without a key is saved as it is.
    """
    field = getattr(form, "submission_key", None)
    try:
        if field is None or not field.data:
            return redirect(create())
        claimed = claim_key(db.session, current_user.id, field.data)
        if claimed is None:  # the transaction is spoilt by the refused duplicate
            db.session.rollback()
            return _repeated(earlier_submission(db.session, field.data))
        claimed.target_url = create()
        return redirect(claimed.target_url)
    except DomainError as error:
        show_refusal(form, error)
        return None


def act(action: Callable[[], object], back: str, message: str | None = None,
        category: str = "success") -> Response:
    """Run a button's service call and go back to `back`, flashing `message` or the refusal.

    A script or the phone's queue that asks for JSON gets the refusal as JSON with 422.
    """
    error = refusal_of(action)
    if error is None:
        if message:
            flash(message, category)
        return redirect(back)
    if isinstance(error, (NotFoundError, PermissionDeniedError)):
        raise error
    if wants_json():
        return jsonify(status="refused", error=error.message, field=error.field), 422
    flash(error.message, "danger")
    return redirect(back)


def refusal_of(action: Callable[[], object]) -> DomainError | None:
    """Run a service call; return its refusal, rolled back, or None when it succeeded.

    For a page that answers a refusal its own way (a panel, a status code of its own).
    """
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        return error
    return None


def reviewed(form: FlaskForm, review: Callable[[], T]) -> T | None:
    """Return what a form's review reads (it saves nothing), or None with its refusal shown."""
    read: list[T] = []
    error = refusal_of(lambda: read.append(review()))
    if error is not None:
        show_refusal(form, error)
        return None
    return read[0]


def answer_repeated_submission() -> Response | None:
    """Send a POST whose one-time key was saved before to the first submission's result."""
    key = request.form.get("submission_key") if request.method == "POST" else None
    if not key or not current_user.is_authenticated:
        return None
    earlier = earlier_submission(db.session, key)
    return _repeated(earlier) if earlier is not None else None


def _repeated(earlier: SubmissionKey | None) -> Response:
    """Answer a repeated submission with the first one's result; save nothing."""
    owner, target = (earlier.user_id, earlier.target_url) if earlier else (None, "")
    db.session.rollback()
    if owner != current_user.id:
        abort(409)
    if request.headers.get(OFFLINE_HEADER):
        return jsonify(status="saved", repeated=True, url=target)
    flash(_("Formuläret var redan skickat och sparades en gång."), "info")
    return redirect(target)

